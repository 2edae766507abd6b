"""The send-ready verdict: each rule, and a draft that passes them all."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.checks import send_ready
from assistant.checks.base import CheckContext
from assistant.checks.lines import phrases
from assistant.knowledge import KnowledgeBase
from assistant.pipeline import Assistant
from assistant.types import Analysis, Draft, EscalationMatch, Finding, Hit, PrivateDatum, Span
from tests.checks.checks_support import make_context

NOW = dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC)


def _context(
    kb: KnowledgeBase, analysis: Analysis, hits: list[Hit], channel: str = "twitter"
) -> CheckContext:
    base = make_context(kb, analysis.language, channel=channel)  # type: ignore[arg-type]
    return CheckContext(base.message, analysis, hits, kb, analysis.language)


def _analysis(**fields: object) -> Analysis:
    data: dict[str, object] = {
        "language": "en",
        "sentiment": "neutral",
        "sentiment_score": 0.0,
        "intent": "order-status",
    }
    return Analysis.model_validate({**data, **fields})


def _draft(text: str, **fields: object) -> Draft:
    return Draft.model_validate({"text": text, "language": "en", "tone": "friendly", **fields})


def test_an_answer_that_cites_the_hit_is_send_ready(kb: KnowledgeBase) -> None:
    context = _context(kb, _analysis(), [Hit(faq_id="order-status", score=0.9)])
    draft = _draft(
        "Hi there,\nMost orders arrive in 3-5 days.\n– Nimbus Care", citations=["order-status"]
    )
    verdict = send_ready(draft, context)
    assert verdict.ready and verdict.reasons == []


@pytest.mark.parametrize(
    ("draft", "analysis", "reason"),
    [
        (_draft("Hola", language="es"), _analysis(intent="question"), "written in es"),
        (_draft("Hi, refunds take 5 days."), _analysis(), "does not answer with order-status"),
        (
            _draft("Hi!", findings=[Finding(id="phrasing.banned", severity="block", message="x")]),
            _analysis(intent="other"),
            "blocking findings: phrasing.banned",
        ),
        (
            _draft("Thank you so much for your kind words! What else do you need?"),
            _analysis(intent="complaint", sentiment="negative"),
            "thanks a customer who is upset",
        ),
    ],
)
def test_each_rule_says_why(
    kb: KnowledgeBase, draft: Draft, analysis: Analysis, reason: str
) -> None:
    hits = [Hit(faq_id="order-status", score=0.9)] if analysis.intent == "order-status" else []
    verdict = send_ready(draft, _context(kb, analysis, hits))
    assert not verdict.ready
    assert any(reason in r for r in verdict.reasons), verdict.reasons


def test_a_safety_report_needs_the_safety_wording_and_the_escalation(kb: KnowledgeBase) -> None:
    fire = EscalationMatch(trigger="safety", team="Product Safety", channel="phone", matched="fire")
    analysis = _analysis(intent="complaint", sentiment="negative", escalations=[fire])
    context = _context(kb, analysis, [])
    handed = _draft("I've passed this to our Product Safety team.", needs_escalation=True)
    assert (
        "a safety report without the brand's safety wording" in send_ready(handed, context).reasons
    )
    safety = phrases("en", "informal", "informal").get("safety")
    assert safety is not None
    first = _draft(f"{safety} I've passed this to our Product Safety team.", needs_escalation=True)
    assert send_ready(first, context).ready


def test_payment_data_posted_publicly_needs_the_removal_warning(kb: KnowledgeBase) -> None:
    card = PrivateDatum(kind="card", text="4111 1111 1111 1111", span=Span(start=0, end=19))
    analysis = _analysis(intent="double-charge", private_data=[card], needs_private=True)
    context = _context(kb, analysis, [Hit(faq_id="double-charge", score=0.9)])
    draft = _draft("A second charge usually disappears. Please DM us.", citations=["double-charge"])
    reasons = send_ready(draft, context).reasons
    assert any("warn to remove" in r for r in reasons)


def test_the_pipeline_attaches_the_verdict_to_every_draft() -> None:
    assistant = Assistant.load(backend="offline")
    suggestion = assistant.suggest("Where is my order?", channel="twitter", now=NOW)
    for draft in suggestion.drafts:
        assert draft.send_ready is not None
        assert draft.send_ready == (draft.not_ready == [])


def test_an_entry_with_none_of_its_topic_words_is_asked_about_not_answered(
    kb: KnowledgeBase,
) -> None:
    base = make_context(kb, "en", message="Do you sell gift cards?", channel="email")
    analysis = _analysis(intent="question")
    context = CheckContext(base.message, analysis, [Hit(faq_id="returns", score=0.6)], kb, "en")
    asks = _draft("Hi there,\nCould you tell us a little more about what you need?")
    assert send_ready(asks, context).ready
    cites = _draft("Hi there,\nYou can return any item within 30 days.", citations=["returns"])
    assert "cites returns although no FAQ entry fits" in send_ready(cites, context).reasons
