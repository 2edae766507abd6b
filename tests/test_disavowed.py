"""Disavowed topics: "not X, just Y" blanks X for retrieval, and only then."""

from __future__ import annotations

import pytest

from assistant.knowledge import load_knowledge_base
from assistant.understanding.disavowed import disavowed_spans, without_disavowed
from assistant.understanding.retrieval import Retriever


@pytest.mark.parametrize(
    ("text", "blanked"),
    [
        ("I'm not asking for a refund, I only want to know when the sofa comes", "refund"),
        ("no quiero cancelar nada, solo saber cuánto tarda el envío a Perú", "cancelar"),
        ("return vaddu, naa parcel ekkada undo cheppandi chaalu", "return"),
        ("gak minta refund kok, cuma mau tanya ongkir ke Malaysia", "refund"),
    ],
)
def test_a_disavowed_clause_is_blanked(text: str, blanked: str) -> None:
    read = without_disavowed(text)
    assert len(read) == len(text)  # spans found later stay valid
    assert blanked not in read
    assert disavowed_spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't want a refund, I want a replacement lamp",  # no "just": the ask itself
        "Nimbus Plus vaddu, cancel cheyyandi",  # "Plus vaddu" asks to cancel
        "my refund still hasn't come, just tell me when",  # no disavowal at all
    ],
)
def test_without_the_not_x_just_y_shape_nothing_is_blanked(text: str) -> None:
    assert without_disavowed(text) == text


def test_retrieval_answers_what_is_asked_not_what_is_disavowed() -> None:
    retriever = Retriever(load_knowledge_base(), use_embeddings=False)
    text = "not asking for a refund, just want to know where my parcel is, tracking says nothing"
    hits = retriever.search(text, language="en")
    assert hits and hits[0].faq_id == "order-status"
