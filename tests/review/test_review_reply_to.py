"""What a sender needs in the outbox, what an agent sees in the list, and honest draft counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from assistant.review import ReviewStore
from tests.review.review_support import (
    FakeAssistant,
    install_fake_pipeline,
    invoke,
    make_draft,
    make_suggestion,
)


def test_outbox_line_carries_message_channel_and_where_to_reply(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "r.sqlite3") as store:
        review = store.add(make_suggestion(channel="instagram"), reply_to="ig-post-17895")
        store.approve(review.id, "alice")
        store.add_draft(make_suggestion().message, make_draft())  # no id given: None
        store.approve(2, "alice")
        store.export(tmp_path / "out.jsonl", "alice")
        assert store.get(review.id).reply_to == "ig-post-17895"
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert lines[0]["reply_to"] == "ig-post-17895"
    assert lines[0]["message"] == "¿Dónde está mi pedido?"
    assert lines[0]["channel"] == "instagram"
    assert lines[1]["reply_to"] is None


def test_a_store_made_before_reply_to_gets_the_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with ReviewStore(path) as store:
        store.add(make_suggestion())
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE reviews DROP COLUMN reply_to")
    assert "reply_to" not in {c["name"] for c in inspect(engine).get_columns("reviews")}
    engine.dispose()
    with ReviewStore(path) as store:
        assert store.get(1).reply_to is None
        assert store.add(make_suggestion(), reply_to="c-9").reply_to == "c-9"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeAssistant]:
    return install_fake_pipeline(monkeypatch)


def test_list_shows_the_customer_message(fake: type[FakeAssistant], tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "desk.sqlite3")]
    added = invoke("review", "add", "Where is my lamp?", "--reply-to", "tw-1", *db)
    assert added.exit_code == 0, added.output
    listed = invoke("review", "list", *db)
    assert "message" in listed.output and "Where is my lamp?" in listed.output


def test_asking_for_a_draft_that_was_not_possible_says_how_many(
    fake: type[FakeAssistant], tmp_path: Path
) -> None:
    db = ["--db", str(tmp_path / "desk.sqlite3")]
    result = invoke("review", "add", "Hola", "--n", "10", "--draft", "9", *db)
    assert result.exit_code == 2
    assert "there are 3 draft(s), as many distinct ones as were possible" in result.stderr
