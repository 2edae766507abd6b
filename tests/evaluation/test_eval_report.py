"""The report and the notebook tables: self-contained HTML, readable tables, the API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import assistant.evaluation as evaluation
from assistant.evaluation import (
    EvalItem,
    Run,
    explain,
    findings_table,
    load_run,
    parity_table,
    plot_deltas,
    plot_findings,
    plot_latency,
    plot_parity,
    plot_scorecard,
    render_report,
    run_evaluation,
    scorecard_table,
    worst_cases,
    worst_cases_table,
)
from assistant.evaluation.plots import to_png
from assistant.knowledge import KnowledgeBase
from assistant.types import Finding, Suggestion
from tests.evaluation.eval_support import FakeAssistant, FakeEmbedder, make_items, make_suggestion

PNG = b"\x89PNG\r\n\x1a\n"


def _mixed(item: EvalItem) -> Suggestion:
    """Armenian drafts cite the wrong entry and are too long: they must come out worst."""
    if item.language != "hy":
        return make_suggestion(item)
    long = make_suggestion(
        item,
        "Բարև Ձեզ։ " + "ա" * 300,
        citations=("returns",),
        findings=[Finding(id="channel.too_long", severity="block", message="too long")],
    )
    return long


@pytest.fixture(scope="module")
def run(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Run:
    items = make_items(15)
    out = tmp_path_factory.mktemp("report")
    run_evaluation(
        items,
        out,
        assistant=FakeAssistant(kb, items, respond=_mixed),
        progress=False,
        embedder=FakeEmbedder(),
    )
    return load_run(out)


def test_the_report_is_one_self_contained_file(run: Run) -> None:
    page = (run.out_dir / "report.html").read_text(encoding="utf-8")
    assert page == render_report(run)
    assert page.count('src="data:image/png;base64,') == 3  # latency is a small table
    assert not re.search(r'(src|href)="(?!data:)', page)  # nothing to fetch
    for heading in (
        "Per-language scorecard",
        "Parity gaps",
        "Findings",
        "Latency",
        "Worst 15 cases",
        "LLM judge",
        "Errors",
    ):
        assert heading in page
    assert "citation_correct: cites returns, gold order-status" in page
    assert "Uncalibrated" not in page  # no judge in this run


def test_plots_render_to_png(run: Run) -> None:
    for fig in (
        plot_scorecard(run.summary),
        plot_findings(run.summary),
        plot_latency(run.scores),
        plot_parity(run.summary),
    ):
        assert to_png(fig).startswith(PNG)
    comparison = evaluation.compare_runs(run, run)
    assert to_png(plot_deltas(comparison)).startswith(PNG)


def test_tables_for_notebooks(run: Run) -> None:
    card = scorecard_table(run.summary)
    assert list(card.index) == ["en", "es", "hy"]
    assert card.loc["hy", "citation_correct"] == 0.0 and card.loc["en", "n"] == 5
    with_ci = scorecard_table(run.summary, ci=True)
    assert with_ci.loc["en", "citation_correct"] == "1.00 [1.00, 1.00]"
    assert parity_table(run.summary).loc["citation_correct", "worst"] == "hy"
    assert findings_table(run.summary, by="check").loc["channel", "block"] == 5
    worst = worst_cases(run, k=5)
    assert {s.language for s in worst} == {"hy"}
    assert "findings: block channel.too_long" in explain(worst[0])
    assert list(worst_cases_table(run, k=3).columns) == [
        "language",
        "channel",
        "quality",
        "message",
        "draft",
        "why",
    ]


def test_the_public_api_is_pinned() -> None:
    assert sorted(evaluation.__all__) == sorted(
        [
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
    )
    for name in evaluation.__all__:
        assert getattr(evaluation, name) is not None


def test_load_run_says_what_to_do_with_an_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(evaluation.ResultsError, match="run `assistant eval run DATASET"):
        load_run(tmp_path)
