"""Guardrail checks: time `run_checks` on ~200 drafts of the sample brand (target: median <= 5 ms).

Drafts come from the offline pipeline on the labelled messages (every language and
channel), plus each message's reference reply rechecked as an agent's edit. Every
draft is checked once to warm the caches (compiled patterns, per-brand sources), then
timed over several rounds.

    python -m benchmarks checks
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from assistant.checks import CHECKS, run_checks
from assistant.checks.base import CheckContext
from assistant.pipeline import Assistant
from assistant.types import Draft

DATASET = Path(__file__).resolve().parents[1] / "evaluation/datasets/messages.jsonl"
NOW = dt.datetime(2026, 11, 3, 14, 0, tzinfo=dt.UTC)  # a Tuesday: most regions open
TARGET_DRAFTS = 200
ROUNDS = 5
TARGET_MEDIAN_MS = 5.0

Case = tuple[Draft, CheckContext]


def build_cases(limit: int = TARGET_DRAFTS) -> list[Case]:
    """About `limit` drafts with their check contexts, spread over languages."""
    assistant = Assistant.load(embeddings=False)
    rows = [
        json.loads(line)
        for line in DATASET.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows.sort(key=lambda r: (r["id"].split("-")[-1], r["language"]))  # interleave languages
    cases: list[Case] = []
    for row in rows:
        if len(cases) >= limit:
            break
        suggestion = assistant.suggest(
            row["text"],
            channel=row["channel"],
            customer_name=row.get("customer_name"),
            now=NOW,
            n=2,
        )
        context = CheckContext(
            suggestion.message,
            suggestion.analysis,
            suggestion.hits,
            assistant.kb,
            suggestion.reply_language,
            suggestion.language_rule,
        )
        cases += [(draft, context) for draft in suggestion.drafts]
        if row.get("reference_reply") and suggestion.drafts:
            edited = suggestion.drafts[0].model_copy(update={"text": row["reference_reply"]})
            cases.append((edited, context))
    return cases[:limit]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _time(cases: list[Case]) -> tuple[list[float], dict[str, list[float]], dict[str, list[float]]]:
    per_draft: list[float] = []
    per_language: dict[str, list[float]] = defaultdict(list)
    per_check: dict[str, list[float]] = defaultdict(list)
    for _ in range(ROUNDS):
        for draft, context in cases:
            started = time.perf_counter()
            run_checks(draft, context)
            elapsed = (time.perf_counter() - started) * 1000
            per_draft.append(elapsed)
            per_language[context.reply_language].append(elapsed)
    for draft, context in cases:
        for check in CHECKS:
            started = time.perf_counter()
            check.check(draft, context)
            per_check[check.id].append((time.perf_counter() - started) * 1000)
    return per_draft, per_language, per_check


def run() -> dict[str, object]:
    started = time.perf_counter()
    cases = build_cases()
    setup_s = time.perf_counter() - started
    findings = [run_checks(draft, context) for draft, context in cases]  # warm-up
    per_draft, per_language, per_check = _time(cases)
    result: dict[str, object] = {
        "drafts": len(cases),
        "rounds": ROUNDS,
        "median_ms": round(statistics.median(per_draft), 3),
        "p95_ms": round(_percentile(per_draft, 0.95), 3),
        "max_ms": round(max(per_draft), 3),
        "target_median_ms": TARGET_MEDIAN_MS,
        "within_target": statistics.median(per_draft) <= TARGET_MEDIAN_MS,
        "per_language_median_ms": {
            k: round(statistics.median(v), 3) for k, v in sorted(per_language.items())
        },
        "per_check_median_ms": {k: round(statistics.median(v), 3) for k, v in per_check.items()},
        "blocking_drafts": sum(any(f.severity == "block" for f in fs) for fs in findings),
        "setup_s": round(setup_s, 2),
    }
    _print(result)
    return result


def _print(result: dict[str, object]) -> None:
    print(
        f"run_checks on {result['drafts']} drafts x {result['rounds']} rounds "
        f"(setup {result['setup_s']} s)"
    )
    print(f"{'':<14}{'ms':>8}")
    for key in ("median_ms", "p95_ms", "max_ms"):
        print(f"{key.removesuffix('_ms'):<14}{result[key]:>8.3f}")
    verdict = "OK" if result["within_target"] else "OVER"
    print(f"target median <= {TARGET_MEDIAN_MS} ms: {verdict}")
    print("\nper check (median ms)")
    for name, value in result["per_check_median_ms"].items():  # type: ignore[attr-defined]
        print(f"  {name:<12}{value:>8.3f}")
    print("\nper reply language (median ms)")
    for name, value in result["per_language_median_ms"].items():  # type: ignore[attr-defined]
        print(f"  {name:<12}{value:>8.3f}")
    print(f"\ndrafts with a blocking finding: {result['blocking_drafts']}")


if __name__ == "__main__":
    run()
