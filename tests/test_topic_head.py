"""The topic head: a second opinion on which FAQ entry a message is about."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.knowledge import load_knowledge_base
from assistant.pipeline import Assistant
from assistant.understanding.topic_head import NO_ENTRY, load_topic_head, topic_probabilities


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load()


def test_the_shipped_head_knows_the_sample_brands_entries() -> None:
    kb = load_knowledge_base()
    assert set(load_topic_head().labels) == {*kb.faq, NO_ENTRY}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my parcel still hasn't shown up, it's been ten days", "order-status"),
        ("Mi contraseña no funciona y no puedo entrar a mi cuenta", "password-reset"),
        ("Vous faites des emballages cadeaux ?", NO_ENTRY),
    ],
)
def test_it_reads_the_topic_of_a_message(assistant: Assistant, text: str, expected: str) -> None:
    odds = assistant.suggest(text).analysis.topic_probabilities
    assert max(odds, key=lambda label: odds[label]) == expected
    assert sum(odds.values()) == pytest.approx(1.0, abs=1e-3)


def test_no_opinion_without_a_vector_or_for_other_entries() -> None:
    head = load_topic_head()
    faq_ids = frozenset(head.labels) - {NO_ENTRY}
    assert topic_probabilities(None, faq_ids) == {}
    vector = np.zeros(head.weights.shape[0], dtype=np.float32)
    assert topic_probabilities(vector, faq_ids | {"gift-wrap"}) == {}
    assert topic_probabilities(vector, faq_ids) != {}
