"""Aggregates with seeded bootstrap confidence intervals, the parity view, the summary.

    bootstrap_ci([1, 0, 1, 1], seed=0)       # Stat(mean=0.75, low=0.25, high=1.0, n=4)

Every interval is a percentile bootstrap (95 % by default) whose random stream is
derived from the run seed and the interval's name (dimension, group, metric), so the
same scores always give the same intervals, whatever order they are computed in.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from pydantic import Field

from assistant.evaluation.metrics import METRICS, ItemScore
from assistant.types import Model

RESAMPLES = 2000
LEVEL = 0.95
DIMENSIONS = ("language", "script", "channel", "tone", "intent", "split")
#: The headline: an agent would send the first draft unedited.
HEADLINE = "send_ready"
#: Rows of the headline block of summary.json, in this order.
HEADLINE_DIMENSIONS = ("language", "script", "channel", "intent", "split")
PARITY_MIN_N = 3
UNCALIBRATED = (
    "LLM judge scores are uncalibrated per language: the judge has not been "
    "checked against fluent human raters in each language, so compare them "
    "within a language (A/B), not across languages."
)


class Stat(Model):
    """A mean with its bootstrap confidence interval; `mean` is None when n is 0."""

    mean: float | None
    low: float | None
    high: float | None
    n: int

    def excludes_zero(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


class ParityRow(Model):
    """Best and worst language on one metric, and the gap between them."""

    best: str
    best_value: float
    worst: str
    worst_value: float
    gap: float
    languages: int
    excluded: list[str] = Field(default_factory=list)


class Headline(Model):
    """The send-ready rate overall and per group, with the parity gap across languages."""

    overall: Stat
    by_language: dict[str, Stat] = Field(default_factory=dict)
    by_script: dict[str, Stat] = Field(default_factory=dict)
    by_channel: dict[str, Stat] = Field(default_factory=dict)
    by_intent: dict[str, Stat] = Field(default_factory=dict)
    by_split: dict[str, Stat] = Field(default_factory=dict)
    parity: ParityRow | None = None


class Summary(Model):
    """What `summary.json` holds: the send-ready headline, configuration, counts, every
    aggregate, the fit check's recall and false alarms, the hard-case counts."""

    send_ready: Headline | None = None
    format: str = "assistant-eval-summary/2"
    config: dict[str, Any]
    counts: dict[str, int]
    metrics: dict[str, dict[str, Any]]
    overall: dict[str, Stat]
    by_language: dict[str, dict[str, Stat]]
    by_script: dict[str, dict[str, Stat]] = Field(default_factory=dict)
    by_channel: dict[str, dict[str, Stat]]
    by_tone: dict[str, dict[str, Stat]]
    by_intent: dict[str, dict[str, Stat]]
    by_split: dict[str, dict[str, Stat]]
    parity: dict[str, ParityRow]
    findings: dict[str, Any]
    fit_check: dict[str, dict[str, float | int | None]] = Field(default_factory=dict)
    hard_cases: dict[str, int] = Field(default_factory=dict)
    latency: dict[str, float]
    judge: dict[str, Any] | None = None
    cost: dict[str, float] = Field(default_factory=dict)
    errors: list[dict[str, str]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    seconds: float = 0.0

    def by(self, dimension: str) -> dict[str, dict[str, Stat]]:
        """Aggregates by "language", "script", "channel", "tone", "intent" or "split"."""
        return dict(getattr(self, f"by_{dimension}"))


def derive_seed(seed: int, *parts: str) -> int:
    """A stable seed for one interval: the run seed mixed with its name."""
    return zlib.crc32("\x1f".join((str(seed), *parts)).encode())


def bootstrap_ci(
    values: Sequence[float], *, seed: int = 0, resamples: int = RESAMPLES, level: float = LEVEL
) -> Stat:
    """Mean of `values` and its percentile-bootstrap interval (seeded, deterministic)."""
    data = np.asarray(values, dtype=np.float64)
    n = int(data.size)
    if n == 0:
        return Stat(mean=None, low=None, high=None, n=0)
    mean = float(data.mean())
    if n == 1 or float(data.min()) == float(data.max()):
        return Stat(mean=_r(mean), low=_r(mean), high=_r(mean), n=n)
    rng = np.random.default_rng(seed)
    if np.all((data == 0) | (data == 1)):
        # A rate: the count of 1s in a resample of n values is Binomial(n, mean), so one
        # draw per resample gives the same distribution as n draws (a tenth of the time
        # of summarising a 1,270-message run).
        means = rng.binomial(n, mean, size=resamples) / n
    else:
        means = data[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Stat(mean=_r(mean), low=_r(float(low)), high=_r(float(high)), n=n)


def _r(value: float) -> float:
    return round(value, 6)


def values_of(scores: Iterable[ItemScore], metric: str) -> list[float]:
    return [v for s in scores if (v := s.values.get(metric)) is not None]


def present_metrics(scores: Sequence[ItemScore]) -> list[str]:
    """Metrics (in METRICS order) that have a value for at least one item."""
    found = {k for s in scores for k, v in s.values.items() if v is not None}
    return [name for name in METRICS if name in found]


def stats_for(
    scores: Sequence[ItemScore], metrics: Sequence[str], *, seed: int, key: str
) -> dict[str, Stat]:
    return {m: bootstrap_ci(values_of(scores, m), seed=derive_seed(seed, key, m)) for m in metrics}


def group_by(scores: Sequence[ItemScore], dimension: str) -> dict[str, list[ItemScore]]:
    groups: dict[str, list[ItemScore]] = {}
    for score in scores:
        groups.setdefault(str(getattr(score, dimension)) or "(none)", []).append(score)
    return dict(sorted(groups.items()))


def aggregate(
    scores: Sequence[ItemScore], dimension: str, metrics: Sequence[str], *, seed: int = 0
) -> dict[str, dict[str, Stat]]:
    """Group -> metric -> Stat, for one dimension (language, channel, tone...)."""
    return {
        group: stats_for(members, metrics, seed=seed, key=f"{dimension}={group}")
        for group, members in group_by(scores, dimension).items()
    }


def parity(
    by_language: dict[str, dict[str, Stat]], metrics: Sequence[str], *, min_n: int = PARITY_MIN_N
) -> dict[str, ParityRow]:
    """For each metric: best and worst language (with at least `min_n` items) and the gap."""
    rows: dict[str, ParityRow] = {}
    for metric in metrics:
        rated = {lang: s[metric] for lang, s in by_language.items() if metric in s}
        usable = {lang: s.mean for lang, s in rated.items() if s.mean is not None and s.n >= min_n}
        if len(usable) < 2:
            continue
        higher = METRICS[metric].higher_is_better if metric in METRICS else True
        ranked = sorted(usable, key=lambda lang: (usable[lang], lang), reverse=higher)
        best, worst = ranked[0], ranked[-1]
        rows[metric] = ParityRow(
            best=best,
            best_value=_r(usable[best]),
            worst=worst,
            worst_value=_r(usable[worst]),
            gap=_r(abs(usable[best] - usable[worst])),
            languages=len(usable),
            excluded=sorted(set(rated) - set(usable)),
        )
    return rows


def findings_counts(scores: Sequence[ItemScore]) -> dict[str, Any]:
    """Counts of first-draft findings by id, by check and by language, split by severity."""
    by_id: dict[str, dict[str, int]] = {}
    by_check: dict[str, dict[str, int]] = {}
    by_language: dict[str, dict[str, int]] = {}
    for score in scores:
        for finding in score.findings:
            severity, _, finding_id = finding.partition(" ")
            for table, key in (
                (by_id, finding_id),
                (by_check, finding_id.split(".")[0]),
                (by_language, score.language),
            ):
                row = table.setdefault(key, {"block": 0, "warn": 0, "info": 0})
                row[severity] = row.get(severity, 0) + 1
    return {
        "by_id": dict(sorted(by_id.items())),
        "by_check": dict(sorted(by_check.items())),
        "by_language": dict(sorted(by_language.items())),
    }


def latency_summary(scores: Sequence[ItemScore]) -> dict[str, float]:
    values = values_of(scores, "latency_ms")
    if not values:
        return {}
    data = np.asarray(values)
    return {
        "mean": _r(float(data.mean())),
        "p50": _r(float(np.percentile(data, 50))),
        "p95": _r(float(np.percentile(data, 95))),
        "max": _r(float(data.max())),
    }


def judge_summary(scores: Sequence[ItemScore]) -> dict[str, Any] | None:
    judged = [s.judge for s in scores if s.judge is not None]
    if not judged:
        return None
    usages = [j["usage"] for j in judged if j.get("usage")]
    return {
        "uncalibrated": True,
        "note": UNCALIBRATED,
        "judge": next((j["judge"] for j in judged if j.get("judge")), ""),
        "judged": sum(1 for j in judged if "error" not in j),
        "failed": sum(1 for j in judged if "error" in j),
        "prompt_tokens": sum(int(u.get("prompt_tokens", 0)) for u in usages),
        "completion_tokens": sum(int(u.get("completion_tokens", 0)) for u in usages),
        "cost_usd": round(sum(float(u.get("cost_usd", 0.0)) for u in usages), 6),
    }


def summarise(
    scores: Sequence[ItemScore],
    *,
    config: dict[str, Any],
    counts: dict[str, int],
    seed: int = 0,
    cost: dict[str, float] | None = None,
) -> Summary:
    """Every aggregate of a run's item scores."""
    metrics = present_metrics(scores)
    by = {d: aggregate(scores, d, metrics, seed=seed) for d in DIMENSIONS}
    overall = stats_for(scores, metrics, seed=seed, key="overall")
    judge = judge_summary(scores)
    notes = [UNCALIBRATED] if judge else []
    return Summary(
        send_ready=headline(by, overall, parity(by["language"], [HEADLINE])),
        config=config,
        counts=counts,
        metrics={m: _describe(m) for m in metrics},
        overall=overall,
        by_language=by["language"],
        by_script=by["script"],
        by_channel=by["channel"],
        by_tone=by["tone"],
        by_intent=by["intent"],
        by_split=by["split"],
        parity=parity(by["language"], metrics),
        findings=findings_counts(scores),
        fit_check=fit_check(scores),
        hard_cases=hard_cases(scores),
        latency=latency_summary(scores),
        judge=judge,
        cost=cost or {},
        errors=[{"id": s.id, "error": s.error} for s in scores if s.error is not None],
        notes=notes,
    )


def _describe(metric: str) -> dict[str, Any]:
    spec = METRICS[metric]
    info: dict[str, Any] = {
        "label": spec.label,
        "kind": spec.kind,
        "higher_is_better": spec.higher_is_better,
        "description": spec.description,
    }
    if spec.kind == "judge":
        info["uncalibrated"] = True
    return info


def headline(
    by: dict[str, dict[str, dict[str, Stat]]],
    overall: dict[str, Stat],
    gaps: dict[str, ParityRow],
) -> Headline | None:
    """The send-ready block: overall, per language, script, channel, intent and split."""
    if HEADLINE not in overall:
        return None
    rows = {
        f"by_{d}": {g: stats[HEADLINE] for g, stats in by[d].items() if HEADLINE in stats}
        for d in HEADLINE_DIMENSIONS
    }
    return Headline(overall=overall[HEADLINE], parity=gaps.get(HEADLINE), **rows)


def fit_check(scores: Sequence[ItemScore]) -> dict[str, dict[str, float | int | None]]:
    """Recall of wrong-topic drafts and false-alarm rate of the fit check, per split."""
    table: dict[str, dict[str, float | int | None]] = {}
    for split in [*sorted({s.split for s in scores}), "all"]:
        cited = [
            s for s in scores
            if split in ("all", s.split) and s.values.get("wrong_topic") is not None
        ]  # fmt: skip
        wrong = [s for s in cited if s.values["wrong_topic"] == 1.0]
        right = [s for s in cited if s.values["wrong_topic"] == 0.0]
        caught = sum(1 for s in wrong if s.values.get("fit_warned") == 1.0)
        alarms = sum(1 for s in right if s.values.get("fit_warned") == 1.0)
        table[split] = {
            "wrong": len(wrong),
            "right": len(right),
            "caught": caught,
            "false_alarms": alarms,
            "recall": _r(caught / len(wrong)) if wrong else None,
            "false_alarm_rate": _r(alarms / len(right)) if right else None,
            "precision": _r(caught / (caught + alarms)) if caught + alarms else None,
        }
    return table


def hard_cases(scores: Sequence[ItemScore]) -> dict[str, int]:
    """Counts that must be zero: upset customers thanked, safety reports without the
    safety wording, public personal-data posts without the removal warning."""
    failed = {"not_thanked": 0, "safety_wording": 0, "privacy_warning": 0}
    for score in scores:
        for metric in failed:
            if score.values.get(metric) == 0.0:
                failed[metric] += 1
    return {
        "upset_thanked": failed["not_thanked"],
        "safety_without_wording": failed["safety_wording"],
        "public_data_without_warning": failed["privacy_warning"],
    }
