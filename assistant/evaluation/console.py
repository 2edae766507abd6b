"""Plain-text views of a run and of a comparison, readable at 80 columns and in a pipe.

    for line in summary_lines(summary): print(line)

Rates are whole percentages ("87%"), never "0.…" cells: every table is sized to fit 80
columns, and wider groups wrap into a second table rather than truncating.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assistant.evaluation.compare import Comparison, Delta, regression_text
from assistant.evaluation.stats import Headline, Stat, Summary

#: Part metrics beside the send-ready rate: the explanation of each failure.
PARTS = (
    ("language_match", "lang"),
    ("citation_correct", "cite"),
    ("no_block_findings", "noblk"),
    ("channel_fit", "fits"),
    ("register_correct", "reg"),
    ("take_private_correct", "priv"),
    ("escalation_recall", "esc"),
)
COMPARE = (
    ("send_ready", "ready"),
    ("language_match", "lang"),
    ("citation_correct", "cite"),
    ("no_block_findings", "noblk"),
    ("take_private_correct", "priv"),
)
WIDTH = 80


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def stat_text(stat: Stat | None) -> str:
    """ "87% [83–90]" (95% bootstrap interval in points); "–" when absent."""
    if stat is None or stat.mean is None or stat.low is None or stat.high is None:
        return "–"
    return f"{stat.mean * 100:.0f}% [{stat.low * 100:.0f}–{stat.high * 100:.0f}]"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Left-aligned first column, right-aligned others, two spaces apart."""
    body = [list(header), *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in body) for i in range(len(header))]
    lines = []
    for row in body:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=False)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def summary_lines(summary: Summary) -> list[str]:
    """The headline, its groups, the part metrics, the fit check and the hard cases."""
    lines: list[str] = []
    head = summary.send_ready
    if head is not None:
        lines += _headline(head)
    lines += ["", "Per language: send-ready and the part metrics that explain it"]
    lines += _groups(summary, "language")
    for block in (fit_lines(summary), hard_case_lines(summary)):
        lines += ["", *block] if block else []
    for note in summary.notes:
        lines.append(f"note: {note}")
    return lines


def _headline(head: Headline) -> list[str]:
    n = head.overall.n
    lines = [f"Send-ready rate of first drafts: {stat_text(head.overall)} of {n} messages"]
    if head.parity is not None:
        p = head.parity
        lines.append(
            f"Parity gap: {p.gap * 100:.0f} points (best {p.best} {percent(p.best_value)}, "
            f"worst {p.worst} {percent(p.worst_value)})"
        )
    for name, rows in (("script", head.by_script), ("channel", head.by_channel)):
        lines += ["", f"By {name}"]
        lines += table([name, "n", "send-ready"], _rows(rows))
    if head.by_split:
        lines += ["", "By split", *table(["split", "n", "send-ready"], _rows(head.by_split))]
    return lines


def _rows(rows: dict[str, Stat]) -> list[list[str]]:
    return [[group, str(stat.n), stat_text(stat)] for group, stat in rows.items()]


def _groups(summary: Summary, dimension: str) -> list[str]:
    groups = {**summary.by(dimension), "all": summary.overall}
    parts = [(m, label) for m, label in PARTS if m in summary.metrics]
    header = [dimension, "n", "send-ready", *[label for _, label in parts]]
    rows = []
    for group, stats in groups.items():
        n = stats["answered"].n if "answered" in stats else 0
        cells = [percent(stats[m].mean) if m in stats else "–" for m, _ in parts]
        rows.append([group, str(n), stat_text(stats.get("send_ready")), *cells])
    return table(header, rows)


def fit_lines(summary: Summary) -> list[str]:
    """The "answer may not fit" check per split: wrong-topic drafts it caught, and its
    false alarms on drafts that cite the right entry."""
    if not summary.fit_check:
        return []
    rows = [
        [
            split,
            f"{row['caught']} of {row['wrong']} ({percent(_f(row['recall']))})",
            f"{row['false_alarms']} of {row['right']} ({percent(_f(row['false_alarm_rate']))})",
        ]
        for split, row in summary.fit_check.items()
    ]
    header = ["'answer may not fit'", "wrong topic caught", "right ones flagged"]
    return table(header, rows)


def hard_case_lines(summary: Summary) -> list[str]:
    """The counts that must be zero."""
    h = summary.hard_cases
    if not h:
        return []
    rows = [
        ["upset or sarcastic customers thanked", str(h.get("upset_thanked", 0))],
        ["safety reports without the safety wording", str(h.get("safety_without_wording", 0))],
        [
            "public data posts without the removal warning",
            str(h.get("public_data_without_warning", 0)),
        ],
    ]
    return table(["must be 0", "drafts"], rows)


def _f(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def comparison_lines(comparison: Comparison) -> list[str]:
    """Per-language deltas (points, with 95% CI), then each regression in words."""
    metrics = [(m, label) for m, label in COMPARE if m in comparison.metrics]
    lines = [
        f"{comparison.run_b} vs {comparison.run_a}: {comparison.common} paired messages; "
        "change in points [95% CI]"
    ]
    groups = [*sorted({d.group for d in comparison.by_language}), "all"]
    rows = [
        [group, *[_delta_text(comparison.delta(m, group)) for m, _ in metrics]] for group in groups
    ]
    lines += table(["group", *[label for _, label in metrics]], rows)
    regressions = comparison.regressions
    lines.append("")
    lines.append(f"{len(regressions)} regression(s)" + (":" if regressions else "."))
    lines += [f"- {regression_text(d)}" for d in regressions]
    return lines


def _delta_text(delta: Delta | None) -> str:
    if delta is None:
        return "–"
    mean, low, high = delta.delta.mean, delta.delta.low, delta.delta.high
    if mean is None or low is None or high is None:
        return "–"
    mark = " !" if delta.regression else " +" if delta.improvement else ""
    return f"{mean * 100:+.0f} [{low * 100:+.0f},{high * 100:+.0f}]{mark}"
