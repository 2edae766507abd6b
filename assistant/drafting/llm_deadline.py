"""The total time budget of one suggestion's LLM work (ASSISTANT_DEADLINE_S).

`deadline(seconds)` opens a budget for the current thread (a context variable); nested
calls share the outer one, so the n drafts of one suggestion, their retries and their
waits all spend the same budget. `call_within(fn, seconds)` runs a blocking call in a
daemon thread and stops waiting when the time is up, whatever the server does (a
server that trickles one byte a second never trips an HTTP read timeout).
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Deadline:
    """A point in time (monotonic clock) and the budget it was opened with."""

    ends: float
    seconds: float

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0


_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "llm_deadline", default=None
)


def current_deadline() -> Deadline | None:
    return _CURRENT.get()


@contextmanager
def deadline(seconds: float) -> Iterator[Deadline]:
    """A budget of `seconds` for the block, unless an outer budget is already running."""
    outer = _CURRENT.get()
    if outer is not None:
        yield outer
        return
    opened = Deadline(ends=time.monotonic() + seconds, seconds=seconds)
    token = _CURRENT.set(opened)
    try:
        yield opened
    finally:
        _CURRENT.reset(token)


class CallTimedOut(Exception):
    """`call_within` stopped waiting after `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:.3g} s")
        self.seconds = seconds


def call_within(fn: Callable[[], T], seconds: float) -> T:
    """`fn()`, or CallTimedOut after `seconds`; exceptions of `fn` are raised here.

    The call runs in a daemon thread with a copy of the caller's context, so context
    variables (the response cache's trace) still work. A call that times out is left
    to finish in the background; its result is discarded.
    """
    context = contextvars.copy_context()
    done = threading.Event()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = context.run(fn)
        except BaseException as error:  # handed to the caller, never lost in the thread
            box["error"] = error
        finally:
            done.set()

    threading.Thread(target=work, name="llm-call", daemon=True).start()
    if not done.wait(max(0.0, seconds)):
        raise CallTimedOut(seconds)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
