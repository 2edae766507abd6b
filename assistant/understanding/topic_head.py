"""Which FAQ entry a message is about, read by a classifier trained on labelled messages.

A linear head on the e5 query vector the pipeline already computes (one matrix product),
fitted by `benchmarks/fit_topic_head.py` on the sample brand's question variants and the
dev split of `evaluation/datasets/messages.jsonl` (labelled by the entry a good reply
cites, or "none"). It is a second opinion beside retrieval and topic words: the "answer
may not fit" check (`checks/fit.py`) warns when it gives the cited entry little chance.

The head knows the FAQ ids it was fitted on: for a brand with other entries it gives no
opinion (an empty mapping) until refitted on that brand's variants and messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from assistant.resources import data_path
from assistant.understanding.embeddings import Vector

HEAD_FILE = ("understanding", "topic_head.npz")
#: The label of "no FAQ entry answers this message".
NO_ENTRY = "none"


@dataclass(frozen=True)
class TopicHead:
    """Fitted numbers: `weights` (dim x labels), `bias` (labels), the labels (FAQ ids
    and NO_ENTRY) and the embedder whose vectors they read."""

    weights: NDArray[np.float64]
    bias: NDArray[np.float64]
    labels: tuple[str, ...]
    embedder_id: str

    def probabilities(self, vector: Vector) -> dict[str, float]:
        logits = np.asarray(vector, dtype=np.float64) @ self.weights + self.bias
        odds = np.exp(logits - logits.max())
        odds /= odds.sum()
        return {label: round(float(p), 4) for label, p in zip(self.labels, odds, strict=True)}


@lru_cache(maxsize=1)
def load_topic_head() -> TopicHead:
    """The shipped head (read once per process)."""
    with np.load(data_path(*HEAD_FILE), allow_pickle=False) as saved:
        return TopicHead(
            weights=saved["weights"].astype(np.float64),
            bias=saved["bias"].astype(np.float64),
            labels=tuple(str(label) for label in saved["labels"]),
            embedder_id=str(saved["embedder_id"]),
        )


def topic_probabilities(vector: Vector | None, faq_ids: frozenset[str]) -> dict[str, float]:
    """FAQ id (or NO_ENTRY) -> probability that a good reply cites it; empty without a
    vector of the head's size or when the brand's entries are not the head's."""
    if vector is None:
        return {}
    head = load_topic_head()
    if frozenset(head.labels) - {NO_ENTRY} != faq_ids or len(vector) != head.weights.shape[0]:
        return {}
    return head.probabilities(vector)
