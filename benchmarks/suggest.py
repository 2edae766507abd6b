"""Offline `suggest()` latency (target: median <= 20 ms, p95 <= 50 ms after warm-up) and
the cold start of `assistant draft` as a user runs it (target <= 3 s)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time

from benchmarks._util import ROOT, peak_rss_mb, summary

NOW = dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC)


def _messages() -> list[dict[str, str]]:
    path = ROOT / "evaluation" / "datasets" / "messages.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["split"] == "test"]


def _cold_start() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant", "draft", "Որտե՞ղ է իմ պատվերը", "--json"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return round(time.perf_counter() - started, 2)


def run() -> dict[str, object]:
    from assistant.pipeline import Assistant

    started = time.perf_counter()
    assistant = Assistant.load()
    load_s = round(time.perf_counter() - started, 2)
    rows = _messages()
    for row in rows[:20]:  # warm-up
        assistant.suggest(row["text"], channel=row["channel"], now=NOW)  # type: ignore[arg-type]
    samples, steps = [], {}
    for row in rows:
        t0 = time.perf_counter()
        suggestion = assistant.suggest(
            row["text"],
            channel=row["channel"],  # type: ignore[arg-type]
            customer_name=row.get("customer_name"),
            now=NOW,
        )
        samples.append((time.perf_counter() - t0) * 1000)
        for step, ms in suggestion.timings_ms.items():
            steps.setdefault(step, []).append(ms)
    total = summary(samples)
    per_step = {step: summary(values) for step, values in steps.items()}
    cold = [_cold_start() for _ in range(3)]
    print(f"Assistant.load (warm caches): {load_s} s")
    print(
        f"suggest() offline, n=3, {total['n']} test messages: median {total['median']:.1f} ms, "
        f"p95 {total['p95']:.1f} ms (targets 20 / 50 ms)"
    )
    for step, stats in per_step.items():
        print(f"  {step:<11} median {stats['median']:.2f} ms  p95 {stats['p95']:.2f} ms")
    print(f"cold start `assistant draft ... --json`: {cold} s (target <= 3 s)")
    print(f"peak RSS: {peak_rss_mb()} MB")
    return {
        "load_s": load_s,
        "suggest_ms": total,
        "steps_ms": per_step,
        "cold_start_s": cold,
        "peak_rss_mb": peak_rss_mb(),
    }
