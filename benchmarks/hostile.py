"""Time against input length for adversarial shapes, up to the 20,000-character limit.

Target (issue 13): every shape handled in at most 100 ms per 20,000 characters by each
text-handling function, and `suggest()` on the worst shape within 2x its median on
ordinary (short) messages: printed as "worst / median short message", for the lexical
and the default (e5) configuration, beside the cost of the scans that must read the
whole text. A long message is understood from its head and tail
(`assistant/understanding/window.py`); only those scans read all of it. Times are CPU
seconds of this process (best of 3, each on a different text, so that no answer kept
from the previous call is timed), so other work on a shared machine does not count.
Shapes: those the hostile-input probe reported, and for each function the slowest of
the whole catalogue (tests/fuzz/shapes.py) at 20,000.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable

from benchmarks._util import ROOT
from tests.fuzz.shapes import BUDGET, LIMIT, fresh_seconds, seconds, shapes, slowest

LENGTHS = (1_000, 2_500, 5_000, 10_000, 20_000)
REPORTED = [
    "repeat 'a.'", "repeat '1.'", "repeat 'a-'", "issue: 'order' + spaces + 'x'",
    "repeat '1 '", "repeat 'aa'", "repeat 'カカ'",
]  # fmt: skip


def _functions() -> dict[str, Callable[[str], object]]:
    from assistant.checks.channel import find_links
    from assistant.language import detect_language
    from assistant.language.noise import strip_noise
    from assistant.understanding.injection import find_injection
    from assistant.understanding.private_data import find_private_data

    return {
        "strip_noise": strip_noise,
        "detect_language": detect_language,
        "find_private_data": find_private_data,
        "find_injection": find_injection,
        "find_links": find_links,
    }


def _curve(function: Callable[[str], object], shape: str) -> dict[str, float]:
    make = shapes()[shape]
    return {str(n): round(fresh_seconds(function, make, n) * 1000, 2) for n in LENGTHS}


def _ordinary() -> list[str]:
    path = ROOT / "evaluation" / "datasets" / "messages.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]
    return [r["text"] for r in rows if r["split"] == "dev"][:60]


def _suggest(worst: list[str]) -> dict[str, object]:
    """suggest() on the worst shapes against ordinary text, in the lexical configuration
    and the default one (e5 embeddings)."""
    return {
        "lexical": _suggest_with(worst, embeddings=False),
        "embeddings": _suggest_with(worst, embeddings=True),
    }


def _suggest_with(worst: list[str], *, embeddings: bool) -> dict[str, object]:
    """suggest() on the worst shapes at 20,000 characters against short dev messages (the
    usual case: the issue's target is worst <= 2 x their median) and dev messages joined
    up to the same length; and the floor: the scans that must read the whole text
    (private data, injection), whatever else is bounded."""
    from assistant.pipeline import Assistant
    from assistant.understanding.injection import find_injection
    from assistant.understanding.private_data import find_private_data
    from assistant.understanding.window import HEAD, TAIL
    from assistant.understanding.window import LIMIT as WINDOW

    assistant = Assistant.load(embeddings=embeddings)
    assistant.suggest("warm up")
    messages = _ordinary()
    suggest = assistant.suggest
    ordinary = [seconds(suggest, text, 1) * 1000 for text in messages]
    median = statistics.median(ordinary)
    joined = " ".join(messages * (LIMIT // len(" ".join(messages)) + 2))
    same_length = fresh_seconds(suggest, lambda n: joined[LIMIT - n : 2 * LIMIT - n], LIMIT)
    same_length *= 1000
    shaped = {
        name: round(fresh_seconds(suggest, shapes()[name], LIMIT) * 1000, 1) for name in worst
    }
    worst_name = max(shaped, key=lambda name: shaped[name])
    worst_ms = shaped[worst_name]
    make = shapes()[worst_name]
    floor = {
        "find_private_data": round(fresh_seconds(find_private_data, make, LIMIT) * 1000, 1),
        "find_injection": round(fresh_seconds(find_injection, make, LIMIT) * 1000, 1),
    }
    floor_ms = sum(floor.values())
    label = "e5 embeddings (default)" if embeddings else "lexical (embeddings=False)"
    print(f"\nsuggest(), {label}: median {median:.1f} ms on {len(ordinary)} dev messages;")
    print(
        f"  a message over {WINDOW:,} characters is understood from its first {HEAD:,} and"
        f" last {TAIL:,}; private data and injection are found in all of it"
    )
    print(f"  ordinary text of {LIMIT:,} characters (dev messages joined) {same_length:.1f} ms")
    for name, took in shaped.items():
        print(f"  {name:40} {took:8.1f} ms at {LIMIT:,} characters")
    print(
        f"  worst ({worst_name}) / median short message = {worst_ms / median:.1f} (target <= 2);"
        f" worst / ordinary text of the same length = {worst_ms / same_length:.2f}"
    )
    print(
        f"  whole-text scans on the worst shape: private data {floor['find_private_data']} ms"
        f" + injection {floor['find_injection']} ms = {floor_ms / median:.1f} x the median"
    )
    return {
        "median_ms": round(median, 1),
        "ordinary_same_length_ms": round(same_length, 1),
        "shapes_ms": shaped,
        "worst_shape": worst_name,
        "worst_over_median": round(worst_ms / median, 2),
        "worst_over_same_length": round(worst_ms / same_length, 2),
        "whole_text_scans_ms": floor,
        "whole_text_scans_over_median": round(floor_ms / median, 2),
    }


def run() -> dict[str, object]:
    functions = _functions()
    for function in functions.values():
        function("warm up: load models")
    result: dict[str, object] = {"lengths": list(LENGTHS), "budget_ms": BUDGET * 1000}
    worst: set[str] = set(REPORTED)
    header = " ".join(f"{n:>8,}" for n in LENGTHS)
    for name, function in functions.items():
        slow = slowest(function, LIMIT)
        worst.add(slow[0][0])
        picked = dict.fromkeys([*REPORTED, *(shape for shape, _ in slow[:3])])
        curves = {shape: _curve(function, shape) for shape in picked}
        result[name] = {
            "curves_ms": curves,
            "shapes_timed": len(slow),
            "max_ms": round(slow[0][1] * 1000, 2),
        }
        print(
            f"\n{name}: ms (CPU) by length; {len(slow)} shapes, slowest "
            f"{slow[0][0]} {slow[0][1] * 1000:.1f} ms"
        )
        print(f"  {'shape':40} {header}")
        for shape, curve in curves.items():
            print(f"  {shape:40} " + " ".join(f"{v:8.1f}" for v in curve.values()))
    result["suggest"] = _suggest(sorted(worst))
    return result
