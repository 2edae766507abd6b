"""The "answer may not fit" check: weak matches, missing key words, rival topics."""

from __future__ import annotations

from assistant.checks.base import CheckContext
from assistant.checks.fit import WEAK_SCORE, FitCheck, key_words
from assistant.knowledge import KnowledgeBase
from assistant.types import Hit
from tests.checks.checks_support import make_context, make_draft


def _with_hits(context: CheckContext, *hits: Hit) -> CheckContext:
    return CheckContext(
        context.message, context.analysis, list(hits), context.kb, context.reply_language
    )


def test_a_strong_hit_with_the_questions_key_words_passes(kb: KnowledgeBase) -> None:
    context = _with_hits(
        make_context(kb, "en", message="Where is my order? It has not arrived yet"),
        Hit(faq_id="order-status", score=0.9),
    )
    draft = make_draft("Most orders arrive within 3-5 days.", "en", citations=("order-status",))
    assert FitCheck().check(draft, context) == []


def test_a_weak_hit_warns(kb: KnowledgeBase) -> None:
    context = _with_hits(
        make_context(kb, "en", message="Where is my order?"),
        Hit(faq_id="order-status", score=WEAK_SCORE - 0.05),
    )
    draft = make_draft("Most orders arrive soon.", "en", citations=("order-status",))
    found = FitCheck().check(draft, context)
    assert [f.id for f in found] == ["fit.weak"]
    assert found[0].severity == "warn" and "may not fit" in found[0].message


def test_the_words_of_another_topic_warn(kb: KnowledgeBase) -> None:
    message = "Where is my refund? Still no money back, my refund status says processing"
    context = _with_hits(make_context(kb, "en", message=message), Hit(faq_id="returns", score=0.9))
    draft = make_draft("You can return any item within 30 days.", "en", citations=("returns",))
    found = FitCheck().check(draft, context)
    assert {f.id for f in found} & {"fit.keywords", "fit.contradicts"}
    assert "refund" in found[0].message


def test_a_draft_that_cites_nothing_is_not_judged(kb: KnowledgeBase) -> None:
    context = make_context(kb, "en", message="are you hiring?")
    assert FitCheck().check(make_draft("Could you tell us more?", "en"), context) == []


def test_key_words_are_specific_to_few_entries(kb: KnowledgeBase) -> None:
    keys = key_words(kb)
    assert keys[("refund-status", "en")]
    assert "my" not in keys[("order-status", "en")]  # shared by many entries
