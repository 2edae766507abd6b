"""Find the FAQ entries that answer a message, in any language.

Hybrid ranking: BM25 over script-aware tokens (exact words, typos aside) plus
multilingual embeddings (meaning, across languages). Each FAQ entry is indexed through
its question variants, intent and answers in every language; an entry scores the best
of its units. "No good match" is a real answer: hits under `threshold` are dropped so
drafts never cite an unrelated entry.

The embedding matrix is cached on disk under the guidelines' fingerprint, so it is
built once and rebuilt automatically when any guidelines file changes.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from assistant.embeddings import Embedder, Vector, default_embedder
from assistant.knowledge import KnowledgeBase
from assistant.tokenize import tokens
from assistant.types import Hit

#: Calibrated on the dev split of evaluation/datasets/messages.jsonl (see benchmarks).
SEMANTIC_FLOOR = 0.80
SEMANTIC_SPAN = 0.10
LEXICAL_WEIGHT = 0.35
DEFAULT_THRESHOLD = 0.40


_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+|[\w.+-]+@[\w-]+\.[\w.]+|[\d+()#-][\d\s()+-]{4,}")


def searchable(text: str) -> str:
    """The text without URLs, @handles, #tags, emails and long numbers: they carry no
    intent, and an order or phone number would only pull in unrelated entries."""
    cleaned = _NOISE.sub(" ", text[:2000])
    return cleaned if cleaned.strip() else text[:2000]


@dataclass(frozen=True)
class Unit:
    faq_id: str
    language: str
    kind: str  # question | intent | answer
    text: str


def index_units(kb: KnowledgeBase) -> list[Unit]:
    """Every searchable text of every FAQ entry."""
    units: list[Unit] = []
    for entry in kb.faq.values():
        units.append(Unit(entry.id, "en", "intent", entry.intent))
        for lang, variants in entry.questions.items():
            units += [Unit(entry.id, lang, "question", q) for q in variants]
        for lang in entry.answers:
            units.append(Unit(entry.id, lang, "answer", kb.answer(entry.id, lang) or ""))
    return units


class Retriever:
    """Ranks FAQ entries for a message. Build once per knowledge base; thread-safe."""

    def __init__(self, kb: KnowledgeBase, embedder: Embedder | None = None, *,
                 use_embeddings: bool = True, cache_dir: Path | None = None,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        self.kb = kb
        self.units = index_units(kb)
        self.faq_ids = sorted(kb.faq)
        self.threshold = threshold
        self.embedder = (embedder or default_embedder()) if use_embeddings else None
        self._bm25 = bm25s.BM25()
        self._bm25.index([tokens(u.text) for u in self.units], show_progress=False)
        self._matrix = self._load_matrix(cache_dir) if self.embedder else None
        self._lock = threading.Lock()

    def _load_matrix(self, cache_dir: Path | None) -> Vector:
        assert self.embedder is not None
        texts = [u.text for u in self.units]
        if cache_dir is None:
            return self.embedder.embed_documents(texts)
        safe_id = self.embedder.id.replace("/", "_").replace(":", "_")
        path = Path(cache_dir) / f"faq-index-{self.kb.fingerprint}-{safe_id}.npy"
        if path.exists():
            matrix = np.load(path)
            if matrix.shape[0] == len(texts):
                return matrix.astype(np.float32)
        matrix = self.embedder.embed_documents(texts)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, matrix)
        tmp.replace(path)  # atomic: a crash never leaves a half-written index
        return matrix

    def embed(self, text: str) -> Vector | None:
        """The query vector for `text` (shared with analysis), or None without embeddings."""
        return self.embedder.embed_query(searchable(text)) if self.embedder else None

    def search(self, text: str, *, k: int = 3, query_vector: Vector | None = None,
               keep_all: bool = False) -> list[Hit]:
        """Best `k` FAQ entries for `text`; only those above the threshold unless keep_all."""
        text = searchable(text)
        lexical = self._lexical(text)
        semantic = self._semantic(text, query_vector)
        hits = [self._hit(faq_id, lexical, semantic) for faq_id in self.faq_ids]
        hits.sort(key=lambda h: h.score, reverse=True)
        if not keep_all:
            hits = [h for h in hits if h.score >= self.threshold]
        return hits[:k]

    def _lexical(self, text: str) -> dict[str, tuple[float, int]]:
        query = tokens(text)
        if not query:
            return {}
        with self._lock:
            scores = self._bm25.get_scores(query)
        top = float(scores.max()) if len(scores) else 0.0
        best: dict[str, tuple[float, int]] = {}
        for i, score in enumerate(scores):
            unit = self.units[i]
            norm = float(score) / (top + 2.0) if top > 0 else 0.0
            if norm > best.get(unit.faq_id, (-1.0, -1))[0]:
                best[unit.faq_id] = (norm, i)
        return best

    def _semantic(self, text: str, vector: Vector | None) -> dict[str, tuple[float, int]]:
        if self._matrix is None:
            return {}
        vector = vector if vector is not None else self.embed(text)
        assert vector is not None
        sims = self._matrix @ vector
        best: dict[str, tuple[float, int]] = {}
        for i, sim in enumerate(sims):
            unit = self.units[i]
            if unit.kind != "answer" and float(sim) > best.get(unit.faq_id, (-1.0, -1))[0]:
                best[unit.faq_id] = (float(sim), i)
        return best

    def _hit(self, faq_id: str, lexical: dict[str, tuple[float, int]],
             semantic: dict[str, tuple[float, int]]) -> Hit:
        lex, lex_i = lexical.get(faq_id, (0.0, -1))
        sim, sem_i = semantic.get(faq_id, (0.0, -1))
        sem = min(max((sim - SEMANTIC_FLOOR) / SEMANTIC_SPAN, 0.0), 1.0) if semantic else 0.0
        weight = LEXICAL_WEIGHT if semantic else 1.0
        score = weight * lex + (1.0 - weight) * sem
        best = sem_i if sem_i >= 0 and (sem >= lex or lex_i < 0) else lex_i
        unit = self.units[best] if best >= 0 else None
        return Hit(faq_id=faq_id, score=round(score, 4), lexical=round(lex, 4),
                   semantic=round(sim, 4), matched_text=unit.text if unit else "",
                   matched_language=unit.language if unit else "")
