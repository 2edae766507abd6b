"""How the store sets SQLite up: WAL, busy timeout, foreign keys, sync level, ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from assistant.errors import ConfigError
from assistant.review import ReviewStore
from assistant.review.schema import BUSY_TIMEOUT_MS, create_review_engine
from tests.review.review_support import make_suggestion


@pytest.mark.parametrize(("synchronous", "level"), [("NORMAL", 1), ("FULL", 2)])
def test_sqlite_pragmas(tmp_path: Path, synchronous: str, level: int) -> None:
    engine = create_review_engine(tmp_path / "deep" / "r.sqlite3", synchronous=synchronous)  # type: ignore[arg-type]
    try:
        with engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
            }
    finally:
        engine.dispose()
    assert pragma == {
        "journal_mode": "wal",
        "busy_timeout": BUSY_TIMEOUT_MS,
        "foreign_keys": 1,
        "synchronous": level,
    }


def test_bad_sync_level(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="NORMAL or FULL"):
        create_review_engine(tmp_path / "r.sqlite3", synchronous="OFF")  # type: ignore[arg-type]


def test_missing_driver_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    with pytest.raises(ConfigError, match=r"driver for postgresql\+psycopg is not installed"):
        create_review_engine("postgresql+psycopg://bob@db.example/reviews")


def test_events_need_an_existing_review(store: ReviewStore) -> None:
    from sqlalchemy.exc import IntegrityError

    with store._writer.begin() as conn, pytest.raises(IntegrityError):
        conn.execute(
            text(
                "INSERT INTO review_events (review_id, at, agent, action, to_status, details) "
                "VALUES (99, '2024-01-01', 'x', 'add', 'pending', '{}')"
            )
        )


def test_reopening_keeps_everything(db_path: Path) -> None:
    with ReviewStore(db_path) as first:
        review = first.add(make_suggestion())
    with ReviewStore(str(db_path)) as second, ReviewStore(f"sqlite:///{db_path}") as third:
        assert second.get(review.id) == third.get(review.id) == review
        assert repr(third) == f"ReviewStore('sqlite:///{db_path}')"
