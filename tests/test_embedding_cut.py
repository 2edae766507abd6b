"""Cutting a query to the e5 limit: long texts are searched inside a window of their start,
with the same cut (and so the same vector) as a search over the whole text."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from assistant.evaluation.dataset import DEFAULT_DATASET
from assistant.understanding.embeddings import MAX_QUERY_TOKENS, E5Embedder
from tests.fuzz.shapes import LIMIT, shapes


def _whole_text_cut(model: Any, text: str, limit: int) -> str:
    """The cut as it was: the whole text counted, then a binary search over all of it."""
    if model.token_count(text, True) <= limit:
        return text
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if model.token_count(text[:middle], True) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low]


class _Counting:
    """The model, recording the length of every text whose tokens are counted."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.lengths: list[int] = []

    def token_count(self, text: str, query: bool) -> int:
        self.lengths.append(len(text))
        return int(self.model.token_count(text, query))


@pytest.fixture(scope="module")
def embedder() -> E5Embedder:
    return E5Embedder()


def _messages() -> list[str]:
    lines = DEFAULT_DATASET.read_text(encoding="utf-8").split("\n")
    return [row["text"] for row in map(json.loads, filter(None, lines)) if row["split"] == "dev"]


def _long_texts() -> list[str]:
    """Long ordinary text: dev messages joined (a pasted thread)."""
    joined = " ".join(_messages())
    return [joined[:LIMIT], joined[len(joined) // 2 :][:5_000], joined[-3_000:]]


def test_ordinary_messages_are_cut_exactly_as_before(embedder: E5Embedder) -> None:
    model = embedder._get()
    messages = _messages()
    assert len(messages) >= 50
    for text in messages:
        assert embedder._cut(model, text) == _whole_text_cut(model, text, MAX_QUERY_TOKENS)


def test_long_texts_get_the_same_cut_without_counting_the_whole_text(
    embedder: E5Embedder,
) -> None:
    """Exactly the same cut where token counts grow with the prefix; where they do not
    (combining marks of Indic scripts can make a longer prefix count fewer tokens, as in
    the hostile shapes below) no binary search has one answer, and the window's cut is
    within the limit and about as long."""
    model = embedder._get()
    same = 0
    for text in _long_texts():
        counting = _Counting(model)
        cut = embedder._cut(counting, text)
        whole = _whole_text_cut(model, text, MAX_QUERY_TOKENS)
        same += cut == whole
        assert text.startswith(cut) and model.token_count(cut, True) <= MAX_QUERY_TOKENS
        assert len(cut) >= 0.9 * len(whole)
        assert max(counting.lengths) < len(text)  # the end was never tokenised
    assert same >= 2


@pytest.mark.parametrize("shape", ["repeat '1 '", "repeat 'カカ'", "repeat 'a.'", "repeat 'aa'"])
def test_hostile_shapes_are_cut_within_the_limit_from_a_window(
    embedder: E5Embedder, shape: str
) -> None:
    """Token counts of some repeats ("aaaa...") are not monotone in the prefix length, so
    no binary search finds the one longest prefix; the window's cut is within the limit
    and about as long as the whole-text search's."""
    model = embedder._get()
    text = shapes()[shape](LIMIT)
    counting = _Counting(model)
    cut = embedder._cut(counting, text)
    assert text.startswith(cut)
    assert model.token_count(cut, True) <= MAX_QUERY_TOKENS
    assert len(cut) >= 0.9 * len(_whole_text_cut(model, text, MAX_QUERY_TOKENS))
    assert max(counting.lengths) <= 4_096


def test_whitespace_under_the_limit_is_not_cut(embedder: E5Embedder) -> None:
    text = shapes()["repeat '  '"](LIMIT)
    assert embedder._cut(embedder._get(), text) == text


def test_a_long_text_embeds_as_its_cut_prefix(embedder: E5Embedder) -> None:
    model = embedder._get()
    text = _long_texts()[0]
    expected = np.asarray(model.query(_whole_text_cut(model, text, MAX_QUERY_TOKENS)))
    assert np.array_equal(embedder.embed_query(text), expected.astype(np.float32))
