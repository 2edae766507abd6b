"""Tables of a run (pandas, for notebooks) and the self-contained `report.html`.

    run = load_run("evaluation/runs/base")
    scorecard_table(run.summary)            # languages x metrics
    worst_cases_table(run, k=10)            # what failed, and the findings
    write_report(run, "report.html")        # plots embedded as base64 PNG

The report needs no network and no other file: open it in any browser.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.evaluation import plots
from assistant.evaluation.metrics import METRICS, QUALITY_PARTS, ItemScore
from assistant.evaluation.stats import Stat, Summary
from assistant.evaluation.store import Run

if TYPE_CHECKING:
    import pandas as pd

TABLE_METRICS = (
    "send_ready",
    "quality",
    *QUALITY_PARTS,
    "sentiment_correct",
    "intent_correct",
    "chrf",
    "similarity",
    "latency_ms",
    "judge_overall",
)


# -- Tables ----------------------------------------------------------------------------
def format_stat(stat: Stat | None, metric: str) -> str:
    """ "0.92 [0.85, 0.97]" (chrF and latency with one decimal); "–" when absent."""
    if stat is None or stat.mean is None:
        return "–"
    digits = 1 if METRICS[metric].kind in ("score", "ms") else 2
    return f"{stat.mean:.{digits}f} [{stat.low:.{digits}f}, {stat.high:.{digits}f}]"


def _metrics(summary: Summary, metrics: Sequence[str] | None) -> list[str]:
    return [m for m in (metrics or TABLE_METRICS) if m in summary.metrics]


def scorecard_rows(
    summary: Summary,
    metrics: Sequence[str] | None = None,
    *,
    ci: bool = False,
    dimension: str = "language",
) -> list[dict[str, Any]]:
    """One row per group (language by default): n, then each metric's mean (or mean [CI])."""
    chosen = _metrics(summary, metrics)
    rows = []
    for group, stats in summary.by(dimension).items():
        row: dict[str, Any] = {dimension: group, "n": stats["answered"].n}
        for m in chosen:
            stat = stats.get(m)
            row[m] = format_stat(stat, m) if ci else (stat.mean if stat else None)
        rows.append(row)
    return rows


def scorecard_table(
    summary: Summary,
    metrics: Sequence[str] | None = None,
    *,
    ci: bool = False,
    dimension: str = "language",
) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(scorecard_rows(summary, metrics, ci=ci, dimension=dimension)).set_index(
        dimension
    )


def send_ready_rows(summary: Summary, dimension: str = "language") -> list[dict[str, Any]]:
    """The send-ready rate per group of `dimension` (language, script, channel, intent,
    split): n, rate in percent and its 95 % interval, worst group first."""
    head = summary.send_ready
    if head is None:
        return []
    stats: dict[str, Stat] = getattr(head, f"by_{dimension}")
    rows = [
        {
            dimension: group,
            "n": stat.n,
            "send-ready %": round(stat.mean * 100, 1) if stat.mean is not None else None,
            "95% CI": f"{(stat.low or 0) * 100:.0f}–{(stat.high or 0) * 100:.0f}",
        }
        for group, stat in stats.items()
    ]
    return sorted(rows, key=lambda r: (r["send-ready %"] is None, r["send-ready %"] or 0))


def send_ready_table(summary: Summary, dimension: str = "language") -> pd.DataFrame:
    """`send_ready_rows` as a table (notebooks): the headline per language or script."""
    import pandas as pd

    return pd.DataFrame(send_ready_rows(summary, dimension)).set_index(dimension)


def parity_rows(summary: Summary, *, hide_zero: bool = False) -> list[dict[str, Any]]:
    """Best and worst language per metric; `hide_zero` leaves out metrics with no gap."""
    return [
        {
            "metric": m,
            "best": p.best,
            "best_value": p.best_value,
            "worst": p.worst,
            "worst_value": p.worst_value,
            "gap": p.gap,
            "languages": p.languages,
        }
        for m, p in summary.parity.items()
        if not (hide_zero and p.gap == 0)
    ]


def parity_table(summary: Summary) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(parity_rows(summary)).set_index("metric")


def findings_table(summary: Summary, by: str = "id") -> pd.DataFrame:
    """Finding counts (block, warn, info) by finding "id", "check" or "language"."""
    import pandas as pd

    table: dict[str, dict[str, int]] = summary.findings.get(f"by_{by}", {})
    frame = pd.DataFrame.from_dict(table, orient="index", columns=["block", "warn", "info"])
    frame["total"] = frame.sum(axis=1)
    return frame.sort_values("total", ascending=False)


def worst_cases(scores: Run | Sequence[ItemScore], k: int = 10) -> list[ItemScore]:
    """The k weakest items: not send-ready first, then lowest quality, most blocking
    findings, lowest chrF."""
    items = scores.scores if isinstance(scores, Run) else scores

    def badness(s: ItemScore) -> tuple[float, float, int, float, str]:
        blocks = sum(1 for f in s.findings if f.startswith("block "))
        ready = s.values.get("send_ready")
        return (
            1.0 if ready is None else ready,
            s.values.get("quality") or 0.0,
            -blocks,
            s.values.get("chrf") or 100.0,
            s.id,
        )

    return sorted(items, key=badness)[:k]


