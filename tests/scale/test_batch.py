"""`assistant draft --batch`: one line per message, resume without duplicates, clear errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.drafting.batch import draft_batch, read_messages
from assistant.errors import InputError, UserError
from tests.scale.conftest import messages, write_jsonl

NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_batch_drafts_every_message_once_and_resumes(tmp_path: Path) -> None:
    rows = messages(6)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    first = rows[:2]
    draft_batch(write_jsonl(tmp_path / "first.jsonl", first), out, now=NOW, progress=False)
    with out.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "torn')  # a crash in the middle of a line
    summary = draft_batch(source, out, now=NOW, progress=False, concurrency=3)
    assert (summary.total, summary.new, summary.skipped, summary.errors) == (6, 4, 2, 0)
    assert sorted(_ids(out)) == sorted(r["id"] for r in rows)
    line = json.loads(out.read_text(encoding="utf-8").splitlines()[-1])
    assert line["suggestion"]["drafts"], "every message gets drafts"


def test_an_unusable_message_is_an_error_line_not_a_crash(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "x", "text": "   "}, {"text": "hola?"}])
    out = tmp_path / "out.jsonl"
    summary = draft_batch(source, out, now=NOW, progress=False)
    lines = {line["id"]: line for line in map(json.loads, out.read_text().splitlines())}
    assert summary.errors == 1 and "empty" in lines["x"]["error"]
    assert lines["2"]["suggestion"]["reply_language"] == "es"  # id: the line number


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"id": 1}\n', "in.jsonl:1: not a message"),
        ("not json\n", "in.jsonl:1: not a message"),
        ('{"text": "a"}\n{"id": "1", "text": "b"}\n', "id '1' appears twice"),
    ],
)
def test_a_bad_input_line_is_named(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        read_messages(path)


def test_the_cli_runs_a_batch_and_explains_what_it_needs(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", messages(2))
    out = tmp_path / "out.jsonl"
    done = CliRunner().invoke(app, ["draft", "--batch", str(source), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "2 drafted, 0 already in" in done.output
    missing = CliRunner().invoke(app, ["draft", "--batch", str(source)])
    assert isinstance(missing.exception, UserError)
    assert "--out OUT.jsonl" in str(missing.exception)
    unknown = CliRunner().invoke(
        app, ["draft", "--batch", str(source), "--out", str(out), "--engine", "spark"]
    )
    assert isinstance(unknown.exception, UserError)
    assert "unknown engine 'spark'" in str(unknown.exception)
