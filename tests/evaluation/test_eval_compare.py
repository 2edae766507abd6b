"""Comparing two runs: paired deltas per language, wins/losses/ties, regressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation import Run, compare_runs
from assistant.evaluation.metrics import ItemScore
from assistant.evaluation.stats import summarise


def _run(name: str, values: dict[str, tuple[str, float, float]]) -> Run:
    """A run from {id: (language, quality, latency_ms)}."""
    scores = [
        ItemScore(
            id=i,
            language=lang,
            channel="twitter",
            intent="order-status",
            split="test",
            values={"answered": 1.0, "quality": q, "latency_ms": ms},
        )
        for i, (lang, q, ms) in values.items()
    ]
    summary = summarise(scores, config={"backend": name}, counts={"items": len(scores)})
    return Run(Path(name), summary, scores)


A = (
    {f"en-{i}": ("en", 1.0, 50.0) for i in range(5)}
    | {f"hy-{i}": ("hy", 1.0, 50.0) for i in range(5)}
    | {"ja-0": ("ja", 1.0, 50.0)}
)
B = (
    {f"en-{i}": ("en", 1.0, 50.0) for i in range(5)}
    | {f"hy-{i}": ("hy", 0.5 if i < 4 else 1.0, 80.0) for i in range(5)}
    | {"zh-0": ("zh", 1.0, 9.0)}
)


def test_deltas_are_paired_on_item_ids() -> None:
    comparison = compare_runs(_run("a", A), _run("b", B))
    assert (comparison.common, comparison.only_a, comparison.only_b) == (10, 1, 1)
    hy = comparison.delta("quality", "hy")
    assert hy is not None
    assert (hy.a, hy.b, hy.delta.mean, hy.delta.n) == (1.0, 0.6, pytest.approx(-0.4), 5)
    assert (hy.wins, hy.losses, hy.ties) == (0, 4, 1)
    assert hy.regression and not hy.improvement
    en = comparison.delta("quality", "en")
    assert en is not None and (en.delta.mean, en.ties, en.regression) == (0.0, 5, False)
    overall = comparison.delta("quality")
    assert overall is not None and overall.delta.n == 10 and overall.regression


def test_lower_is_better_for_latency() -> None:
    comparison = compare_runs(_run("a", A), _run("b", B))
    slower = comparison.delta("latency_ms", "hy")
    assert slower is not None and slower.regression and slower.losses == 5
    faster = compare_runs(_run("b", B), _run("a", A)).delta("latency_ms", "hy")
    assert faster is not None and faster.improvement and faster.wins == 5


def test_too_few_pairs_are_never_flagged() -> None:
    few_a = {"hy-0": ("hy", 1.0, 1.0), "hy-1": ("hy", 1.0, 1.0)}
    few_b = {"hy-0": ("hy", 0.0, 1.0), "hy-1": ("hy", 0.0, 1.0)}
    delta = compare_runs(_run("a", few_a), _run("b", few_b)).delta("quality", "hy")
    assert delta is not None and delta.delta.mean == -1.0 and not delta.regression


def test_the_comparison_is_deterministic_and_tabular() -> None:
    first = compare_runs(_run("a", A), _run("b", B))
    assert first == compare_runs(_run("a", A), _run("b", B))
    frame = first.to_frame()
    assert set(frame["group"]) == {"all", "en", "hy"}
    assert frame.loc[(frame.group == "hy") & (frame.metric == "quality"), "regression"].item()
    assert {d.group for d in first.regressions} == {"all", "hy"}


def test_changed_items_lists_the_losses_first() -> None:
    from assistant.evaluation import changed_items

    frame = changed_items(_run("a", A), _run("b", B), "quality")
    assert list(frame.index) == ["hy-0", "hy-1", "hy-2", "hy-3"]
    assert frame.loc["hy-0", "change"] == -0.5
    assert changed_items(_run("a", A), _run("b", B), "latency_ms")["change"].max() < 0
