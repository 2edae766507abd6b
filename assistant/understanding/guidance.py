"""Which guidelines matter for this message: brand rules, escalation rules, tone
descriptions and the cultural notes of the reply language, ranked for the agent.

Ranked like FAQ entries: embedding similarity when embeddings are on, word overlap
otherwise. Unlike FAQ retrieval there is no labelled data to calibrate a threshold, so
the top few are shown as reading aids, never used to write or block a reply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.knowledge import KnowledgeBase
from assistant.text import searchable, tokens
from assistant.types import Analysis, Message, Snippet
from assistant.understanding.embeddings import Embedder, Vector
from assistant.understanding.retrieval import load_matrix

MIN_SIMILARITY = 0.78  # e5 cosines of unrelated short texts sit around 0.70-0.78


@dataclass(frozen=True)
class _Entry:
    source: str
    language: str | None  # None: applies in every language
    text: str


def guideline_entries(kb: KnowledgeBase) -> list[_Entry]:
    """Every short guideline text worth showing next to a draft."""
    voice = kb.brand.voice
    entries = [_Entry("brand.voice.do", None, t) for t in voice.do]
    entries += [_Entry("brand.voice.dont", None, t) for t in voice.dont]
    entries += [
        _Entry(
            f"brand.escalation.{r.trigger}", None, f"{r.description} -> {r.team} via {r.channel}"
        )
        for r in kb.brand.escalation
    ]
    entries += [_Entry(f"tones.{name}", None, t.description) for name, t in kb.tones.items()]
    for lang, pack in kb.locales.items():
        entries += [_Entry(f"locales/{lang}.cultural_notes", lang, n) for n in pack.cultural_notes]
    return entries


class GuidanceIndex:
    """Ranks guideline snippets for a message; built once per knowledge base."""

    def __init__(
        self, kb: KnowledgeBase, embedder: Embedder | None = None, cache_dir: Path | None = None
    ) -> None:
        self.entries = guideline_entries(kb)
        self.embedder = embedder
        self._tokens = [set(tokens(e.text)) for e in self.entries]
        self._matrix: Vector | None = None
        if embedder is not None:
            safe_id = "".join(c if c.isalnum() else "_" for c in embedder.id)
            cache = (
                Path(cache_dir) / f"guidance-{kb.fingerprint}-{safe_id}.npy" if cache_dir else None
            )
            self._matrix = load_matrix(embedder, [e.text for e in self.entries], cache)

    def search(
        self,
        text: str,
        language: str,
        *,
        k: int = 3,
        query_vector: Vector | None = None,
        pinned: Iterable[str] = (),
    ) -> list[Snippet]:
        """The `k` most relevant snippets that apply to `language` (brand-wide ones too).

        `pinned` sources (e.g. the escalation rules the analysis fired) come first.
        """
        scores = self._scores(searchable(text), query_vector)
        first = set(pinned)
        scores = scores + np.array([1.0 if e.source in first else 0.0 for e in self.entries])
        usable = [i for i, e in enumerate(self.entries) if e.language in (None, language)]
        ranked = sorted(usable, key=lambda i: -scores[i])[:k]
        return [
            Snippet(
                source=self.entries[i].source,
                text=self.entries[i].text,
                score=round(float(scores[i]), 4),
            )
            for i in ranked
            if scores[i] > 0
        ]

    def _scores(self, text: str, vector: Vector | None) -> np.ndarray:
        if self._matrix is not None and self.embedder is not None:
            query = vector if vector is not None else self.embedder.embed_query(text)
            sims = (self._matrix @ query).astype(np.float64)
            return np.where(sims >= MIN_SIMILARITY, sims, 0.0)
        words = set(tokens(text))
        return np.array([len(words & t) / (len(t) or 1) for t in self._tokens])


#: What an agent can do about personal data posted on each public channel.
POST_ACTIONS: dict[str, str] = {
    "twitter": "X does not let a brand delete a customer's post: ask them to delete it, "
    "and hide it if it replies to one of your posts",
    "facebook": "hide or delete the comment (page admins can do both)",
    "instagram": "hide or delete the comment (you can delete comments on your own posts)",
}


def agent_notes(kb: KnowledgeBase, message: Message, analysis: Analysis) -> list[str]:
    """Notes for the agent beside the drafts: personal data posted publicly."""
    channel = kb.channels.get(message.channel)
    if channel is None or channel.visibility != "public" or not analysis.private_data:
        return []
    kinds = ", ".join(dict.fromkeys(d.kind.replace("_", " ") for d in analysis.private_data))
    action = POST_ACTIONS.get(message.channel, "hide or delete the post where the platform allows")
    return [
        f"the customer posted personal data ({kinds}) publicly on {channel.label}: {action}; "
        "the drafts ask them not to post it"
    ]
