"""Embedding matrices: shipped prebuilt for the sample brand, reused text by text after an
edit, never used for texts they were not built from; one embedder shared by threads."""

from __future__ import annotations

import hashlib
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from assistant.knowledge import load_knowledge_base
from assistant.understanding.embeddings import E5Embedder, Vector, default_embedder
from assistant.understanding.guidance import GuidanceIndex
from assistant.understanding.index_store import load_matrix, prebuilt_dir
from assistant.understanding.prebuild import build
from assistant.understanding.retrieval import Retriever, index_name

REBUILD = "the shipped index is stale: run `make index` and commit assistant/data/index/"


class CountingEmbedder:
    """Deterministic unit vectors from a text hash; records every text it embeds."""

    def __init__(self, model_id: str = "counting-test-embedder") -> None:
        self.id = model_id
        self.embedded: list[str] = []
        self.calls = 0

    def embed_query(self, text: str) -> Vector:
        return self.embed_queries([text])[0]

    def embed_documents(self, texts: list[str]) -> Vector:
        return self.embed_queries(texts)

    def embed_queries(self, texts: list[str]) -> Vector:
        self.calls += 1
        self.embedded += texts
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            row = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
            rows.append(row / np.linalg.norm(row))
        return np.vstack(rows) if rows else np.zeros((0, 384), dtype=np.float32)


def test_the_shipped_index_matches_the_sample_brand(tmp_path: Path) -> None:
    """`pip install` then `assistant draft` embeds nothing: every matrix the sample brand
    needs ships in the package under the current guidelines fingerprint."""
    kb = load_knowledge_base()
    real = default_embedder()
    spy = CountingEmbedder(real.id)  # same id as the real model, so the same file names
    assert (prebuilt_dir() / index_name(kb, real)).exists(), REBUILD
    Retriever(kb, spy, cache_dir=tmp_path)
    GuidanceIndex(kb, spy, tmp_path)
    assert spy.embedded == [], REBUILD


def test_make_index_on_a_current_index_keeps_it(tmp_path: Path) -> None:
    """Run twice, `make index` finds the shipped files current (nothing to build) and keeps
    them; only files of another fingerprint go."""
    kb = load_knowledge_base()
    real = default_embedder()
    out = tmp_path / "index"
    shutil.copytree(prebuilt_dir(), out)
    (out / "faq-index-v3-0000000000000000-old.npz").write_bytes(b"stale")
    kept = build(kb, CountingEmbedder(real.id), out)
    assert {p.name for p in kept} == {p.name for p in prebuilt_dir().glob("*.npz")}
    assert sorted(out.glob("*.npz")) == kept


def test_an_faq_edit_embeds_only_what_changed(tmp_path: Path) -> None:
    brand = shutil.copytree(load_knowledge_base().root, tmp_path / "brand")
    cache = tmp_path / "cache"
    embedder = CountingEmbedder()
    first = Retriever(load_knowledge_base(brand), embedder, cache_dir=cache)
    assert embedder.calls == 1, "the index is embedded in one batch"
    assert len(embedder.embedded) == sum(u.kind != "answer" for u in first.units)
    embedder.embedded.clear()
    faq = brand / "faq" / "order-status.yaml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace("  en:\n", "  en:\n  - has my parcel left the warehouse\n", 1))
    second = Retriever(load_knowledge_base(brand), embedder, cache_dir=cache)
    assert second.kb.fingerprint != first.kb.fingerprint
    assert embedder.embedded == ["has my parcel left the warehouse"]
    embedder.embedded.clear()
    Retriever(load_knowledge_base(brand), embedder, cache_dir=cache)
    assert embedder.embedded == [], "a second load reads the cached matrix"


def test_a_matrix_is_never_used_for_other_texts(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    cache = tmp_path / "m.npz"
    load_matrix(embedder, ["a", "b"], cache)
    embedder.embedded.clear()
    again = load_matrix(embedder, ["b", "a"], cache)  # same texts, other order
    assert embedder.embedded == [], "both vectors come from the pool"
    assert np.array_equal(again, embedder.embed_queries(["b", "a"]))


def test_a_bare_npy_matrix_of_an_older_version_is_left_alone(tmp_path: Path) -> None:
    old = tmp_path / "guidance-x.npy"
    np.save(old, np.zeros((1, 384), dtype=np.float32))
    load_matrix(CountingEmbedder(), ["a"], old)
    assert np.load(old).shape == (1, 384), "an older version can still read its file"
    assert (tmp_path / "guidance-x.npz").exists()


@pytest.mark.parametrize("content", [b"", b"not a numpy file", None])
def test_a_damaged_or_old_cache_file_is_rebuilt(tmp_path: Path, content: bytes | None) -> None:
    cache = tmp_path / "m.npz"
    if content is None:
        with cache.open("wb") as handle:  # the old format: a bare matrix without keys
            np.save(handle, np.zeros((2, 384), dtype=np.float32))
    else:
        cache.write_bytes(content)
    embedder = CountingEmbedder()
    matrix = load_matrix(embedder, ["a", "b"], cache)
    assert embedder.embedded == ["a", "b"]
    assert np.array_equal(matrix, CountingEmbedder().embed_queries(["a", "b"]))


def test_an_unwritable_cache_folder_still_gives_vectors(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # unwritable even for root, unlike chmod
    matrix = load_matrix(CountingEmbedder(), ["a"], blocker / "sub" / "m.npz")
    assert np.array_equal(matrix, CountingEmbedder().embed_queries(["a"]))


def test_threads_share_one_e5_model_without_a_lock() -> None:
    """The C engine is re-entrant: 8 threads at once get bit-identical vectors."""
    texts = [f"where is my order number {i}? it is late" for i in range(16)]
    embedder = E5Embedder()
    alone = [embedder.embed_query(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(embedder.embed_query, texts * 2))
    assert all(np.array_equal(a, b) for a, b in zip(alone * 2, together, strict=True))
    batched = embedder.embed_queries(texts)
    assert np.allclose(batched, np.vstack(alone), atol=1e-6)
