"""Adversarial input shapes: texts that make backtracking patterns take quadratic time.

Each shape repeats a short unit (or pads a cue word) up to a given length. The units
pair characters that the product's patterns treat specially: word letters, digits,
dots, dashes, spaces, "@", "#", "/", CJK, and cue words such as "order" or "jalan".
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: The size limit of a customer message.
LIMIT = 20_000
#: Target: every shape handled in at most this many seconds per LIMIT characters.
BUDGET = 0.100

_UNITS = ["a", "1", ".", "-", " ", "@", "#", "/", ":", "A", "é", "カ", "_", "+", "\n", "١"]
_CUES = [
    "order", "address", "jalan", "http://", "www.", "password", "passport", "DOB", "ignore",
    "4111", "+91", "NH-", "SYSTEM", "#", "a@", "1 rue", "〒", "住所", "地址",
]  # fmt: skip
_FILLERS = [" ", "1 ", "a.", "a ", "1.", "a-", "1-", "a", "1", "aa11 ", "Aa "]


def shapes() -> dict[str, Callable[[int], str]]:
    """Every shape by name: a function of the length."""
    found: dict[str, Callable[[int], str]] = {}
    for first in _UNITS:
        for second in _UNITS:
            unit = first + second
            found[f"repeat {unit!r}"] = lambda n, u=unit: (u * (n // len(u) + 1))[:n]
    for cue in _CUES:
        for filler in _FILLERS:
            found[f"{cue!r} + {filler!r}*"] = lambda n, c=cue, f=filler: (
                (c + f * ((n - len(c)) // len(f) + 1))[: n - 1] + "x"
            )
    found["issue: 'order' + spaces + 'x'"] = lambda n: "order" + " " * (n - 6) + "x"
    return found


def seconds(function: Callable[[str], object], text: str, repeat: int = 3) -> float:
    """The best of `repeat` CPU-time measurements of `function(text)`: CPU time of this
    process, so other processes on a shared machine do not count."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        function(text)
        best = min(best, time.process_time() - start)
    return best


def fresh_seconds(
    function: Callable[[str], object], make: Callable[[int], str], length: int, repeat: int = 3
) -> float:
    """The best CPU time of `function` over `repeat` different texts of about `length`
    characters (`make(length)`, `make(length - 1)`...): the product keeps answers for
    texts it has just seen, so timing one text again would time a cache."""
    return min(seconds(function, make(max(1, length - i)), 1) for i in range(repeat))


def slowest(
    function: Callable[[str], object], length: int, names: list[str] | None = None
) -> list[tuple[str, float]]:
    """(shape, seconds) at `length` characters, slowest first.

    A shape is first timed at a tenth of the length: one that is already slow there
    (a quadratic pattern) is reported from that timing scaled up by 100 rather than run
    at full length, which could take minutes.
    """
    rows = []
    for name, make in shapes().items():
        if names is not None and name not in names:
            continue
        small = seconds(function, make(length // 10), repeat=1)
        if small > BUDGET / 2:
            rows.append((name, small * 100))
            continue
        rows.append((name, fresh_seconds(function, make, length)))
    return sorted(rows, key=lambda row: -row[1])
