"""Server-sent events for `/v1/suggestions`: each draft as soon as it is written, then
every draft's findings, then the whole suggestion.

The suggestion runs in its own thread on a shallow copy of the assistant whose drafter
announces each draft it writes. The answer starts once the first draft exists, so a
message the assistant refuses (empty, binary) still gets a plain 422, not a broken stream.
"""

from __future__ import annotations

import copy
import json
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

from assistant.types import Draft, Suggestion

__all__ = ["stream_suggestion"]

_Item = tuple[str, Any]  # ("draft", Draft) | ("done", Suggestion) | ("error", Exception)


class _AnnouncingDrafter:
    """Wraps a drafter: every draft it writes is also put on a queue."""

    def __init__(self, inner: Any, items: queue.Queue[_Item]) -> None:
        self._inner = inner
        self._items = items

    def draft(self, request: Any) -> Draft:
        made: Draft = self._inner.draft(request)
        self._items.put(("draft", made))
        return made

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def stream_suggestion(
    assistant: Any, run: Callable[..., Suggestion], kwargs: dict[str, Any]
) -> Iterator[str]:
    """Start suggesting; return the event stream once a first draft (or the end) is there.

    `run(fn, **kwargs)` calls `fn` under the service's concurrency gate. An error raised
    before any draft is raised here, so the caller answers it as usual.
    """
    items: queue.Queue[_Item] = queue.Queue()
    local = copy.copy(assistant)
    local.drafter = _AnnouncingDrafter(assistant.drafter, items)

    def work() -> None:
        try:
            items.put(("done", run(local.suggest, **kwargs)))
        except Exception as exc:
            items.put(("error", exc))

    threading.Thread(target=work, name="assistant-stream", daemon=True).start()
    first = items.get()
    if first[0] == "error":
        raise first[1]
    return _events(first, items)


def _events(first: _Item, items: queue.Queue[_Item]) -> Iterator[str]:
    sent: list[str] = []
    item = first
    while True:
        kind, value = item
        if kind == "error":
            yield _sse("error", {"detail": str(value)})
            return
        if kind == "done":
            yield from _closing(value)
            return
        if value.text not in sent:  # the pipeline drops a variant that repeats another
            sent.append(value.text)
            payload = value.model_dump(mode="json", exclude={"findings"})
            yield _sse("draft", {"index": len(sent) - 1, **payload})
        item = items.get()


def _closing(suggestion: Suggestion) -> Iterator[str]:
    for index, draft in enumerate(suggestion.drafts):
        findings = [f.model_dump(mode="json") for f in draft.findings]
        yield _sse("findings", {"index": index, "findings": findings})
    yield _sse("done", suggestion.model_dump(mode="json"))


def _sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
