"""The runner: results on disk as they finish, resume, cache, recorded errors, judge."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation import DatasetError, ResultsError, run_evaluation
from assistant.knowledge import KnowledgeBase
from assistant.prompts import JudgeScores
from assistant.types import Draft, Message
from tests.evaluation.eval_support import FakeAssistant, FakeEmbedder, make_items


def _lines(out: Path) -> list[dict[str, Any]]:
    text = (out / "results.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _run(items: Any, out: Path, assistant: Any, **options: Any) -> Any:
    options.setdefault("report", False)
    return run_evaluation(
        items, out, assistant=assistant, progress=False, embedder=FakeEmbedder(), **options
    )


def test_every_item_gets_one_result_line_and_a_summary(kb: KnowledgeBase, tmp_path: Path) -> None:
    items = make_items(12)
    result = _run(items, tmp_path, FakeAssistant(kb, items), concurrency=4, report=True)
    lines = _lines(tmp_path)
    assert sorted(line["id"] for line in lines) == sorted(i.id for i in items)
    assert {line["config"] for line in lines} == {result.summary.config["key"]}
    assert (result.new, result.cached, result.errors, result.items) == (12, 0, 0, 12)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["by_language"]) == {"en", "es", "hy"}
    assert summary["overall"]["citation_correct"]["mean"] == 1.0
    assert len((tmp_path / "scores.jsonl").read_text().splitlines()) == 12
    assert (tmp_path / "report.html").stat().st_size > 10_000


def test_an_interrupted_run_resumes_without_duplicates_or_losses(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    items = make_items(12)
    first = FakeAssistant(kb, items, interrupt_at=5)
    with pytest.raises(KeyboardInterrupt):
        _run(items, tmp_path, first, concurrency=2)
    written = [line["id"] for line in _lines(tmp_path)]
    assert 4 <= len(written) < 12 and len(set(written)) == len(written)
    second = FakeAssistant(kb, items)
    result = _run(items, tmp_path, second, concurrency=3)
    final = [line["id"] for line in _lines(tmp_path)]
    assert sorted(final) == sorted(i.id for i in items)  # none lost, none duplicated
    assert set(second.calls) == set(final) - set(written)  # only the missing ones ran
    assert (result.cached, result.new) == (len(written), 12 - len(written))


def test_a_rerun_is_served_from_the_cache(kb: KnowledgeBase, tmp_path: Path) -> None:
    items = make_items(9)
    first = _run(items, tmp_path, FakeAssistant(kb, items))
    again = FakeAssistant(kb, items)
    second = _run(items, tmp_path, again)
    assert again.calls == []
    assert (second.cached, second.new) == (9, 0)
    assert second.summary.overall == first.summary.overall
    subset = _run(items[:3], tmp_path, again)  # a smaller slice is a cache hit too
    assert again.calls == [] and subset.items == 3


def test_a_failure_is_recorded_once_and_retried_on_request(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    items = make_items(6)
    result = _run(items, tmp_path, FakeAssistant(kb, items, fail=["hy-002"]))
    errors = [line for line in _lines(tmp_path) if line["error"]]
    assert [(e["id"], e["error"]) for e in errors] == [
        ("hy-002", "RuntimeError: scripted failure on hy-002")
    ]
    assert result.errors == 1 and result.summary.overall["answered"].mean == pytest.approx(5 / 6)
    assert result.summary.errors == [
        {"id": "hy-002", "error": "RuntimeError: scripted failure on hy-002"}
    ]
    rerun = FakeAssistant(kb, items)
    _run(items, tmp_path, rerun)
    assert rerun.calls == []  # an error is a result: not retried by default
    _run(items, tmp_path, rerun, retry_errors=True)
    assert rerun.calls == ["hy-002"]
    lines = _lines(tmp_path)
    assert len(lines) == 6 and not any(line["error"] for line in lines)


def test_another_configuration_cannot_mix_with_old_results(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    items = make_items(3)
    _run(items, tmp_path, FakeAssistant(kb, items))
    with pytest.raises(ResultsError, match=r"results.jsonl:1: .*another configuration.*--fresh"):
        _run(items, tmp_path, FakeAssistant(kb, items), n=1)
    fresh = FakeAssistant(kb, items)
    _run(items, tmp_path, fresh, n=1, fresh=True)
    assert len(fresh.calls) == 3 and len(_lines(tmp_path)) == 3


def test_a_half_written_last_line_is_dropped_and_rerun(kb: KnowledgeBase, tmp_path: Path) -> None:
    items = make_items(4)
    _run(items, tmp_path, FakeAssistant(kb, items))
    path = tmp_path / "results.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]) + lines[-1][:40], encoding="utf-8")  # killed mid-write
    rerun = FakeAssistant(kb, items)
    _run(items, tmp_path, rerun)
    assert len(rerun.calls) == 1
    assert sorted(line["id"] for line in _lines(tmp_path)) == sorted(i.id for i in items)


def test_a_corrupt_line_is_located(kb: KnowledgeBase, tmp_path: Path) -> None:
    items = make_items(3)
    _run(items, tmp_path, FakeAssistant(kb, items))
    path = tmp_path / "results.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + "garbage\n" + "".join(lines[1:]), encoding="utf-8")
    with pytest.raises(ResultsError, match=r"results.jsonl:2: not a result line"):
        _run(items, tmp_path, FakeAssistant(kb, items))


def test_messages_are_answered_at_a_fixed_time_in_support_hours(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    items = make_items(3)
    fake = FakeAssistant(kb, items)
    _run(items, tmp_path / "a", fake)
    by_zone = {str(now.tzinfo) for now in fake.nows if now is not None}
    assert by_zone == {"America/New_York", "Asia/Yerevan"}  # en/es, hy
    assert all(now is not None and now.hour == 11 for now in fake.nows)
    fixed = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)
    pinned = FakeAssistant(kb, items)
    _run(items, tmp_path / "b", pinned, now=fixed)
    assert set(pinned.nows) == {fixed}


def test_no_progress_bar_when_not_on_a_terminal(
    kb: KnowledgeBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = make_items(3)
    run_evaluation(items, tmp_path, assistant=FakeAssistant(kb, items), report=False)
    assert "evaluating" not in capsys.readouterr().err


class FakeJudge:
    name = "fake-judge"

    def __init__(self, fail: str | None = None) -> None:
        self.fail = fail

    def score(
        self, message: Message | str, draft: Draft, kb: KnowledgeBase, reference: str | None = None
    ) -> JudgeScores:
        text = message if isinstance(message, str) else message.text
        if self.fail and self.fail in text:
            raise RuntimeError("judge down")
        mark = {"score": 4, "rationale": "fine"}
        return JudgeScores.model_validate(
            {
                "helpfulness": mark,
                "tone": mark,
                "cultural_fit": {"score": 2, "rationale": "meh"},
                "grounding": mark,
                "judge": self.name,
                "usage": {"prompt_tokens": 100, "completion_tokens": 20, "cost_usd": 0.0001},
            }
        )


def test_the_judge_scores_are_kept_and_marked_uncalibrated(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    items = make_items(6)
    result = _run(
        items, tmp_path, FakeAssistant(kb, items), judge=FakeJudge(fail="hy-002"), report=True
    )
    summary = result.summary
    assert summary.judge is not None and summary.judge["uncalibrated"] is True
    assert (summary.judge["judged"], summary.judge["failed"]) == (5, 1)
    assert summary.judge["cost_usd"] == pytest.approx(0.0005)
    assert summary.overall["judge_overall"].mean == 3.5
    assert summary.metrics["judge_tone"]["uncalibrated"] is True
    assert any("uncalibrated per language" in note for note in summary.notes)
    assert "Uncalibrated per language" in (tmp_path / "report.html").read_text(encoding="utf-8")
    failed = next(line for line in _lines(tmp_path) if line["id"] == "hy-002")
    assert failed["judge_error"] == "RuntimeError: judge down" and failed["suggestion"]


def test_reference_scores_are_computed_once_and_cached(kb: KnowledgeBase, tmp_path: Path) -> None:
    items = [
        i.model_copy(update={"reference_reply": "Hi there, most orders arrive soon."})
        for i in make_items(4)
    ]
    first = _run(items, tmp_path, FakeAssistant(kb, items))
    stored = [line["reference_scores"] for line in _lines(tmp_path)]
    assert all(set(s) == {"chrf", "similarity"} for s in stored)
    assert first.summary.overall["chrf"].n == 4 and first.summary.overall["similarity"].n == 4

    class Exploding(FakeEmbedder):
        def embed_documents(self, texts: list[str]) -> Any:
            raise AssertionError("a cached run must not embed again")

    again = run_evaluation(
        items,
        tmp_path,
        assistant=FakeAssistant(kb, items),
        progress=False,
        report=False,
        embedder=Exploding(),
    )
    assert again.summary.overall["chrf"] == first.summary.overall["chrf"]


def test_an_empty_selection_says_what_to_check(kb: KnowledgeBase, tmp_path: Path) -> None:
    items = make_items(3)
    with pytest.raises(DatasetError, match="no message matches languages=xx"):
        _run(items, tmp_path, FakeAssistant(kb, items), languages=iter(["xx"]))


def test_embeddings_are_cached_on_disk_across_runs(tmp_path: Path) -> None:
    from assistant.evaluation.store import CachedEmbedder

    class Counting(FakeEmbedder):
        def __init__(self) -> None:
            self.texts: list[str] = []

        def embed_documents(self, texts: list[str]) -> Any:
            self.texts += texts
            return super().embed_documents(texts)

    inner = Counting()
    first = CachedEmbedder(inner, tmp_path / "vectors.sqlite3")
    vectors = first.embed_documents(["un", "deux", "un"])
    again = CachedEmbedder(inner, tmp_path / "vectors.sqlite3").embed_documents(["deux", "un"])
    assert inner.texts == ["un", "deux"]  # each text embedded once, ever
    assert (again == vectors[[1, 0]]).all()
