"""`assistant review ...` end to end on a temporary database, with a fake pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest

from assistant.cli import review as review_cli
from assistant.review.models import ReviewStatus, StatsDimension
from tests.review.review_support import (
    FakeAssistant,
    install_fake_pipeline,
    invoke,
    make_suggestion,
)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeAssistant]:
    return install_fake_pipeline(monkeypatch)


def ok(*args: str, input: str | None = None) -> str:
    result = invoke(*args, input=input)
    assert result.exit_code == 0, result.output
    return result.output


def refused(*args: str, code: int = 1) -> str:
    result = invoke(*args)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1  # one clear line
    return result.stderr


def test_the_whole_desk(fake: type[FakeAssistant], tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "desk.sqlite3")]
    added = ok("review", "add", "¿Dónde está mi pedido?", "--name", "Ana", "--draft", "2", *db)
    assert "queued review 1" in added
    assert fake.calls == [
        {"text": "¿Dónde está mi pedido?", "channel": "twitter", "name": "Ana", "n": 3}
    ]
    ok("review", "add", "Hi", "--channel", "whatsapp", "--name", "Bo", "--n", "1", *db)
    ok("review", "add", "Hola", "--name", "Cy", *db)

    listed = json.loads(ok("review", "list", "--json", *db))
    assert [(r["id"], r["status"], r["draft"]["tone"]) for r in listed] == [
        (1, "pending", "formal"),
        (2, "pending", "friendly"),
        (3, "pending", "friendly"),
    ]
    assert "suggestion" not in listed[0]
    assert [
        r["id"] for r in json.loads(ok("review", "list", "--channel", "whatsapp", "--json", *db))
    ] == [2]

    ok("review", "approve", "1", "--agent", "alice", *db)
    assert "already approved by alice" in refused("review", "approve", "1", "--agent", "bob", *db)

    # Editing runs the pipeline's recheck on the new text, with the stored suggestion.
    assert "blocking findings" in refused(
        "review", "edit", "2", "--agent", "bob", "--text", "Card 4111 noted", *db
    )
    edited = ok(
        "review", "edit", "2", "--agent", "bob", "--text", "-", "--override", "our hotline", *db,
        input="Call 4111 any time.\n",
    )  # fmt: skip
    assert "review 2 edited by bob" in edited
    assert {"recheck": "Call 4111 any time.", "draft_index": 0} in fake.calls
    ok("review", "reject", "3", "--agent", "carol", "--reason", "wrong FAQ", *db)

    outbox = tmp_path / "outbox.jsonl"
    assert "exported 2 repl(ies)" in ok(
        "review", "export", "--out", str(outbox), "--agent", "x", *db
    )
    assert "nothing to export" in ok("review", "export", "--out", str(outbox), "--agent", "x", *db)
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert [(line["review_id"], line["text"], line["approved_by"]) for line in lines] == [
        (1, "Estimado/a Ana: su pedido está en camino.", "alice"),
        (2, "Call 4111 any time.", "bob"),
    ]

    shown = json.loads(ok("review", "show", "2", "--json", *db))
    assert shown["review"]["status"] == "exported"
    assert shown["review"]["reason"] == "our hotline"
    actions = [e["action"] for e in shown["events"]]
    assert actions == ["add", "override", "edit", "export"]
    readable = ok("review", "show", "2", *db)
    for expected in ("Hi", "sent instead", "private-data", "history", "override", "our hotline"):
        assert expected in readable


def test_add_from_json(fake: type[FakeAssistant], tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "r.sqlite3")]
    source = tmp_path / "suggestion.json"
    source.write_text(make_suggestion(language="es").model_dump_json(), encoding="utf-8")
    review = json.loads(
        ok("review", "add", "--from-json", str(source), "--draft", "2", "--json", *db)
    )
    assert (review["id"], review["draft"]["tone"], review["draft_index"]) == (1, "formal", 1)
    # the findings in a JSON file are not trusted: every draft is checked again
    assert [call["draft_index"] for call in fake.calls] == [0, 1]
    assert "there are 2 draft(s)" in refused(
        "review", "add", "--from-json", str(source), "--draft", "3", *db, code=2
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"drafts": []}', encoding="utf-8")
    assert "is not a Suggestion JSON" in refused(
        "review", "add", "--from-json", str(bad), *db, code=2
    )
    assert "one of them" in refused("review", "add", "Hi", "--from-json", str(source), *db, code=2)
    assert "one of them" in refused("review", "add", *db, code=2)


def test_user_mistakes_are_one_line(fake: type[FakeAssistant], tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "r.sqlite3")]
    ok("review", "add", "Hola", *db)
    assert "no review has id 99" in refused("review", "approve", "99", "--agent", "a", *db)
    assert "no review has id 99" in refused("review", "show", "99", *db)
    assert "agent must not be empty" in refused(
        "review", "approve", "1", "--agent", " ", *db, code=2
    )
    assert "rejection reason" in refused(
        "review", "reject", "1", "--agent", "a", "--reason", "", *db, code=2
    )
    ok("review", "reject", "1", "--agent", "a", "--reason", "spam", *db)
    message = refused("review", "edit", "1", "--agent", "b", "--text", "x", *db)
    assert "review 1 was already rejected by a" in message
    assert "allowed now: nothing" in message
    assert "review store" in refused("review", "list", "--db", "nosuchdriver://x")


def test_readable_list_and_stats(fake: type[FakeAssistant], tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "r.sqlite3")]
    ok("review", "add", "Hola", "--name", "[bold]Ana[/bold]", *db)  # markup stays text
    listed = ok("review", "list", *db)
    assert "Hola [bold]Ana[/bold], tu pedido" in listed
    assert "pending" in listed
    assert "by language" in ok("review", "stats", *db)


def test_every_command_and_option_has_help() -> None:
    for name in ("add", "list", "show", "approve", "edit", "reject", "export", "stats"):
        assert "--db" in ok("review", name, "--help")
    assert "approve" in ok("review", "--help")
    import typer.main

    group = typer.main.get_group(review_cli.review_app)
    for command in group.commands.values():
        assert command.help, command.name
        for param in command.params:
            assert getattr(param, "help", None), f"{command.name} {param.name}"


def test_cli_choices_match_the_models() -> None:
    assert get_args(review_cli.StatusChoice) == get_args(ReviewStatus)
    assert get_args(review_cli.DimensionChoice) == get_args(StatsDimension)
