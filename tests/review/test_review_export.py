"""Export to the outbox: one JSON line per reply, never twice, recoverable after a crash."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import ReviewError
from assistant.review import ReviewStore
from assistant.review import outbox as outbox_module
from tests.review.review_support import AddReview, make_suggestion


def after_append(fault: Callable[[], None]) -> Callable[[Path, list[Any]], int | None]:
    """The outbox writer, followed by `fault`: a failure after the lines are written and
    synced, before the export's transaction commits."""
    real = outbox_module.append

    def append(path: Path, records: list[Any]) -> int | None:
        written = real(path, records)
        fault()
        return written

    return append


def read(outbox: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]


def test_export_writes_each_reply_once(store: ReviewStore, add: AddReview, tmp_path: Path) -> None:
    outbox = tmp_path / "out" / "outbox.jsonl"
    approved, edited, rejected, pending = add(), add(language="hy", text="Բարև"), add(), add()
    store.approve(approved.id, "alice")
    store.edit(edited.id, "bob", "Բարև Անի, ձեր պատվերը ճանապարհին է։")
    store.reject(rejected.id, "carol", "duplicate")

    exported = store.export(outbox, "exporter")
    assert [r.id for r in exported] == [approved.id, edited.id]
    assert all(r.status == "exported" and r.exported_by == "exporter" for r in exported)
    lines = read(outbox)
    assert [line["review_id"] for line in lines] == [approved.id, edited.id]
    first, second = lines
    assert first["text"] == approved.draft.text
    assert first["channel"] == "twitter"
    assert first["customer_name"] == "Ana"
    assert first["language"] == "es"
    assert first["approved_by"] == "alice"
    assert second["text"] == "Բարև Անի, ձեր պատվերը ճանապարհին է։"
    assert second["language"] == "hy"
    assert second["approved_by"] == "bob"
    assert "Բարև" in outbox.read_text(encoding="utf-8")  # UTF-8, not \\u escapes

    assert store.export(outbox, "exporter") == []
    assert len(read(outbox)) == 2
    store.approve(pending.id, "alice")
    assert [r.id for r in store.export(outbox, "exporter")] == [pending.id]
    assert [line["review_id"] for line in read(outbox)] == [approved.id, edited.id, pending.id]


def test_replies_already_in_the_outbox_are_marked_not_rewritten(
    store: ReviewStore, add: AddReview, tmp_path: Path
) -> None:
    # As after a crash between writing the outbox and committing the export.
    outbox = tmp_path / "outbox.jsonl"
    first, second = add(), add()
    approved_at = store.approve(first.id, "alice").decided_at
    store.approve(second.id, "alice")
    assert approved_at is not None
    earlier = {"review_id": first.id, "approved_at": approved_at.isoformat()}
    outbox.write_text(json.dumps(earlier) + "\n" + '{"review_id": ', "utf-8")

    exported = store.export(outbox, "exporter")
    assert [r.id for r in exported] == [first.id, second.id]
    lines = outbox.read_text(encoding="utf-8").splitlines()
    assert lines[1] == '{"review_id": '  # the torn line is left alone, and ended
    assert [json.loads(line)["review_id"] for line in (lines[0], lines[2])] == [
        first.id,
        second.id,
    ]
    assert store.events(first.id)[-1].details.get("recovered") is True
    assert "recovered" not in store.events(second.id)[-1].details


def test_an_outbox_shared_with_another_store(db_path: Path, tmp_path: Path) -> None:
    # Review 1 of another database is a different reply: it must not hide ours.
    outbox = tmp_path / "outbox.jsonl"
    with ReviewStore(tmp_path / "other.sqlite3") as other:
        other.approve(other.add(make_suggestion()).id, "zoe")
        other.export(outbox, "exporter")
    with ReviewStore(db_path) as store:
        ours = store.approve(store.add(make_suggestion()).id, "alice")
        assert [r.id for r in store.export(outbox, "exporter")] == [ours.id] == [1]
        assert "recovered" not in store.events(ours.id)[-1].details
    assert [(line["review_id"], line["approved_by"]) for line in read(outbox)] == [
        (1, "zoe"),
        (1, "alice"),
    ]


def test_a_failed_commit_takes_the_lines_back(
    store: ReviewStore, add: AddReview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    outbox = tmp_path / "outbox.jsonl"
    outbox.write_text('{"review_id": 999}\n', encoding="utf-8")
    review = add()
    store.approve(review.id, "alice")

    def fail() -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(outbox_module, "append", after_append(fail))
    with pytest.raises(ReviewError, match=r"could not mark the replies exported.*nothing was"):
        store.export(outbox, "exporter")
    assert outbox.read_text(encoding="utf-8") == '{"review_id": 999}\n'
    assert store.get(review.id).status == "approved"
    assert [e.action for e in store.events(review.id)] == ["add", "approve"]
    monkeypatch.undo()
    assert [r.id for r in store.export(outbox, "exporter")] == [review.id]
    assert len(read(outbox)) == 2


def test_lines_that_cannot_be_taken_back_are_reported(
    store: ReviewStore, add: AddReview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    review = add()
    store.approve(review.id, "alice")

    def fail() -> None:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(outbox_module, "append", after_append(fail))
    monkeypatch.setattr(outbox_module, "undo", lambda _path, _size: False)
    with pytest.raises(ReviewError, match=r"\(out of memory\).*could not be removed; the next"):
        store.export(outbox, "exporter")
    assert store.get(review.id).status == "approved"
    monkeypatch.undo()
    [exported] = store.export(outbox, "exporter")
    assert store.events(exported.id)[-1].details["recovered"] is True
    assert [line["review_id"] for line in read(outbox)] == [review.id]


def test_an_interrupted_export_takes_the_lines_back(
    store: ReviewStore, add: AddReview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    review = add()
    store.approve(review.id, "alice")

    def interrupt() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(outbox_module, "append", after_append(interrupt))
    with pytest.raises(KeyboardInterrupt):
        store.export(outbox, "exporter")
    assert outbox.read_text(encoding="utf-8") == ""
    assert store.get(review.id).status == "approved"
