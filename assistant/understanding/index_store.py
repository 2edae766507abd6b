"""Embedding matrices on disk: shipped prebuilt, cached per guidelines version, reused
text by text.

    matrix = load_matrix(embedder, texts, cache_dir / "faq-index-v3-<fingerprint>-<model>.npy")

Where the rows come from, first match wins:
1. the file itself (in the cache folder, or shipped under `assistant/data/index/` for
   the sample brand), when it holds exactly these texts in this order;
2. the vector pool of the embedder (`vectors-<model>.npz` in the cache folder, seeded
   with every shipped file of that model): one vector per text hash, from every matrix
   built before. An FAQ edit changes the fingerprint, so step 1 misses, but only the
   texts that changed are embedded;
3. the embedder, for the texts left, in one batch.

Every file holds `keys` (a hash of each text) beside `vectors`, so a matrix can never
be used for texts it was not built from. Files are written atomically (a crash never
leaves half a file); a read-only cache folder only means nothing is stored.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from numpy.lib.npyio import NpzFile
from numpy.typing import NDArray

from assistant.understanding.embeddings import Embedder, Vector, embed_queries

#: Vectors kept in a pool at most (about 1.5 kB each): older guideline versions drop out.
POOL_LIMIT = 20_000
_POOL_LOCK = threading.Lock()

Keys = NDArray[np.str_]


def prebuilt_dir() -> Path:
    """The shipped matrices of the sample brand (`make index` rebuilds them)."""
    from assistant.resources import data_path

    return data_path("index")


def safe_id(embedder: Embedder) -> str:
    """The embedder id as a file-name part."""
    return re.sub(r"[^\w.-]", "_", embedder.id)


def text_keys(texts: Iterable[str]) -> Keys:
    """A short hash of each text (what a stored row was embedded from)."""
    return np.array([hashlib.sha256(t.encode("utf-8", "replace")).hexdigest()[:24] for t in texts])


def load_matrix(embedder: Embedder, texts: list[str], cache: Path | None) -> Vector:
    """Query-style embeddings of `texts`: stored, shipped, pooled or computed (see above)."""
    keys = text_keys(texts)
    if cache is not None:  # never overwrite a bare .npy matrix an older version may read
        cache = cache.with_suffix(".npz")
    for path in _candidates(cache):
        found = read_matrix(path, keys)
        if found is not None:
            return found
    matrix = _from_pool(embedder, texts, keys, cache.parent if cache is not None else None)
    if cache is not None:
        write_matrix(cache, keys, matrix)
    return matrix


def _candidates(cache: Path | None) -> list[Path]:
    if cache is None:
        return []
    return [cache, prebuilt_dir() / cache.name]


def read_matrix(path: Path, keys: Keys) -> Vector | None:
    """The vectors stored at `path` if they were built from exactly `keys`, else None."""
    stored = _open(path)
    if stored is None:
        return None
    with stored:
        if not np.array_equal(stored["keys"], keys):
            return None
        vectors: Vector = stored["vectors"].astype(np.float32)
        return vectors


def _open(path: Path) -> NpzFile | None:
    """The .npz file at `path`, or None when missing, damaged or of the old .npy format."""
    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if not isinstance(loaded, NpzFile) or not {"keys", "vectors"} <= set(loaded.files):
        return None
    return loaded


def write_matrix(path: Path, keys: Keys, vectors: Vector) -> None:
    """Store `keys` and `vectors` at `path` atomically; a read-only disk stores nothing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
        with tmp.open("wb") as handle:
            np.savez(handle, keys=keys, vectors=vectors.astype(np.float32))
        tmp.replace(path)
    except OSError:
        return


def _from_pool(embedder: Embedder, texts: list[str], keys: Keys, folder: Path | None) -> Vector:
    """Rows of `texts` from the embedder's pool, embedding (in one batch) only new texts."""
    with _POOL_LOCK:
        pool = _read_pool(embedder, folder)
        missing = sorted({k: i for i, k in enumerate(keys) if k not in pool}.values())
        if missing:
            fresh = embed_queries(embedder, [texts[i] for i in missing])
            pool.update(zip((str(keys[i]) for i in missing), fresh, strict=True))
            if folder is not None:
                _write_pool(embedder, folder, pool)
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack([pool[str(k)] for k in keys]).astype(np.float32)


def _pool_path(embedder: Embedder, folder: Path) -> Path:
    return folder / f"vectors-{safe_id(embedder)}.npz"


def _read_pool(embedder: Embedder, folder: Path | None) -> dict[str, Vector]:
    """Every stored vector of this embedder: shipped files first, then the cache's pool."""
    paths = sorted(p for p in _listing(prebuilt_dir()) if _of_model(p.name, embedder))
    if folder is not None:
        paths.append(_pool_path(embedder, folder))
    pool: dict[str, Vector] = {}
    for path in paths:
        stored = _open(path)
        if stored is not None:
            with stored:
                pool.update(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    return pool


def _of_model(name: str, embedder: Embedder) -> bool:
    """True for a file name that ends with the embedder's id, however it was sanitised."""
    plain = re.sub(r"[^0-9A-Za-z]", "_", name)
    return plain.endswith(re.sub(r"[^0-9A-Za-z]", "_", embedder.id) + "_npz")


def _listing(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _write_pool(embedder: Embedder, folder: Path, pool: dict[str, Vector]) -> None:
    items = list(pool.items())[-POOL_LIMIT:]  # dicts keep insertion order: newest last
    keys = np.array([k for k, _ in items])
    vectors = np.vstack([v for _, v in items]) if items else np.zeros((0, 384), np.float32)
    write_matrix(_pool_path(embedder, folder), keys, vectors)
