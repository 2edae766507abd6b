"""find_private_data on 20,000 characters: the hostile repeats of issue 13 and ordinary
dev text, best of 5 wall-clock runs, each on a different text (so that no folded text
kept from the previous call is timed), with each finder's share.

Usage: python -m benchmarks.pii_scan  (not part of `make bench`: a quick check for
work on assistant/understanding/private_data.py, cued_data.py and prescan.py).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from benchmarks._util import ROOT

LENGTH = 20_000
SHAPES: dict[str, Callable[[int], str]] = {
    "'1.'*10000": lambda k: "1." * 10_000 + "x" * k,
    "'1 '*10000": lambda k: "1 " * 10_000 + "x" * k,
    "'a-'*10000": lambda k: "a-" * 10_000 + "x" * k,
    "'カカ'*10000": lambda k: "カカ" * 10_000 + "x" * k,
}


def _dev_text() -> str:
    path = ROOT / "evaluation" / "datasets" / "messages.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]
    return " ".join(r["text"] for r in rows if r["split"] == "dev")


def _best_ms(function: Callable[[str], object], make: Callable[[int], str]) -> float:
    best = float("inf")
    for k in range(5):
        text = make(k)
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def run() -> dict[str, dict[str, float]]:
    from assistant.understanding.folding import fold
    from assistant.understanding.private_data import FINDERS, find_private_data

    dev = _dev_text()
    shapes = {**SHAPES, "ordinary dev text": lambda k: dev[k : k + LENGTH]}
    result: dict[str, dict[str, float]] = {}
    for name, make in shapes.items():
        row = {"find_private_data": _best_ms(find_private_data, make)}
        for kind, finder in FINDERS:
            row[kind] = _best_ms(lambda t, f=finder: list(f(fold(t).text, ("US",))), make)
        result[name] = {key: round(ms, 2) for key, ms in row.items()}
        shares = " ".join(f"{k}={v:.1f}" for k, v in list(result[name].items())[1:])
        print(f"{name:18} {result[name]['find_private_data']:6.1f} ms   {shares}")
    return result


if __name__ == "__main__":
    run()
