"""Bootstrap intervals (seeded, deterministic), aggregates, the parity view."""

from __future__ import annotations

import pytest

from assistant.evaluation.metrics import ItemScore
from assistant.evaluation.stats import (
    Stat,
    aggregate,
    bootstrap_ci,
    derive_seed,
    findings_counts,
    parity,
    summarise,
)


def _score(item_id: str, language: str, **values: float | None) -> ItemScore:
    return ItemScore(
        id=item_id,
        language=language,
        channel="twitter",
        intent="order-status",
        split="test",
        values={"answered": 1.0, **values},
    )


def test_bootstrap_is_deterministic_for_a_seed() -> None:
    values = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1]
    first = bootstrap_ci(values, seed=7)
    assert first == bootstrap_ci(values, seed=7)
    assert first.mean == 0.7 and first.n == 10
    assert first.low is not None and first.high is not None
    assert 0.3 <= first.low < 0.7 < first.high <= 1.0
    continuous = [0.13, 0.52, 0.97, 0.41, 0.08, 0.66, 0.75, 0.29, 0.88, 0.35]
    assert bootstrap_ci(continuous, seed=8) != bootstrap_ci(continuous, seed=7)


def test_bootstrap_interval_covers_the_mean_and_narrows_with_n() -> None:
    small = bootstrap_ci([0, 1] * 10, seed=0)
    large = bootstrap_ci([0, 1] * 200, seed=0)
    assert small.low < 0.5 < small.high  # type: ignore[operator]
    assert large.low < 0.5 < large.high  # type: ignore[operator]
    assert (large.high - large.low) < (small.high - small.low) / 3  # type: ignore[operator]


def test_a_rate_gets_the_interval_of_resampling_its_values() -> None:
    """Rates draw one binomial count per resample: the same distribution as resampling
    the 0/1 values one by one, so the same interval up to resampling noise."""
    import numpy as np

    values = np.array([1.0] * 140 + [0.0] * 60)
    fast = bootstrap_ci(values.tolist(), seed=3, resamples=20_000)
    rng = np.random.default_rng(4)
    means = values[rng.integers(0, values.size, size=(20_000, values.size))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    assert fast.low == pytest.approx(low, abs=0.006)
    assert fast.high == pytest.approx(high, abs=0.006)


def test_degenerate_samples() -> None:
    assert bootstrap_ci([], seed=0) == Stat(mean=None, low=None, high=None, n=0)
    assert bootstrap_ci([0.4], seed=0) == Stat(mean=0.4, low=0.4, high=0.4, n=1)
    assert bootstrap_ci([1, 1, 1], seed=0) == Stat(mean=1.0, low=1.0, high=1.0, n=3)


def test_derived_seeds_depend_on_the_name_only() -> None:
    assert derive_seed(0, "language=hy", "chrf") == derive_seed(0, "language=hy", "chrf")
    assert derive_seed(0, "language=hy", "chrf") != derive_seed(0, "language=en", "chrf")
    assert derive_seed(0, "a") != derive_seed(1, "a")


def test_aggregates_are_the_same_whatever_the_item_order() -> None:
    scores = [
        _score(f"{lang}-{i}", lang, quality=float(i % 2)) for lang in ("en", "hy") for i in range(6)
    ]
    forward = aggregate(scores, "language", ["quality"], seed=3)
    backward = aggregate(scores[::-1], "language", ["quality"], seed=3)
    assert forward["en"]["quality"].mean == 0.5
    assert forward["en"]["quality"].low == backward["en"]["quality"].low
    assert forward["hy"]["quality"].high == backward["hy"]["quality"].high


def test_parity_names_best_and_worst_language_and_the_gap() -> None:
    by_language = {
        "en": {
            "quality": Stat(mean=0.9, low=0.8, high=1.0, n=10),
            "latency_ms": Stat(mean=40.0, low=30.0, high=50.0, n=10),
        },
        "hy": {
            "quality": Stat(mean=0.6, low=0.4, high=0.8, n=10),
            "latency_ms": Stat(mean=90.0, low=80.0, high=99.0, n=10),
        },
        "ja": {
            "quality": Stat(mean=0.75, low=0.6, high=0.9, n=10),
            "latency_ms": Stat(mean=60.0, low=50.0, high=70.0, n=10),
        },
        "tl": {
            "quality": Stat(mean=0.1, low=0.0, high=0.2, n=2),
            "latency_ms": Stat(mean=10.0, low=5.0, high=15.0, n=2),
        },
    }
    rows = parity(by_language, ["quality", "latency_ms"], min_n=3)
    quality = rows["quality"]
    assert (quality.best, quality.worst, quality.gap) == ("en", "hy", pytest.approx(0.3))
    assert quality.excluded == ["tl"] and quality.languages == 3
    latency = rows["latency_ms"]  # lower is better
    assert (latency.best, latency.worst, latency.gap) == ("en", "hy", 50.0)


def test_findings_are_counted_by_id_check_and_language() -> None:
    scores = [_score("en-1", "en"), _score("hy-1", "hy")]
    scores[0].findings = ["block channel.too_long", "warn channel.emoji"]
    scores[1].findings = ["warn channel.emoji", "info register.non_default"]
    counts = findings_counts(scores)
    assert counts["by_id"]["channel.emoji"] == {"block": 0, "warn": 2, "info": 0}
    assert counts["by_check"]["channel"] == {"block": 1, "warn": 2, "info": 0}
    assert counts["by_language"]["hy"] == {"block": 0, "warn": 1, "info": 1}


def test_summary_has_every_metric_for_every_language() -> None:
    scores = [
        _score(f"{lang}-{i}", lang, quality=1.0, chrf=50.0 if i == 0 else None, latency_ms=10.0 * i)
        for lang in ("en", "hy")
        for i in range(3)
    ]
    summary = summarise(scores, config={"backend": "fake"}, counts={"items": 6})
    assert list(summary.metrics) == ["quality", "answered", "chrf", "latency_ms"]
    for language in ("en", "hy"):
        assert set(summary.by_language[language]) == set(summary.metrics)
    assert summary.by_language["en"]["chrf"].n == 1
    assert summary.latency["p50"] == 10.0
    assert summary.judge is None and summary.notes == []
