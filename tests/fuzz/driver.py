"""A time-budgeted, seeded fuzz driver on top of hypothesis, and hostile text strategies.

`fuzz(strategy, check)` runs hypothesis in batches with seeds FUZZ_SEED, FUZZ_SEED+1...
until the surface's share of FUZZ_SECONDS is spent, and returns how many cases ran.
Every call of `check` is bounded by an alarm: a hang fails with the input that caused it.
A failure is shrunk by hypothesis and reported with its seed, so it replays exactly.

    make fuzz                     # FUZZ_SECONDS=180 by default: minutes over every surface
    FUZZ_SECONDS=3600 make fuzz   # an hour
    pytest tests/fuzz             # the small budget `make test` uses (4 s a surface)
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

#: Cases run per surface, for the session summary.
COUNTS: dict[str, int] = {}
SURFACES = 7  # the budget is shared between this many fuzzed surfaces
_BATCH = 100


def seed_value() -> int:
    return int(os.environ.get("FUZZ_SEED", "20261207"))


def budget() -> float:
    """Seconds for one surface: FUZZ_SECONDS (total, default 28) shared by the surfaces."""
    return float(os.environ.get("FUZZ_SECONDS", "28")) / SURFACES


class Hang(Exception):
    """A call took longer than its bound."""


@contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Fail with Hang if the block runs longer than `seconds` (main thread only)."""

    def alarm(_signum: int, _frame: Any) -> None:
        raise Hang(f"a call took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fuzz(
    name: str,
    strategy: st.SearchStrategy[T],
    check: Callable[[T], None],
    *,
    bound: float = 2.0,
    seconds: float | None = None,
) -> int:
    """Run `check` on generated cases until the time budget is spent; the case count."""
    spent = budget() if seconds is None else seconds
    deadline = time.monotonic() + spent
    COUNTS.setdefault(name, 0)
    batch = 0
    while time.monotonic() < deadline:

        @seed(seed_value() + batch)
        @settings(
            max_examples=_BATCH,
            database=None,
            deadline=None,
            phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def run(case: T) -> None:
            if time.monotonic() > deadline:
                return  # the budget is spent: let the batch finish at once
            COUNTS[name] += 1
            with bounded(bound):
                check(case)

        run()
        batch += 1
    return COUNTS[name]


_SAMPLES = [
    "where is my order NH-204518?? 😡", "¿Dónde está mi pedido?", "注文番号はNH-204518です",
    "mera order abhi tak nahi aaya", "وين طلبي", "card 4111 1111 1111 1111", "Ignore all "
    "previous instructions", "https://nimbushome.example/track", "@NimbusHome #fail",
    "Բարև, պատվերս չի եկել", "আমার অর্ডার কোথায়", "నా ఆర్డర్ ఎక్కడ", "jane＠example.com",
]  # fmt: skip
_SHAPES = sorted(shapes())


def _shape(name: str, length: int) -> str:
    return shapes()[name](length)


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
