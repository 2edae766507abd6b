"""`assistant eval run` end to end on a small slice, and `assistant eval compare`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.evaluation import EvalItem, run_evaluation
from assistant.evaluation.dataset import DEFAULT_DATASET
from assistant.knowledge import KnowledgeBase
from assistant.types import Suggestion
from tests.evaluation.eval_support import FakeAssistant, FakeEmbedder, make_items, make_suggestion
from tests.support.brand import BRAND_LANGUAGES

SAMPLE_LANGUAGES = set(BRAND_LANGUAGES)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS", "false")  # keyword retrieval: a faster test
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


def test_eval_run_writes_the_run_folder_and_prints_a_table(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = [
        "eval",
        "run",
        str(DEFAULT_DATASET),
        "--out",
        str(out),
        "--limit",
        "20",
        "--concurrency",
        "4",
        "--n",
        "1",
    ]
    result = cli.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["counts"]["items"] == 20 and summary["counts"]["missing"] == 0
    assert set(summary["by_language"]) >= SAMPLE_LANGUAGES  # round-robin: every language
    for name in ("results.jsonl", "scores.jsonl", "summary.json", "report.html"):
        assert (out / name).is_file(), name
    assert len((out / "results.jsonl").read_text().splitlines()) == 20
    report = (out / "report.html").read_text(encoding="utf-8")
    assert report.count("data:image/png;base64,") == 3 and "http://" not in report
    assert report.index("Send-ready rate") < report.index("Per-language scorecard")

    again = cli.invoke(app, args)  # served from the cache, printed as a table
    assert again.exit_code == 0, again.output
    assert again.output.startswith("Send-ready rate of first drafts:")
    assert "hy" in again.output and "0.…" not in again.output
    assert "20 messages (0 run, 20 cached, 0 errors)" in again.output
    resumed = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert resumed["counts"]["new"] == 20  # the statistics of the run that made the results


def test_eval_run_help_documents_every_option(cli: CliRunner) -> None:
    result = cli.invoke(app, ["eval", "run", "--help"])
    assert result.exit_code == 0
    for option in (
        "--out",
        "--backend",
        "--limit",
        "--concurrency",
        "--split",
        "--languages",
        "--json",
        "--judge",
        "--fresh",
        "--retry-errors",
    ):
        assert option in result.output


def test_a_bad_split_is_a_user_error(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(
        app, ["eval", "run", str(DEFAULT_DATASET), "--out", str(tmp_path), "--split", "train"]
    )
    assert result.exit_code != 0
    assert "split must be dev, test or all" in str(result.exception)


def _worse_for_armenian(item: EvalItem) -> Suggestion:
    return make_suggestion(item, citations=() if item.language == "hy" else ("order-status",))


def test_eval_compare_shows_regressions(cli: CliRunner, kb: KnowledgeBase, tmp_path: Path) -> None:
    items = make_items(12)
    for name, respond in (("a", None), ("b", _worse_for_armenian)):
        run_evaluation(
            items,
            tmp_path / name,
            assistant=FakeAssistant(kb, items, respond=respond),
            progress=False,
            report=False,
            embedder=FakeEmbedder(),
        )
    table = cli.invoke(app, ["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b")])
    assert table.exit_code == 0, table.output
    assert "b vs a: 12 paired messages" in table.output
    assert "-100 [-100,-100] !" in table.output  # hy citation: every item lost it
    assert "citation fell 100.0 points in hy" in table.output
    as_json = cli.invoke(
        app, ["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"), "--json"]
    )
    data = json.loads(as_json.output)
    flagged = {(d["group"], d["metric"]) for d in data["by_language"] if d["regression"]}
    assert ("hy", "citation_correct") in flagged and ("en", "citation_correct") not in flagged
    gate = cli.invoke(
        app, ["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"), "--fail-on-regression"]
    )
    assert gate.exit_code == 1
    assert "regression(s):" in gate.output and "- citation fell" in gate.output


def test_an_interrupted_run_says_how_to_resume(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("assistant.evaluation.run_evaluation", interrupted)
    result = cli.invoke(app, ["eval", "run", str(DEFAULT_DATASET), "--out", str(tmp_path)])
    assert result.exit_code == 130
    assert "run the same command again to resume" in result.output
