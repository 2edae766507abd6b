"""Embed a run's messages ahead of their turn: in batches, on a side thread, cached.

The one e5 query embedding per message is most of an offline evaluation's time. Here the
runner hands the assistant the vectors of a whole chunk of messages before their turn
(`Assistant.prefetched`), so each `suggest` skips its own embedding:

- batches cost less CPU per text than one call a text, and keep both cores busy;
- the next chunk is embedded on a side thread while this chunk's pipelines run: the C
  engine runs without the GIL, so the second core embeds while the first one drafts;
- the vectors are kept in the run cache (`CachedEmbedder.query_vectors`), so a second
  run of the same messages (the B of an A/B, a rerun) embeds nothing.

The vectors are the very bytes a message's own embedding gives (`E5Embedder.query_vectors`,
`tests/evaluation/test_eval_prefetch.py`), so results are the same item for item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, suppress
from pathlib import Path
from typing import TypeVar

from assistant.evaluation.store import with_cache

I = TypeVar("I")  # noqa: E741 - an item
#: Embeds the query vectors of these texts for the block (`Assistant.prefetched`).
Prefetch = Callable[[list[str]], AbstractContextManager[int]]
#: The first chunk is small (drafting starts at once); later ones double up to LARGEST.
FIRST, LARGEST = 32, 512


def prefetcher(assistant: object, cache_dir: Path) -> Prefetch | None:
    """How to prefetch for `assistant` through the run's vector cache; None when it cannot
    (an assistant without embeddings, or a stand-in without `prefetched`)."""
    prefetched = getattr(assistant, "prefetched", None)
    inner = getattr(getattr(assistant, "retriever", None), "embedder", None)
    if prefetched is None or inner is None:
        return None
    source = with_cache(inner, cache_dir)

    def prefetch(texts: list[str]) -> AbstractContextManager[int]:
        manager: AbstractContextManager[int] = prefetched(texts, source)
        return manager

    return prefetch


def chunks(items: Sequence[I], first: int = FIRST, largest: int = LARGEST) -> list[list[I]]:
    """`items` in order, in chunks of `first`, twice that, ... up to `largest` each."""
    parts: list[list[I]] = []
    start, size = 0, first
    while start < len(items):
        parts.append(list(items[start : start + size]))
        start, size = start + size, min(size * 2, largest)
    return parts


def ahead(
    items: Sequence[I], text: Callable[[I], str], prefetch: Prefetch | None
) -> Iterator[list[I]]:
    """`items` in chunks, each yielded once its vectors are in, while the next chunk's are
    embedded on a side thread; a chunk's vectors are dropped when the loop moves on (or
    stops). Without `prefetch`, just the chunks."""
    parts = chunks(items)
    if prefetch is None or not parts:
        yield from parts
        return

    def enter(part: list[I]) -> ExitStack:
        return held(prefetch, [text(item) for item in part])

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prefetch") as side:
        pending: Future[ExitStack] | None = side.submit(enter, parts[0])
        try:
            for index, part in enumerate(parts):
                assert pending is not None
                current, pending = pending.result(), None
                with current:
                    if index + 1 < len(parts):
                        pending = side.submit(enter, parts[index + 1])
                    yield part
        finally:
            if pending is not None:  # stopped early: drop what was fetched for nothing
                pending.result().close()


def held(prefetch: Prefetch, texts: list[str]) -> ExitStack:
    """The vectors of `texts` prefetched until the returned stack closes. A failure is not
    lost: each message then embeds itself, and records why it could not."""
    stack = ExitStack()
    with suppress(Exception):
        stack.enter_context(prefetch(texts))
    return stack
