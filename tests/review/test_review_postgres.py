"""The same guarantees on a real PostgreSQL server, which the test session starts itself.

The server comes from the `pgserver` package (see tests/support/postgres.py); set
ASSISTANT_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres to use
your own server instead.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from pathlib import Path

import pytest

from assistant.review import AlreadyDecided, ReviewBlocked, ReviewStore
from assistant.types import Message
from tests.review import review_race
from tests.review.review_support import BLOCK, make_draft, make_suggestion
from tests.support.postgres import fresh_database, postgres_server  # noqa: F401 - fixtures


@pytest.fixture
def pg_url(fresh_database: str) -> str:  # noqa: F811 - the fixture, used by name
    """A fresh database on the server, dropped afterwards."""
    return fresh_database


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


def test_learning_columns_are_added_and_filled_in_on_postgres(pg_url: str) -> None:
    from sqlalchemy import create_engine

    from tests.review.test_review_learning import fill

    with ReviewStore(pg_url) as store:
        fill(store)
        before = [(r.source, r.script, r.snippets) for r in store.list()]
        helpdesk = store.stats(by="script", source="helpdesk")
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE reviews DROP COLUMN source, DROP COLUMN script")
        conn.exec_driver_sql("ALTER TABLE reviews DROP COLUMN snippets")
    engine.dispose()
    with ReviewStore(pg_url) as store:
        assert [(r.source, r.script, r.snippets) for r in store.list()] == before
        assert store.stats(by="script", source="helpdesk") == helpdesk
    assert helpdesk.overall.total == 4 and helpdesk.most_edited["snippet"]


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
