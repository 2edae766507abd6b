"""Compare two runs item by item: per-language deltas with paired bootstrap CIs.

    comparison = compare_runs("evaluation/runs/base", "evaluation/runs/new-tones")
    [d for d in comparison.regressions]       # CI of B - A entirely on the bad side of 0

Items are paired on their ids (only items scored in both runs count), so the interval
is about the change, not about the spread of the dataset. Wins, losses and ties count
items where B is better, worse or equal on the metric.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.evaluation.metrics import METRICS, ItemScore
from assistant.evaluation.stats import Stat, bootstrap_ci, derive_seed
from assistant.evaluation.store import Run, load_run
from assistant.types import Model

if TYPE_CHECKING:
    import pandas as pd

ALL = "all"
MIN_N_FLAG = 3  # a bootstrap over fewer paired items says nothing: never flag it


class Delta(Model):
    """Change of one metric in one group (a language, or "all") from run A to run B."""

    metric: str
    group: str
    a: float | None
    b: float | None
    delta: Stat
    wins: int
    losses: int
    ties: int
    regression: bool
    improvement: bool


class Comparison(Model):
    """Deltas overall and per language, with the items both runs scored."""

    run_a: str
    run_b: str
    config_a: dict[str, Any]
    config_b: dict[str, Any]
    common: int
    only_a: int
    only_b: int
    metrics: list[str]
    overall: list[Delta]
    by_language: list[Delta]

    @property
    def regressions(self) -> list[Delta]:
        return [d for d in (*self.overall, *self.by_language) if d.regression]

    def delta(self, metric: str, group: str = ALL) -> Delta | None:
        rows = self.overall if group == ALL else self.by_language
        return next((d for d in rows if d.metric == metric and d.group == group), None)

    def to_frame(self) -> pd.DataFrame:
        """One row per (group, metric): a, b, delta, CI, wins/losses/ties, flags."""
        import pandas as pd

        rows = [
            {
                "group": d.group,
                "metric": d.metric,
                "a": d.a,
                "b": d.b,
                "delta": d.delta.mean,
                "low": d.delta.low,
                "high": d.delta.high,
                "n": d.delta.n,
                "wins": d.wins,
                "losses": d.losses,
                "ties": d.ties,
                "regression": d.regression,
                "improvement": d.improvement,
            }
            for d in (*self.overall, *self.by_language)
        ]
        return pd.DataFrame(rows)


def compare_runs(
    run_a: str | Path | Run,
    run_b: str | Path | Run,
    *,
    metrics: Sequence[str] | None = None,
    seed: int = 0,
) -> Comparison:
    """Paired comparison of run B against run A (folders or loaded runs)."""
    a = run_a if isinstance(run_a, Run) else load_run(run_a)
    b = run_b if isinstance(run_b, Run) else load_run(run_b)
    scores_a = {s.id: s for s in a.scores}
    scores_b = {s.id: s for s in b.scores}
    common = [i for i in scores_a if i in scores_b]
    chosen = list(
        metrics or [m for m in METRICS if m in a.summary.metrics and m in b.summary.metrics]
    )
    pairs = [(scores_a[i], scores_b[i]) for i in common]
    languages = sorted({pa.language for pa, _ in pairs})
    overall = [_delta(pairs, m, ALL, seed) for m in chosen]
    by_language = [
        _delta([p for p in pairs if p[0].language == lang], m, lang, seed)
        for lang in languages
        for m in chosen
    ]
    return Comparison(
        run_a=_name(a),
        run_b=_name(b),
        config_a=a.summary.config,
        config_b=b.summary.config,
        common=len(common),
        only_a=len(scores_a) - len(common),
        only_b=len(scores_b) - len(common),
        metrics=chosen,
        overall=overall,
        by_language=by_language,
    )


def regression_text(delta: Delta) -> str:
    """One regression in plain words: metric, group, change and its interval."""
    spec = METRICS[delta.metric]
    scale, unit = (
        (100.0, " points") if spec.kind == "rate" else (1.0, "" if spec.kind != "ms" else " ms")
    )
    d = delta.delta
    where = "overall" if delta.group == ALL else f"in {delta.group}"
    word = "rose" if (d.mean or 0) > 0 else "fell"
    return (
        f"{spec.label} {word} {abs((d.mean or 0) * scale):.1f}{unit} {where} "
        f"(95% CI {(d.low or 0) * scale:+.1f} to {(d.high or 0) * scale:+.1f}, "
        f"{d.n} paired messages; {delta.losses} worse, {delta.wins} better)"
    )


def _name(run: Run) -> str:
    return run.out_dir.name or str(run.out_dir)


def _delta(
    pairs: Sequence[tuple[ItemScore, ItemScore]], metric: str, group: str, seed: int
) -> Delta:
    both = [
        (va, vb)
        for sa, sb in pairs
        if (va := sa.values.get(metric)) is not None and (vb := sb.values.get(metric)) is not None
    ]
    diffs = [vb - va for va, vb in both]
    stat = bootstrap_ci(diffs, seed=derive_seed(seed, "compare", group, metric))
    sign = 1.0 if METRICS[metric].higher_is_better else -1.0
    wins = sum(1 for d in diffs if d * sign > 0)
    losses = sum(1 for d in diffs if d * sign < 0)
    worse, better = _side(stat, sign)
    return Delta(
        metric=metric,
        group=group,
        a=_mean([va for va, _ in both]),
        b=_mean([vb for _, vb in both]),
        delta=stat,
        wins=wins,
        losses=losses,
        ties=len(diffs) - wins - losses,
        regression=worse,
        improvement=better,
    )


def _side(stat: Stat, sign: float) -> tuple[bool, bool]:
    """(regression, improvement): the whole CI on the bad, or the good, side of zero."""
    if stat.low is None or stat.high is None or stat.n < MIN_N_FLAG:
        return False, False
    below, above = stat.high < 0, stat.low > 0
    return (below, above) if sign > 0 else (above, below)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 6) if values else None


def changed_items(
    run_a: str | Path | Run, run_b: str | Path | Run, metric: str = "quality"
) -> pd.DataFrame:
    """Items whose `metric` changed from A to B, worst change first, with both drafts."""
    import pandas as pd

    a = run_a if isinstance(run_a, Run) else load_run(run_a)
    b = run_b if isinstance(run_b, Run) else load_run(run_b)
    after = {s.id: s for s in b.scores}
    sign = 1.0 if METRICS[metric].higher_is_better else -1.0
    rows = []
    for before in a.scores:
        now = after.get(before.id)
        va, vb = before.values.get(metric), now.values.get(metric) if now else None
        if now is None or va is None or vb is None or va == vb:
            continue
        rows.append(
            {
                "id": before.id,
                "language": before.language,
                "a": va,
                "b": vb,
                "change": (vb - va) * sign,
                "draft_a": before.draft,
                "draft_b": now.draft,
                "findings_b": ", ".join(now.findings),
            }
        )
    columns = ["id", "language", "a", "b", "change", "draft_a", "draft_b", "findings_b"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["change", "id"]).set_index("id")