def explain(score: ItemScore) -> str:
    """What failed on one item, then its blocking and warning findings."""
    findings = [f for f in score.findings if not f.startswith("info ")]
    ready = [f"not send-ready: {'; '.join(score.not_ready)}"] if score.not_ready else []
    parts = (
        ready + list(score.failures) + ([f"findings: {', '.join(findings)}"] if findings else [])
    )
    return "; ".join(parts) or "nothing failed"


def worst_cases_table(scores: Run | Sequence[ItemScore], k: int = 10) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "id": s.id,
                "language": s.language,
                "channel": s.channel,
                "quality": s.values.get("quality"),
                "message": s.text,
                "draft": s.draft,
                "why": explain(s),
            }
            for s in worst_cases(scores, k)
        ]
    ).set_index("id")


# -- HTML ------------------------------------------------------------------------------
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;
max-width:1400px}h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}td,th{border:1px solid #ddd;
padding:.25rem .5rem;vertical-align:top;text-align:left}th{background:#f4f4f4}
.num{text-align:right;white-space:nowrap}.scroll{overflow-x:auto;max-width:100%}
.headline{font-size:1.6rem;margin:.8rem 0}.warn{background:#fff4e0;border:1px solid #e6a23c;
padding:.6rem;border-radius:4px}.meta td{border:none;padding:.1rem .8rem .1rem 0}
img{max-width:100%}.small{font-size:.8rem;color:#555}.why{color:#a33}
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def _img(fig: Any, alt: str) -> str:
    data = base64.b64encode(plots.to_png(fig)).decode("ascii")
    return f'<img alt="{_e(alt)}" src="data:image/png;base64,{data}">'


def _table(
    header: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[bool] | None = None
) -> str:
    flags = [*(numeric or []), *[False] * len(header)]
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"num" if flags[i] else ""}">{_e(c)}</td>' for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f'<div class="scroll"><table><tr>{head}</tr>{body}</table></div>'


def _meta(summary: Summary) -> str:
    c, k = summary.config, summary.counts
    rows = [
        ("backend", c.get("backend")),
        ("prompt", c.get("prompt")),
        ("guidelines", f"{c.get('guidelines')} (fingerprint {c.get('fingerprint')})"),
        (
            "dataset",
            f"{c.get('dataset')} · split {c.get('split')} · languages "
            f"{', '.join(c.get('languages') or []) or 'all'} · limit {c.get('limit')}",
        ),
        (
            "items",
            f"{k.get('items')} ({k.get('new')} new, {k.get('cached')} cached, "
            f"{k.get('errors')} errors)",
        ),
        ("config key", c.get("key")),
        ("seconds", summary.seconds),
    ]
    return (
        '<table class="meta">'
        + "".join(f"<tr><td><b>{_e(a)}</b></td><td>{_e(b)}</td></tr>" for a, b in rows)
        + "</table>"
    )


def _overall(summary: Summary) -> str:
    rows = [
        (METRICS[m].label, format_stat(s, m), s.n, METRICS[m].description)
        for m, s in summary.overall.items()
    ]
    return _table(["metric", "mean [95% CI]", "n", "definition"], rows, [False, True, True])


def _by_language(summary: Summary) -> str:
    rows = scorecard_rows(summary, ci=True)
    metrics = _metrics(summary, None)
    header = ["language", "n", *[METRICS[m].label for m in metrics]]
    return _table(
        header,
        [[r["language"], r["n"], *[r[m] for m in metrics]] for r in rows],
        [False, True, *[True] * len(metrics)],
    )


def _headline(summary: Summary) -> str:
    """The send-ready rate, then its rows per language, script, channel and intent."""
    from assistant.evaluation.console import stat_text

    head = summary.send_ready
    if head is None:
        return "<p>No send-ready verdicts in this run.</p>"
    gap = head.parity
    parts = [
        f"<p class='headline'>Send-ready rate of first drafts: <b>{_e(stat_text(head.overall))}"
        f"</b> of {head.overall.n} messages</p>",
        f"<p>Parity gap: {gap.gap * 100:.0f} points (best {_e(gap.best)}, worst "
        f"{_e(gap.worst)})</p>"
        if gap
        else "",
    ]
    for name, rows in (
        ("language", head.by_language),
        ("script", head.by_script),
        ("channel", head.by_channel),
        ("intent", head.by_intent),
    ):
        table = [(group, stat.n, stat_text(stat)) for group, stat in rows.items()]
        parts.append(
            f"<h3>By {name}</h3>"
            + _table([name, "n", "send-ready [95% CI]"], table, [False, True, True])
        )
    return "\n".join(parts)


def _why_not_ready(run: Run) -> str:
    """How often each reason made a first draft not send-ready."""
    from collections import Counter

    reasons = Counter(r.split(" (")[0].split(":")[0] for s in run.scores for r in s.not_ready)
    if not reasons:
        return "<p>Every first draft is send-ready.</p>"
    rows = [(reason, count) for reason, count in reasons.most_common(15)]
    return _table(["why not send-ready", "drafts"], rows, [False, True])


def _fit_check(summary: Summary) -> str:
    """The fit check's catch and false-alarm counts per split, and the must-be-zero
    counts of the hard cases."""
    from assistant.evaluation.console import percent

    def rate(value: object) -> str:
        return percent(float(value)) if isinstance(value, int | float) else "–"

    fit = [
        (
            split,
            f"{row['caught']} of {row['wrong']} ({rate(row['recall'])})",
            f"{row['false_alarms']} of {row['right']} ({rate(row['false_alarm_rate'])})",
        )
        for split, row in summary.fit_check.items()
    ]
    hard = [(name.replace("_", " "), count) for name, count in summary.hard_cases.items()]
    parts = []
    if fit:
        parts.append(
            _table(["'answer may not fit' check", "wrong topic caught", "right ones flagged"], fit)
        )
    if hard:
        parts.append(_table(["must be 0", "drafts"], hard, [False, True]))
    return "".join(parts)


def _latency(summary: Summary) -> str:
    rows = [(k, f"{v:.0f}") for k, v in summary.latency.items()]
    return _table(["latency", "ms"], rows, [False, True]) if rows else "<p>No latency.</p>"


def _parity(summary: Summary) -> str:
    rows = [
        (
            METRICS[r["metric"]].label,
            f"{r['best']} ({r['best_value']:.2f})",
            f"{r['worst']} ({r['worst_value']:.2f})",
            f"{r['gap']:.2f}",
            r["languages"],
        )
        for r in parity_rows(summary, hide_zero=True)
    ]
    return _table(["metric", "best", "worst", "gap", "languages"], rows)


def _findings(summary: Summary) -> str:
    table: dict[str, dict[str, int]] = summary.findings.get("by_check", {})
    rows = [
        (check, c.get("block", 0), c.get("warn", 0), c.get("info", 0)) for check, c in table.items()
    ]
    return _table(["check", "block", "warn", "info"], rows, [False, True, True, True])


def _worst(run: Run, k: int) -> str:
    rows = "".join(
        f"<tr><td>{_e(s.id)}</td><td>{_e(s.language)}</td><td>{_e(s.channel)}</td>"
        f"<td>{_e(s.text)}</td><td>{_e(s.draft or '(no draft)')}</td>"
        f'<td class="why">{_e(explain(s))}</td></tr>'
        for s in worst_cases(run, k)
    )
    return (
        '<div class="scroll"><table><tr><th>id</th><th>language</th><th>channel</th>'
        f"<th>message</th><th>first draft</th><th>what failed</th></tr>{rows}</table></div>"
    )


def _judge(summary: Summary) -> str:
    if summary.judge is None:
        return (
            "<p class='small'>No LLM judge in this run (pass a judge, e.g. "
            "<code>--judge openai:gpt-4o-mini</code>).</p>"
        )
    j = summary.judge
    return (
        f"<p class='warn'><b>Uncalibrated per language.</b> {_e(j['note'])}</p>"
        f"<p>{_e(j['judge'])}: {j['judged']} judged, {j['failed']} failed, "
        f"{j['prompt_tokens'] + j['completion_tokens']:,} tokens, "
        f"${j['cost_usd']:.4f}.</p>"
    )


def _errors(summary: Summary) -> str:
    if not summary.errors:
        return "<p>No errors: every message got a result.</p>"
    return _table(["id", "error"], [(e["id"], e["error"]) for e in summary.errors])


def render_report(run: Run, *, worst: int = 15) -> str:
    """The whole report as one HTML string (plots embedded)."""
    s = run.summary
    sections = [
        f"<h1>Evaluation report: {_e(run.name)}</h1>",
        _meta(s),
        *(f"<p class='warn'>{_e(note)}</p>" for note in s.notes),
        "<h2>Send-ready</h2>",
        _headline(s),
        "<h2>Why drafts are not send-ready</h2>",
        _why_not_ready(run),
        _fit_check(s),
        "<h2>Per-language scorecard</h2>",
        _img(plots.plot_scorecard(s), "scorecard"),
        _by_language(s),
        "<h2>Overall</h2>",
        _overall(s),
        "<h2>Parity gaps</h2>",
        _img(plots.plot_parity(s), "parity"),
        _parity(s),
        "<h2>Findings</h2>",
        _img(plots.plot_findings(s), "findings"),
        _findings(s),
        "<h2>Latency</h2>",
        _latency(s),
        "<h2>LLM judge</h2>",
        _judge(s),
        f"<h2>Worst {worst} cases</h2>",
        _worst(run, worst),
        "<h2>Errors</h2>",
        _errors(s),
    ]
    body = "\n".join(sections)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Evaluation {_e(run.name)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>"
    )


def write_report(run: Run, path: str | Path) -> Path:
    """Write `render_report(run)` to `path`."""
    target = Path(path)
    target.write_text(render_report(run), encoding="utf-8")
    return target
