"""The LLM prompt's FAQ entries are the offline composer's choice, not the raw hits."""

from __future__ import annotations

import pytest

from assistant.drafting.base import DraftRequest
from assistant.drafting.llm_prompt import answered_ids, draft_variables
from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.types import Channel, Hit, Message
from assistant.understanding.analysis import analyze
from tests.drafting.contract import NOW


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def request_for(
    kb: KnowledgeBase, text: str, hits: list[Hit], language: str = "en", channel: Channel = "email"
) -> DraftRequest:
    message = Message(text=text, channel=channel)
    analysis = analyze(message, kb, language=language, hits=hits)
    return DraftRequest(message, analysis, hits, language, "friendly", kb, now=NOW)


def faq_ids(request: DraftRequest) -> list[str]:
    return [entry["id"] for entry in draft_variables(request)["faq"]]


def test_with_two_topics_the_prompt_has_the_one_the_reply_answers(kb: KnowledgeBase) -> None:
    text = "Two charges on my card for one order! Also, how do I reset my password?"
    hits = [Hit(faq_id="password-reset", score=0.8), Hit(faq_id="double-charge", score=0.75)]
    request = request_for(kb, text, hits)
    assert answered_ids(request) == ["double-charge"]
    assert faq_ids(request) == ["double-charge"]


def test_a_weak_hit_without_its_topic_words_is_not_in_the_prompt(kb: KnowledgeBase) -> None:
    hits = [Hit(faq_id="returns", score=0.6)]
    request = request_for(kb, "Do you sell gift cards? I'd like to give one to my sister", hits)
    assert faq_ids(request) == []
    request = request_for(kb, "Can I return the lamp? It's the wrong colour", hits)
    assert faq_ids(request) == ["returns"]


def test_an_escalation_hands_over_instead_of_answering(kb: KnowledgeBase) -> None:
    text = "My refund never came. I will take you to court, my lawyer is ready."
    request = request_for(kb, text, [Hit(faq_id="refund-status", score=0.8)])
    assert request.analysis.escalations
    assert faq_ids(request) == []


def test_the_answer_is_given_in_the_replys_register(kb: KnowledgeBase) -> None:
    text = "Buenas tardes. ¿Podría usted indicarme cómo devolver un artículo?"
    request = request_for(kb, text, [Hit(faq_id="returns", score=0.8)], language="es")
    assert request.analysis.customer_register == "formal"
    [entry] = draft_variables(request)["faq"]
    assert entry["answer"] == kb.answer("returns", "es", "formal")
