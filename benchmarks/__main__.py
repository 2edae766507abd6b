"""`make bench`: run every benchmark, print readable tables, write JSON to benchmarks/results/.

Usage: python -m benchmarks [NAME ...]   (default: all, in the order below)
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

BENCHMARKS = [
    "langid",
    "knowledge",
    "understanding",
    "sentiment",
    "suggest",
    "checks",
    "review",
    "evaluation",
    "service",
    "hostile",
]
RESULTS = Path(__file__).parent / "results"


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    RESULTS.mkdir(exist_ok=True)
    for name in names:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{name}":
                print(f"[skip] benchmarks/{name}.py does not exist yet")
                continue
            raise
        print(f"\n=== {name} ===")
        started = time.perf_counter()
        result = module.run()
        result["_seconds"] = round(time.perf_counter() - started, 2)
        out = RESULTS / f"{name}.json"
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"-> {out} ({result['_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
