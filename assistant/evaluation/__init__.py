"""Evaluation: run the assistant over labelled messages and score every draft.

    from assistant.evaluation import run_evaluation, load_run, compare_runs

    result = run_evaluation("evaluation/datasets/messages.jsonl", "/tmp/run", split="test")
    result.summary.by_language["hy"]["citation_correct"]    # Stat(mean, low, high, n)
    run = load_run("/tmp/run")                               # summary + item scores
    compare_runs("/tmp/run-a", "/tmp/run-b").regressions     # per-language deltas with CIs

Modules: `dataset` (EvalItem, load_dataset), `runner` (run_evaluation: concurrency,
progress), `store` (the run folder: caching, resume, load_run), `metrics` (per-draft
metrics), `stats` (bootstrap CIs, aggregates, parity), `compare` (paired A/B), `plots`
and `report` (tables, the self-contained report.html).
Plots and tables need the `eval` extra (pandas, matplotlib, sacrebleu).
"""

from __future__ import annotations

from assistant.evaluation.compare import Comparison, Delta, changed_items, compare_runs
from assistant.evaluation.dataset import DatasetError, EvalItem, load_dataset, select
from assistant.evaluation.metrics import METRICS, ItemScore, MetricSpec, expected_language
from assistant.evaluation.plots import (
    plot_deltas,
    plot_findings,
    plot_latency,
    plot_parity,
    plot_scorecard,
)
from assistant.evaluation.report import (
    explain,
    findings_table,
    parity_table,
    render_report,
    scorecard_table,
    send_ready_table,
    worst_cases,
    worst_cases_table,
    write_report,
)
from assistant.evaluation.runner import Judge, run_evaluation
from assistant.evaluation.stats import ParityRow, Stat, Summary, bootstrap_ci
from assistant.evaluation.store import (
    ResultRecord,
    ResultsError,
    Run,
    RunConfig,
    RunSummary,
    load_run,
)

__all__ = [
    "METRICS",
    "Comparison",
    "DatasetError",
    "Delta",
    "EvalItem",
    "ItemScore",
    "Judge",
    "MetricSpec",
    "ParityRow",
    "ResultRecord",
    "ResultsError",
    "Run",
    "RunConfig",
    "RunSummary",
    "Stat",
    "Summary",
    "bootstrap_ci",
    "changed_items",
    "compare_runs",
    "expected_language",
    "explain",
    "findings_table",
    "load_dataset",
    "load_run",
    "parity_table",
    "plot_deltas",
    "plot_findings",
    "plot_latency",
    "plot_parity",
    "plot_scorecard",
    "render_report",
    "run_evaluation",
    "scorecard_table",
    "select",
    "send_ready_table",
    "worst_cases",
    "worst_cases_table",
    "write_report",
]
