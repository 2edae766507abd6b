"""Plots of a run and of a comparison, as matplotlib `Figure`s (no pyplot state).

    fig = plot_scorecard(run.summary)      # shows inline in a notebook
    png = to_png(fig)                      # bytes, for the self-contained report

Figures are built on `matplotlib.figure.Figure`, so they work under any backend,
from threads, and never open a window.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assistant.evaluation.metrics import METRICS, QUALITY_PARTS, ItemScore
from assistant.evaluation.stats import Summary, values_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from assistant.evaluation.compare import Comparison

#: Metrics shown in the scorecard heatmap (0-1 rates; chrF is shown /100).
SCORECARD = (
    "quality",
    *QUALITY_PARTS,
    "detection_correct",
    "sentiment_correct",
    "intent_correct",
    "chrf",
    "similarity",
)
SEVERITY_COLOURS = {"block": "#c0392b", "warn": "#e6a23c", "info": "#5b8def"}


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def scorecard_metrics(summary: Summary) -> list[str]:
    return [m for m in SCORECARD if m in summary.metrics]


def _cell(summary: Summary, language: str, metric: str) -> float | None:
    stat = summary.by_language[language].get(metric)
    if stat is None or stat.mean is None:
        return None
    return stat.mean / 100 if METRICS[metric].kind == "score" else stat.mean


def plot_scorecard(summary: Summary, metrics: Sequence[str] | None = None) -> Figure:
    """Languages x metrics heatmap of means (red 0 .. green 1); blank: not applicable."""
    import numpy as np

    columns = list(metrics or scorecard_metrics(summary))
    rows = list(summary.by_language)
    grid = np.array(
        [
            [_cell(summary, lang, m) if m in summary.metrics else None for m in columns]
            for lang in rows
        ],
        dtype=float,
    )
    fig = _figure(1.0 + 0.72 * len(columns), 1.2 + 0.36 * len(rows))
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(grid), cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    _annotate(ax, grid)
    ax.set_xticks(range(len(columns)), [METRICS[m].label for m in columns], rotation=40, ha="right")
    ax.set_yticks(range(len(rows)), [f"{lang} ({_n(summary, lang)})" for lang in rows])
    ax.set_title("Per-language scorecard (mean; chrF shown /100)", loc="left")
    fig.colorbar(image, ax=ax, shrink=0.6, label="score")
    return fig


def _n(summary: Summary, language: str) -> int:
    stat = summary.by_language[language].get("answered")
    return stat.n if stat is not None else 0


def _annotate(ax: Any, grid: Any) -> None:
    for (row, col), value in _cells(grid):
        colour = "white" if value < 0.25 or value > 0.85 else "black"
        ax.text(col, row, f"{value:.2f}", ha="center", va="center", fontsize=8, color=colour)


def _cells(grid: Any) -> list[tuple[tuple[int, int], float]]:
    import numpy as np

    return [((int(r), int(c)), float(grid[r, c])) for r, c in np.argwhere(~np.isnan(grid))]


def plot_findings(summary: Summary, top: int = 15) -> Figure:
    """Most frequent first-draft findings, stacked by severity."""
    by_id: dict[str, dict[str, int]] = summary.findings.get("by_id", {})
    ranked = sorted(by_id, key=lambda k: (-sum(by_id[k].values()), k))[:top][::-1]
    fig = _figure(8, 1.2 + 0.32 * max(len(ranked), 1))
    ax = fig.add_subplot()
    left = [0] * len(ranked)
    for severity, colour in SEVERITY_COLOURS.items():
        counts = [by_id[k].get(severity, 0) for k in ranked]
        ax.barh(ranked, counts, left=left, color=colour, label=severity)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    if not ranked:
        ax.text(0.5, 0.5, "no findings", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("drafts with the finding (first draft of each message)")
    ax.set_title("Guardrail findings by check and severity", loc="left")
    ax.legend(loc="lower right")
    return fig


def plot_latency(scores: Sequence[ItemScore]) -> Figure:
    """Histogram of per-message latency with median and p95 lines."""
    import numpy as np

    values = np.asarray(values_of(scores, "latency_ms"))
    fig = _figure(8, 3.2)
    ax = fig.add_subplot()
    if values.size:
        ax.hist(values, bins=min(40, max(5, values.size // 5)), color="#5b8def")
        for q, style in ((50, "-"), (95, "--")):
            mark = float(np.percentile(values, q))
            ax.axvline(mark, color="#333333", linestyle=style, label=f"p{q} {mark:,.0f} ms")
        ax.legend()
    ax.set_xlabel("latency of assistant.suggest (ms)")
    ax.set_ylabel("messages")
    ax.set_title("Latency per message", loc="left")
    return fig


def plot_parity(summary: Summary) -> Figure:
    """Gap between the best and the worst language on each metric (metrics with a gap)."""
    rows = [(m, p) for m, p in summary.parity.items() if METRICS[m].kind != "ms" and p.gap > 0]
    rows.sort(key=lambda mp: _gap(mp[0], mp[1].gap))
    fig = _figure(9, 1.2 + 0.36 * max(len(rows), 1))
    ax = fig.add_subplot()
    gaps = [_gap(m, p.gap) for m, p in rows]
    ax.barh([METRICS[m].label for m, _ in rows], gaps, color="#8e6fd8")
    for i, (metric, row) in enumerate(rows):
        ax.text(
            gaps[i],
            i,
            f"  {row.worst} {_fmt(metric, row.worst_value)} → "
            f"{row.best} {_fmt(metric, row.best_value)}",
            va="center",
            fontsize=8,
        )
    if not rows:
        ax.text(
            0.5, 0.5, "no gap between languages", ha="center", va="center", transform=ax.transAxes
        )
    ax.set_xlim(0, max([*gaps, 0.1]) * 1.6)
    ax.set_xlabel("gap between best and worst language (chrF /100, judge /4)")
    even = len(summary.parity) - len(rows)
    ax.set_title(
        f"Parity: is a language left behind? ({even} metrics without a gap not shown)", loc="left"
    )
    return fig


def _gap(metric: str, gap: float) -> float:
    kind = METRICS[metric].kind
    return gap / 100 if kind == "score" else gap / 4 if kind == "judge" else gap


def _fmt(metric: str, value: float) -> str:
    return f"{value:.1f}" if METRICS[metric].kind in ("score", "ms") else f"{value:.2f}"


def plot_deltas(comparison: Comparison, metric: str = "quality") -> Figure:
    """Per-language change B - A of one metric with its CI; regressions in red."""
    rows = [d for d in comparison.by_language if d.metric == metric and d.delta.mean is not None]
    fig = _figure(8, 1.4 + 0.34 * max(len(rows), 1))
    ax = fig.add_subplot()
    for i, delta in enumerate(rows):
        mean, low, high = delta.delta.mean or 0.0, delta.delta.low or 0.0, delta.delta.high or 0.0
        colour = "#c0392b" if delta.regression else "#27ae60" if delta.improvement else "#7f8c8d"
        ax.errorbar(mean, i, xerr=[[mean - low], [high - mean]], fmt="o", color=colour, capsize=3)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(range(len(rows)), [f"{d.group} (n={d.delta.n})" for d in rows])
    ax.set_xlabel(f"change in {METRICS[metric].label} (B - A), 95% bootstrap CI")
    ax.set_title(f"{comparison.run_b} vs {comparison.run_a}: red = regression", loc="left")
    return fig
