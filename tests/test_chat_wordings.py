"""Everyday chat wordings (slang, dropped accents and apostrophes, reduplication) name
the topic the customer means, and a romanised hazard word does not fire on another
language's everyday word."""

import pytest

from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.text import PhraseMatcher
from assistant.understanding.hazards import hazard_words
from assistant.understanding.topics import topic_counts


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def test_mexican_no_jala_is_no_burn_but_hinglish_jala_hua_is() -> None:
    words = PhraseMatcher(hazard_words("safety", "es"))
    assert not words.count("el codigo q me dieron no jala")
    assert PhraseMatcher(hazard_words("safety", "hi")).count("heater ka wire jala hua tha")


@pytest.mark.parametrize(
    ("language", "text", "faq_id"),
    [
        ("fr", "pourquoi j'ai 2 prélèvements pareils ??", "double-charge"),
        ("es", "a q hora hay alguien para hablar?", "support-hours"),
        ("es", "y la lana de la devolución pa cuándo?", "refund-status"),
        ("de", "wenn mir der bezug nicht gefällt, kann ich ihn zurückschicken?", "returns"),
        ("gu", "તમારા કસ્ટમર કેર વાળા કેટલા વાગ્યા સુધી મળે?", "support-hours"),
        ("zh", "寄新加坡吗", "international-shipping"),
    ],
)
def test_everyday_wordings_name_their_topic(
    kb: KnowledgeBase, language: str, text: str, faq_id: str
) -> None:
    counts = topic_counts(kb, text, language)
    assert counts[faq_id] >= 1
    assert counts[faq_id] == max(counts.values())


def test_customer_is_not_customs(kb: KnowledgeBase) -> None:
    counts = topic_counts(kb, "કસ્ટમર કેર ક્યારે ચાલુ હોય?", "gu")
    assert counts["international-shipping"] == 0
