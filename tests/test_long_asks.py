"""Long letters whose ask comes late: request phrases, and the entry the story names most."""

from __future__ import annotations

import pytest

from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.understanding.retrieval import Retriever


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="module")
def lexical(kb: KnowledgeBase) -> Retriever:
    return Retriever(kb, use_embeddings=False)


def test_a_polite_letter_with_a_request_phrase_is_no_thanks_only(lexical: Retriever) -> None:
    praise = "Tuan/Puan, langsir itu sangat cantik dan kualitinya memuaskan. Terima kasih."
    letter = praise.replace("Terima kasih.", "Saya ingin bertanya cara memulangkan kerusi.")
    assert lexical.only_thanks(praise)
    assert not lexical.only_thanks(letter)


def test_the_entry_named_most_comes_first_in_a_long_message(
    kb: KnowledgeBase, lexical: Retriever
) -> None:
    text = "Plus member here. Does the coupon code work with a promo code discount at checkout?"
    ids = lexical.faq_ids
    order = [ids.index("cancel-subscription"), ids.index("discount-code")]
    first = lexical._most_named_first(order, text, "en")
    assert ids[first[0]] == "discount-code"
    # named about as often as the best one: the ranking stands
    even = "Please cancel my Plus membership and stop the renewal. Also my coupon code fails."
    assert lexical._most_named_first(order, even, "en") == order
