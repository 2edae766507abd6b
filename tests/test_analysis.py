"""Analysis: sentiment in any language, emotions, urgency, intent, escalation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.text import PhraseMatcher, contains_phrase
from assistant.types import Hit, Message
from assistant.understanding.analysis import analyze, sentiment_of
from assistant.understanding.retrieval import Retriever


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def semantic(kb: KnowledgeBase, pytestconfig: pytest.Config,
             tmp_path_factory: pytest.TempPathFactory) -> Retriever:  # fmt: skip
    """The real embedder (loaded once for the module)."""
    cache = getattr(pytestconfig, "cache", None)
    where = Path(cache.mkdir("assistant-index")) if cache else tmp_path_factory.mktemp("idx")
    retriever = Retriever(kb, cache_dir=where)
    assert retriever.embedder is not None
    return retriever


ANGRY = [
    ("en", "This is RIDICULOUS. Third week waiting for my refund and nobody answers!!! 😡"),
    ("en", "worst service ever, I'm furious. never ordering again"),
    ("bn", "এটা কি ধরনের সার্ভিস?! তিন সপ্তাহ ধরে রিফান্ডের অপেক্ষা করছি, খুবই বিরক্ত 😡"),
    ("bn", "ekdom faltu service, ar kono din order korbo na 😤"),
]


@pytest.mark.parametrize(("language", "text"), ANGRY)
def test_angry_messages_are_negative_without_embeddings(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    analysis = analyze(text, kb, language=language)
    assert analysis.sentiment == "negative"
    assert analysis.sentiment_score < 0


@pytest.mark.parametrize(("language", "text"), ANGRY)
def test_angry_messages_are_negative_with_the_sentiment_head(
    kb: KnowledgeBase, semantic: Retriever, language: str, text: str
) -> None:
    analysis = analyze(text, kb, language=language, vector=semantic.embed(text))
    assert analysis.sentiment == "negative"
    assert "frustration" in analysis.emotions


@pytest.mark.parametrize(
    ("language", "text", "label"),
    [
        ("en", "Love the new lamp, thank you so much! 😍", "positive"),
        ("bn", "অনেক ধন্যবাদ, দারুণ সার্ভিস! 👍", "positive"),
        ("en", "How long does shipping to Canada take?", "neutral"),
        ("ja", "返品の送料はかかりますか？", "neutral"),
    ],
)
def test_sentiment_labels(kb: KnowledgeBase, language: str, text: str, label: str) -> None:
    assert sentiment_of(text, kb, language)[0] == label


def test_emotions_and_urgency(kb: KnowledgeBase) -> None:
    angry = analyze("I'm furious, fix this right now!!", kb, language="en")
    assert "anger" in angry.emotions and angry.urgency == "high"
    thanks = analyze("thanks a lot, the lamp is lovely 🙏", kb, language="en")
    assert "gratitude" in thanks.emotions and thanks.urgency == "low"


def test_escalation_trigger_makes_a_neutral_message_negative(kb: KnowledgeBase) -> None:
    analysis = analyze("the kettle started sparking and there was smoke", kb, language="en")
    assert [e.trigger for e in analysis.escalations] == ["safety"]
    assert analysis.escalations[0].matched in {"sparking", "smoke"}
    assert analysis.sentiment == "negative" and analysis.urgency == "high"


def test_escalation_keywords_are_language_scoped(kb: KnowledgeBase) -> None:
    assert analyze("le dije al periodista", kb, language="es").escalations
    assert not analyze("hello there", kb, language="en").escalations


def test_intent(kb: KnowledgeBase) -> None:
    hit = Hit(faq_id="returns", score=0.9)
    assert analyze("can I return it?", kb, language="en", hits=[hit]).intent == "returns"
    assert analyze("love it, amazing quality 😍", kb, language="en").intent == "praise"
    assert analyze("terrible, awful service", kb, language="en").intent == "complaint"
    assert analyze("do you have a shop in Lyon?", kb, language="en").intent == "question"


def test_private_data_on_a_public_channel_needs_private(kb: KnowledgeBase) -> None:
    public = Message(text="my email is ana@example.com", channel="twitter")
    private = Message(text="my email is ana@example.com", channel="email")
    assert analyze(public, kb, language="en").needs_private
    assert [d.kind for d in analyze(private, kb, language="en").private_data] == ["email"]


def test_language_is_detected_when_not_given(kb: KnowledgeBase) -> None:
    assert analyze("Որտե՞ղ է իմ պատվերը", kb).language == "hy"


def test_phrase_matcher_agrees_with_contains_phrase() -> None:
    phrases = ["fed up", "worst", "最悪", "mir reicht's", "ok"]
    matcher = PhraseMatcher(phrases)
    for text in ["I'm FED UP, worst", "本当に最悪", "Mir reicht's!", "okay", "fedup"]:
        assert {p for p in phrases if contains_phrase(text, p)} == {
            p for p in phrases if p.casefold() in matcher.found(text)
        }
    assert PhraseMatcher([]).count("anything") == 0


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300), st.sampled_from(["en", "bn", "ja", "hy", "und"]))
def test_analyze_never_raises(kb: KnowledgeBase, text: str, language: str) -> None:
    analysis = analyze(text, kb, language=language)
    assert -1.0 <= analysis.sentiment_score <= 1.0
    assert all(text[d.span.start : d.span.end] == d.text for d in analysis.private_data)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_analyze_with_embeddings_never_raises(
    kb: KnowledgeBase, semantic: Retriever, text: str
) -> None:
    analysis = analyze(text, kb, vector=semantic.embed(text))
    assert -1.0 <= analysis.sentiment_score <= 1.0
