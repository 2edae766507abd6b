"""A customer message is embedded from its first MESSAGE_TOKENS tokens, the same way
on every route (one embedding, a prefetch); index texts keep MAX_QUERY_TOKENS."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from assistant.knowledge import load_knowledge_base
from assistant.understanding.embeddings import MAX_QUERY_TOKENS, MESSAGE_TOKENS, E5Embedder
from assistant.understanding.retrieval import Retriever, searchable

LONG = (
    "Hello, I ordered the walnut floor lamp three weeks ago and it still has not arrived. "
    "The tracking page has said 'in transit' for ten days, nobody answers the phone line, "
    "and my chat from last Tuesday was closed without a reply. Can you tell me where it is "
    "or refund me? I have been a customer for years and this is really disappointing."
)


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever(load_knowledge_base(), use_embeddings=False)


@pytest.fixture(scope="module")
def embedder() -> E5Embedder:
    return E5Embedder()


def _with(retriever: Retriever, embedder: E5Embedder) -> Retriever:
    retriever.embedder = embedder  # the lexical index is enough: only embed() is tested
    return retriever


def test_a_long_message_is_embedded_from_its_head(
    retriever: Retriever, embedder: E5Embedder
) -> None:
    model = embedder._get()
    assert model.token_count(LONG, True) > MAX_QUERY_TOKENS > MESSAGE_TOKENS
    head = embedder.head(LONG, MESSAGE_TOKENS)
    assert (
        model.token_count(head, True)
        <= MESSAGE_TOKENS
        < model.token_count(LONG[: len(head) + 12], True)
    )
    vector = _with(retriever, embedder).embed(LONG)
    assert vector is not None
    np.testing.assert_array_equal(vector, np.asarray(model.query(head), dtype=np.float32))


def test_a_short_message_is_embedded_whole(retriever: Retriever, embedder: E5Embedder) -> None:
    text = "where is my order? it's been a week"
    vector = _with(retriever, embedder).embed(text)
    assert vector is not None
    np.testing.assert_array_equal(vector, embedder.embed_query(searchable(text)))


def test_a_prefetch_gives_the_same_vector(retriever: Retriever, embedder: E5Embedder) -> None:
    retriever = _with(retriever, embedder)
    alone = retriever.embed(LONG)
    keys = retriever.prefetch([LONG, "hi"])
    try:
        assert len(keys) == 2 and retriever._prefetched[keys[0]] is not None
        np.testing.assert_array_equal(retriever.embed(LONG), alone)  # type: ignore[arg-type]
    finally:
        retriever.forget(keys)


class _Counting:
    def __init__(self, model: Any) -> None:
        self.model = model
        self.counted: list[str] = []

    def token_count(self, text: str, query: bool) -> int:
        self.counted.append(text)
        return int(self.model.token_count(text, query))

    def query(self, text: str) -> Any:
        return self.model.query(text)


def test_a_head_is_not_counted_again(embedder: E5Embedder) -> None:
    counting = _Counting(embedder._get())
    fresh = E5Embedder()
    fresh._model = counting
    head = fresh.head(LONG + " (second copy)", MESSAGE_TOKENS)
    counted = len(counting.counted)
    fresh.embed_query(head)
    assert counted and len(counting.counted) == counted
