"""A process SIGKILLed inside a transaction loses nothing committed and leaves no half-record."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.review import ReviewStore

WORKER = Path(__file__).with_name("review_crash.py")


def kill_mid_transaction(db: Path, mode: str, tmp_path: Path) -> list[int]:
    """Run the worker until it pauses inside its last transaction, then SIGKILL it."""
    marker = tmp_path / f"paused-{mode}"
    command = [sys.executable, str(WORKER), str(db), str(marker), mode, str(tmp_path / "out.jsonl")]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as worker:
        assert worker.stdout is not None
        ids: list[int] = json.loads(worker.stdout.readline())
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert worker.poll() is None, "the worker ended before pausing"
            assert time.monotonic() < deadline, "the worker never reached the pause"
            time.sleep(0.02)
        worker.kill()  # SIGKILL: no cleanup, no rollback, locks dropped by the OS
        assert worker.wait(timeout=30) == -signal.SIGKILL
    return ids


def integrity(db: Path) -> tuple[str, str]:
    connection = sqlite3.connect(db)
    try:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        return check, mode
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_killed_during_a_decision(tmp_path: Path) -> None:
    db = tmp_path / "reviews.sqlite3"
    approved, edited, rejected, interrupted = kill_mid_transaction(db, "decide", tmp_path)

    assert integrity(db) == ("ok", "wal")
    with ReviewStore(db) as store:
        assert store.get(approved).status == "approved"
        assert store.get(edited).final_text == "Բարև Անի, պատվերը կհասնի վաղը։"
        assert store.get(rejected).reason == "wrong FAQ"
        half = store.get(interrupted)
        assert (half.status, half.version, half.agent, half.decided_at) == (
            "pending",
            1,
            None,
            None,
        )
        assert [e.action for e in store.events(interrupted)] == ["add"]
        assert len(store.events()) == 4 + 3  # four adds, three committed decisions
        # The killed writer's lock is gone: another agent can decide right away.
        assert store.approve(interrupted, "erin").status == "approved"


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_killed_during_an_export(tmp_path: Path) -> None:
    db, outbox = tmp_path / "reviews.sqlite3", tmp_path / "out.jsonl"
    first, second, third = kill_mid_transaction(db, "export", tmp_path)

    assert integrity(db) == ("ok", "wal")
    written = [json.loads(line)["review_id"] for line in outbox.read_text("utf-8").splitlines()]
    assert written == [first, second, third]  # synced before the commit that never came
    with ReviewStore(db) as store:
        assert [store.get(i).status for i in (first, second, third)] == [
            "exported",
            "approved",
            "edited",
        ]
        recovered = store.export(outbox, "exporter")
        assert [r.id for r in recovered] == [second, third]
        assert all(store.events(r.id)[-1].details["recovered"] for r in recovered)
    again = [json.loads(line)["review_id"] for line in outbox.read_text("utf-8").splitlines()]
    assert again == written  # marked, not written twice
