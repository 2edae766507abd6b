"""Prefetched query vectors: embedded in batches ahead of their turn, cached across runs,
and the very bytes each message's own embedding gives, so results match item for item."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.evaluation import run_evaluation
from assistant.evaluation import runner as runner_module
from assistant.evaluation.prefetch import ahead, chunks
from assistant.evaluation.store import CachedEmbedder
from assistant.knowledge import load_knowledge_base
from assistant.pipeline import Assistant
from assistant.understanding.embeddings import E5Embedder, default_embedder, query_vectors
from assistant.understanding.retrieval import Retriever
from tests.evaluation.eval_support import FakeEmbedder, make_item, results_without_timings

TEXTS = [
    "where is my order? it is late",
    "Որտե՞ղ է իմ պատվերը",
    "quiero devolver los zapatos 👟, son pequeños",
    "配送はいつですか",
    "refund please " * 40,  # over the query limit: cut the same way in a batch
    "broken emoji \ud83d here",  # a lone surrogate
    "ok",
]


class Counting(FakeEmbedder):
    """Records each text embedded as a query, one at a time or in batches."""

    def __init__(self) -> None:
        self.single: list[str] = []
        self.batched: list[str] = []
        self._lock = threading.Lock()

    def embed_query(self, text: str) -> Any:
        with self._lock:
            self.single.append(text)
        return super().embed_query(text)

    def query_vectors(self, texts: list[str]) -> Any:
        self.batched += texts
        return np.vstack([super(Counting, self).embed_query(t) for t in texts])


def test_batched_e5_query_vectors_are_the_single_ones_bit_for_bit() -> None:
    embedder = E5Embedder()
    alone = np.vstack([embedder.embed_query(text) for text in TEXTS])
    assert np.array_equal(embedder.query_vectors(TEXTS), alone)
    assert np.array_equal(embedder.query_vectors(TEXTS[::-1]), alone[::-1]), "order-free"


def test_an_embedder_without_batches_is_asked_one_text_at_a_time() -> None:
    plain = FakeEmbedder()
    rows = query_vectors(plain, ["a", "b"])
    assert np.array_equal(rows, np.vstack([plain.embed_query("a"), plain.embed_query("b")]))


def test_a_prefetched_vector_is_used_then_forgotten() -> None:
    embedder = Counting()
    retriever = Retriever(load_knowledge_base(), embedder)
    keys = retriever.prefetch(["where is my order?", "where is my order?", "refund"])
    assert embedder.batched == ["where is my order?", "refund"], "once each, in one batch"
    vector = retriever.embed("where is my order?")
    assert np.array_equal(vector, embedder.embed_query("where is my order?"))
    embedder.single.clear()
    retriever.embed("refund")
    assert embedder.single == [], "served from the prefetched vectors"
    retriever.forget(keys)
    retriever.embed("refund")
    assert embedder.single == ["refund"], "forgotten: embedded on its own again"


def test_prefetching_with_another_model_is_refused() -> None:
    retriever = Retriever(load_knowledge_base(), Counting())
    other = FakeEmbedder()
    other.id = "another-model"
    with pytest.raises(ValueError, match="pass the same model"):
        retriever.prefetch(["hi"], other)


def test_query_vectors_are_cached_apart_from_documents(tmp_path: Path) -> None:
    inner = Counting()
    first = CachedEmbedder(inner, tmp_path / "vectors.sqlite3").query_vectors(["un", "deux"])
    again = CachedEmbedder(inner, tmp_path / "vectors.sqlite3")
    assert np.array_equal(again.query_vectors(["deux", "un"]), first[[1, 0]])
    assert inner.batched == ["un", "deux"], "a second run embeds nothing"
    again.embed_documents(["un"])  # a document of the same text is another vector
    assert np.array_equal(first[0], inner.embed_query("un"))


def test_chunks_grow_and_keep_the_order() -> None:
    parts = chunks(list(range(100)), first=8, largest=32)
    assert [len(p) for p in parts] == [8, 16, 32, 32, 12]
    assert [i for p in parts for i in p] == list(range(100))


def test_each_chunk_is_prefetched_before_its_turn_and_dropped_after() -> None:
    log: list[str] = []

    @contextmanager
    def prefetch(texts: list[str]) -> Iterator[int]:
        log.append(f"in {texts[0]}")
        yield len(texts)
        log.append(f"out {texts[0]}")

    for part in ahead([str(i) for i in range(100)], str, prefetch):
        assert f"in {part[0]}" in log and f"out {part[0]}" not in log
    assert sorted(log) == sorted(f"{way} {s}" for s in ("0", "32", "96") for way in ("in", "out"))


def test_stopping_early_drops_what_was_fetched_ahead() -> None:
    held: set[str] = set()

    @contextmanager
    def prefetch(texts: list[str]) -> Iterator[int]:
        held.add(texts[0])
        try:
            yield len(texts)
        finally:
            held.discard(texts[0])

    loop = ahead([str(i) for i in range(100)], str, prefetch)
    next(loop)
    loop.close()
    assert held == set()


def test_a_failing_prefetch_still_yields_every_item() -> None:
    def prefetch(texts: list[str]) -> Any:
        raise RuntimeError("model file missing")

    parts = list(ahead(list(range(50)), str, prefetch))
    assert [i for p in parts for i in p] == list(range(50))


def test_an_evaluation_with_prefetching_matches_one_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real assistant, e5 and all: the same results item for item (timings aside),
    and no message embeds itself when its vector was prefetched."""
    texts = ["where is my order?", "Quiero un reembolso", "Ձեր խանութը փակ է՞", "thanks!"] * 10
    items = [make_item(f"x-{i:03d}", text=f"{t} #{i // 4}") for i, t in enumerate(texts)]
    assistant = Assistant.load()
    model = default_embedder()
    calls: list[str] = []
    single = model.embed_query
    monkeypatch.setattr(model, "embed_query", lambda t: calls.append(t) or single(t))
    options: dict[str, Any] = {
        "assistant": assistant,
        "progress": False,
        "embedder": FakeEmbedder(),
    }
    run_evaluation(items, tmp_path / "prefetched", **options)
    assert calls == [], "every query vector came from the batches"
    monkeypatch.setattr(runner_module, "prefetcher", lambda *_: None)
    run_evaluation(items, tmp_path / "alone", **options)
    assert len(calls) == len(items)
    assert results_without_timings(tmp_path / "prefetched") == results_without_timings(
        tmp_path / "alone"
    )


def test_e5_vectors_do_not_depend_on_the_thread_count() -> None:
    """Forked evaluation workers run e5 on one OpenMP thread each (`evaluation.parallel`)."""
    script = (
        "import sys, json, numpy as np\n"
        "from assistant.understanding.embeddings import E5Embedder\n"
        "texts = json.loads(sys.stdin.read())\n"
        "e = E5Embedder()\n"
        "rows = np.vstack([e.embed_query(t) for t in texts] + [e.query_vectors(texts)])\n"
        "sys.stdout.buffer.write(rows.tobytes())\n"
    )
    texts = [t.encode("utf-8", "replace").decode("utf-8") for t in TEXTS]
    one_thread = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(texts).encode(),
        capture_output=True,
        check=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    embedder = E5Embedder()
    here = np.vstack([embedder.embed_query(t) for t in texts] + [embedder.query_vectors(texts)])
    assert np.array_equal(
        np.frombuffer(one_thread.stdout, dtype=np.float32).reshape(here.shape), here
    )
