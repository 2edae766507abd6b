"""The audit log: one row per add/approve/edit/reject/export/override, never changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.review import ReviewStore
from tests.review.review_support import BLOCK, AddReview


def test_every_action_is_logged_in_order(
    store: ReviewStore, add: AddReview, tmp_path: Path
) -> None:
    approved, edited, rejected, blocked = add(), add(), add(), add(findings=(BLOCK,))
    store.approve(approved.id, "alice")
    store.edit(edited.id, "bob", "Hola Ana, llega el lunes.")
    store.reject(rejected.id, "carol", "cites the wrong FAQ")
    store.approve(blocked.id, "dave", override_reason="reviewed with the privacy team")
    store.export(tmp_path / "out.jsonl", "exporter")

    rows = [(e.review_id, e.agent, e.action, e.from_status, e.to_status) for e in store.events()]
    assert rows == [
        (approved.id, "assistant", "add", None, "pending"),
        (edited.id, "assistant", "add", None, "pending"),
        (rejected.id, "assistant", "add", None, "pending"),
        (blocked.id, "assistant", "add", None, "pending"),
        (approved.id, "alice", "approve", "pending", "approved"),
        (edited.id, "bob", "edit", "pending", "edited"),
        (rejected.id, "carol", "reject", "pending", "rejected"),
        (blocked.id, "dave", "override", "pending", "approved"),
        (blocked.id, "dave", "approve", "pending", "approved"),
        (approved.id, "exporter", "export", "approved", "exported"),
        (edited.id, "exporter", "export", "edited", "exported"),
        (blocked.id, "exporter", "export", "approved", "exported"),
    ]
    events = store.events()
    assert [e.id for e in events] == sorted(e.id for e in events)
    assert all(e.at.tzinfo is not None for e in events)
    assert events[6].details == {"reason": "cites the wrong FAQ"}
    assert events[-1].details == {"outbox": str(tmp_path / "out.jsonl")}
    assert [e.action for e in store.events(blocked.id)] == ["add", "override", "approve", "export"]


def test_refused_changes_leave_no_audit_row(store: ReviewStore, add: AddReview) -> None:
    review = add(findings=(BLOCK,))
    with pytest.raises(Exception, match="blocking"):
        store.approve(review.id, "bob")
    store.reject(review.id, "bob", "unsafe")
    with pytest.raises(Exception, match="already rejected"):
        store.reject(review.id, "carol", "again")
    assert [e.action for e in store.events(review.id)] == ["add", "reject"]


def test_no_api_changes_the_log() -> None:
    public = {name for name in dir(ReviewStore) if not name.startswith("_")}
    assert not {n for n in public if "event" in n and n != "events"}
    assert not {n for n in public if n.startswith(("delete", "remove", "update", "purge"))}


@pytest.mark.parametrize(
    "statement",
    ["UPDATE review_events SET agent = 'mallory'", "DELETE FROM review_events"],
)
def test_the_database_refuses_to_rewrite_history(
    store: ReviewStore, add: AddReview, db_path: Path, statement: str
) -> None:
    add()
    connection = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute(statement)
    finally:
        connection.close()
    assert [e.agent for e in store.events()] == ["assistant"]
