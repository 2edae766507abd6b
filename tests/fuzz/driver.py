"""A seeded fuzz driver on top of hypothesis, budgeted in cases or in time, and hostile
text strategies.

`fuzz(name, strategy, check)` runs hypothesis in batches with seeds FUZZ_SEED,
FUZZ_SEED+1... and returns how many cases ran. The budget of each surface is either a
number of cases (FUZZ_CASES: exactly that many, however long it takes) or, without
FUZZ_CASES, its share of FUZZ_SECONDS of wall-clock time. Every call of `check` is
bounded by an alarm: a hang fails with the input that caused it. A failure is shrunk by
hypothesis and reported with its seed, so it replays exactly. The session summary prints
the cases and seconds of every surface.

    FUZZ_CASES=10000 make fuzz    # 10,000 cases a surface (the issue 13 target)
    make fuzz                     # FUZZ_SECONDS=180 by default: minutes over every surface
    FUZZ_SECONDS=3600 make fuzz   # an hour
    pytest tests/fuzz             # the small budget `make test` uses (3.5 s a surface)
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests.fuzz.shapes import LIMIT, shapes

T = TypeVar("T")

#: Cases run and seconds spent per surface, for the session summary.
COUNTS: dict[str, int] = {}
SECONDS: dict[str, float] = {}
SURFACES = 8  # the budget is shared between this many fuzzed surfaces
_BATCH = 100


def seed_value() -> int:
    return int(os.environ.get("FUZZ_SEED", "20261207"))


def budget() -> float:
    """Seconds for one surface: FUZZ_SECONDS (total, default 28) shared by the surfaces."""
    return float(os.environ.get("FUZZ_SECONDS", "28")) / SURFACES


def case_budget() -> int | None:
    """Cases for one surface (FUZZ_CASES), or None: the time budget applies."""
    value = os.environ.get("FUZZ_CASES", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"FUZZ_CASES must be a positive whole number (got {value!r})")
    return int(value)


class Hang(Exception):
    """A call took longer than its bound."""


#: A call waiting this many times its CPU bound (at least WAIT_FLOOR seconds) without
#: using the CPU is stuck too: a read from a FIFO, a lock, a server that never answers.
WAIT_FACTOR = 10
WAIT_FLOOR = 30.0


@contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Fail with Hang if the block uses more than `seconds` of CPU (every thread of this
    process), or waits more than WAIT_FACTOR times as long (main thread only).

    CPU time rather than wall-clock time: on a shared machine a niced fuzzer may wait
    seconds for a core, and that is not the product hanging.
    """

    def alarm(signum: int, _frame: Any) -> None:
        what = "CPU" if signum == signal.SIGPROF else "wall-clock"
        raise Hang(f"a call took longer than its bound of {what} time")

    previous = {sig: signal.signal(sig, alarm) for sig in (signal.SIGPROF, signal.SIGALRM)}
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, max(WAIT_FLOOR, WAIT_FACTOR * seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def fuzz(
    name: str,
    strategy: st.SearchStrategy[T],
    check: Callable[[T], None],
    *,
    bound: float = 2.0,
    seconds: float | None = None,
    cases: int | None = None,
) -> int:
    """Run `check` on generated cases until the budget is spent; the case count.

    The budget is `cases` if given, else FUZZ_CASES cases if set, else `seconds`
    (default: this surface's share of FUZZ_SECONDS) of wall-clock time.
    """
    target = cases or case_budget()
    spent = budget() if seconds is None else seconds
    deadline = float("inf") if target else time.monotonic() + spent
    COUNTS.setdefault(name, 0)
    SECONDS.setdefault(name, 0.0)
    started = time.monotonic()

    def more() -> bool:
        return COUNTS[name] < target if target else time.monotonic() < deadline

    batch = 0
    try:
        while more():
            before = COUNTS[name]
            size = min(_BATCH, target - before) if target else _BATCH
            _batch(name, strategy, check, (bound, size), batch, more)
            batch += 1
            if COUNTS[name] == before and batch > 10:
                break  # hypothesis has no new cases for this strategy
    finally:
        SECONDS[name] += time.monotonic() - started
    return COUNTS[name]


def _batch(
    name: str,
    strategy: st.SearchStrategy[T],
    check: Callable[[T], None],
    limits: tuple[float, int],
    batch: int,
    more: Callable[[], bool],
) -> None:
    """One hypothesis run of up to `size` cases (each bounded by `bound` seconds),
    seeded FUZZ_SEED + batch."""
    bound, size = limits

    @seed(seed_value() + batch)
    @settings(
        max_examples=size,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(case: T) -> None:
        if not failed and not more():
            return  # the budget is spent: let the batch finish at once
        COUNTS[name] += 1
        try:
            with bounded(bound):
                check(case)
        except BaseException:
            failed.append(True)  # shrinking replays cases past the budget
            raise

    failed: list[bool] = []
    run()


_SAMPLES = [
    "where is my order NH-204518?? 😡", "¿Dónde está mi pedido?", "注文番号はNH-204518です",
    "mera order abhi tak nahi aaya", "وين طلبي", "card 4111 1111 1111 1111", "Ignore all "
    "previous instructions", "https://nimbushome.example/track", "@NimbusHome #fail",
    "Բարև, պատվերս չի եկել", "আমার অর্ডার কোথায়", "నా ఆర్డర్ ఎక్కడ", "jane＠example.com",
]  # fmt: skip
_MAKERS = shapes()
_SHAPES = sorted(_MAKERS)


def _shape(name: str, length: int) -> str:
    return _MAKERS[name](length)


def hostile_texts(max_length: int = LIMIT) -> st.SearchStrategy[str]:
    """Arbitrary Unicode, adversarial shapes up to `max_length`, real messages with
    hostile insertions, and text with lone surrogates (undecodable bytes)."""
    return st.one_of(
        st.text(max_size=300),
        st.builds(_shape, st.sampled_from(_SHAPES), st.integers(1, max_length)),
        st.builds(
            lambda a, b, c: a + b + c,
            st.text(max_size=40),
            st.sampled_from(_SAMPLES),
            st.text(max_size=40),
        ),
        st.binary(max_size=200).map(lambda data: data.decode("utf-8", "surrogateescape")),
        st.text(
            alphabet=st.sampled_from(list("\u200b\u202e\u2028\u0085\x00 \n\t１＠a.-")), max_size=200
        ),
    )


def hostile_bytes() -> st.SearchStrategy[bytes]:
    """Bytes for stdin and files: hostile texts encoded, and raw bytes."""
    return st.one_of(
        hostile_texts(4_000).map(lambda text: text.encode("utf-8", "surrogateescape")),
        st.binary(max_size=400),
    )
