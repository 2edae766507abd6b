"""The same guarantees on PostgreSQL, when a server is given (skipped otherwise).

ASSISTANT_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres pytest
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import review_race
from review_support import BLOCK, make_draft, make_suggestion

from assistant.review import AlreadyDecided, ReviewBlocked, ReviewStore
from assistant.types import Message

SERVER = os.environ.get("ASSISTANT_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not SERVER, reason="set ASSISTANT_TEST_POSTGRES_URL to run")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh database on the server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert SERVER
    name = f"review_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def test_workflow_on_postgres(pg_url: str, tmp_path: Path) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    message = Message(text="Where is my order?", customer_name="Ana")
    with ReviewStore(pg_url) as store:
        blocked = store.add_draft(message, make_draft(findings=(BLOCK,)))
        plain = store.add(make_suggestion(), 1)
        with pytest.raises(ReviewBlocked):
            store.approve(blocked.id, "alice")
        store.approve(blocked.id, "alice", override_reason="hotline")
        store.edit(plain.id, "bob", "Hola Ana, llega mañana.")
        with pytest.raises(AlreadyDecided, match="already edited by bob"):
            store.reject(plain.id, "carol", "late")
        assert [r.id for r in store.export(tmp_path / "out.jsonl", "x")] == [blocked.id, plain.id]
        assert store.export(tmp_path / "out.jsonl", "x") == []
        assert store.get(plain.id).suggestion == make_suggestion()
        assert store.stats().overall.edit_rate == 0.5
        actions = [e.action for e in store.events()]
        assert actions == ["add", "add", "override", "approve", "edit", "export", "export"]
        with store._engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("DELETE FROM review_events"))


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_race_on_postgres(pg_url: str) -> None:
    with ReviewStore(pg_url) as store:
        review_ids = [store.add(make_suggestion()).id for _ in range(3)]
    context = multiprocessing.get_context("spawn")
    agents = 4
    barrier, results = context.Barrier(agents), context.Queue()
    processes = [
        context.Process(
            target=review_race.race, args=(pg_url, review_ids, f"a-{i}", barrier, results)
        )
        for i in range(agents)
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=120) for _ in range(agents * len(review_ids))]
    finally:
        for process in processes:
            process.join(timeout=60)
        results.close()
        results.join_thread()
    counts = Counter((review_id, outcome) for review_id, _agent, outcome in outcomes)
    for review_id in review_ids:
        assert counts[(review_id, "won")] == 1
        assert counts[(review_id, "conflict")] == agents - 1
