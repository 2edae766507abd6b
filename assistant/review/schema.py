"""Tables of the review store and the engine that reaches them (SQLite by default).

SQLite files run in WAL mode with a busy timeout and foreign keys on, and write
transactions start with ``BEGIN IMMEDIATE``: a writer queues for the lock instead of
failing when it cannot upgrade a read lock. Any other SQLAlchemy URL (PostgreSQL for a
team) is used as given. The audit log table refuses UPDATE and DELETE by trigger.
"""

from __future__ import annotations

import functools
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    create_engine,
    event,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from assistant.errors import ConfigError
from assistant.review.models import STATUSES
from assistant.text import create_private_file

__all__ = [
    "DB_ENV",
    "Synchronous",
    "create_review_engine",
    "create_schema",
    "default_db",
    "metadata",
    "review_events",
    "reviews",
]

DB_ENV = "ASSISTANT_REVIEW_DB"
BUSY_TIMEOUT_MS = 15_000
Synchronous = Literal["NORMAL", "FULL"]


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData()
_statuses = ", ".join(f"'{s}'" for s in STATUSES)
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("message_text", Text, nullable=False),
    Column("channel", String(32), nullable=False, index=True),
    Column("customer_name", String(200)),
    Column("message_language", String(16), nullable=False),
    Column("draft", JSON, nullable=False),  # the Draft as suggested, findings included
    Column("language", String(16), nullable=False, index=True),
    Column("tone", String(64), nullable=False),
    Column("faq_id", String(100)),
    Column("status", String(16), nullable=False, index=True),
    Column("decision", String(16)),  # kept when the status moves on to "exported"
    Column("agent", String(200)),
    Column("decided_at", UTCDateTime),
    Column("final_text", Text),
    Column("final_findings", JSON),
    Column("reason", Text),
    Column("edit_distance", Float),
    Column("version", Integer, nullable=False),
    Column("exported_at", UTCDateTime),
    Column("exported_by", String(200)),
    Column("suggestion", JSON),  # the whole Suggestion, when added from one
    Column("draft_index", Integer),
    Column("reply_to", String(200)),  # the conversation or post to answer in
    Column("source", String(32)),  # "desk", or the helpdesk adapter it was learned from
    Column("script", String(16)),  # the script the customer wrote in (ISO 15924)
    Column("snippets", JSON),  # guideline snippets shown: [{"id", "source", "text"}]
    CheckConstraint(f"status IN ({_statuses})", name="review_status"),
    sqlite_autoincrement=True,
)
review_events = Table(
    "review_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("agent", String(200), nullable=False),
    Column("action", String(16), nullable=False),
    Column("from_status", String(16)),
    Column("to_status", String(16), nullable=False),
    Column("details", JSON, nullable=False),
    sqlite_autoincrement=True,
)

_APPEND_ONLY = "review_events is append-only"
_TRIGGERS = {
    "sqlite": [
        f"CREATE TRIGGER review_events_no_{verb.lower()} BEFORE {verb} ON review_events "
        f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
        for verb in ("UPDATE", "DELETE")
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION review_events_append_only() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$",
        "CREATE TRIGGER review_events_no_change BEFORE UPDATE OR DELETE ON review_events "
        "FOR EACH ROW EXECUTE FUNCTION review_events_append_only()",
    ],
}


@event.listens_for(review_events, "after_create")
def _make_append_only(_table: Table, connection: Connection, **_kw: Any) -> None:
    # The audit log refuses UPDATE and DELETE in the database too, not only in the API.
    for statement in _TRIGGERS.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


def default_db() -> str:
    """`$ASSISTANT_REVIEW_DB` (the `review_db` setting), else the user's data folder."""
    from assistant.settings import Settings

    return os.environ.get(DB_ENV) or Settings().review_db


def create_review_engine(target: str | Path, *, synchronous: Synchronous = "NORMAL") -> Engine:
    """An engine for a SQLAlchemy URL or a SQLite file path (the file and its folder are
    created readable by their owner only).

    `synchronous` is SQLite's: with WAL, NORMAL keeps every committed transaction when a
    process dies and never corrupts the file, but an OS crash or power cut may roll back
    the last few commits; FULL syncs every commit to disk (a few ms each).
    """
    if synchronous not in ("NORMAL", "FULL"):
        raise ConfigError(f"synchronous must be NORMAL or FULL, not {synchronous!r}")
    url = _to_url(target)
    options: dict[str, Any] = {"json_serializer": _dumps}
    if url.get_backend_name() != "sqlite":
        return _server_engine(url, options)
    if url.database in (None, "", ":memory:"):
        options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        create_private_file(url.database)  # personal data: 0600 in a 0700 folder
    engine = create_engine(url, **options)
    event.listen(engine, "connect", functools.partial(_sqlite_connect, synchronous=synchronous))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _server_engine(url: URL, options: dict[str, Any]) -> Engine:
    try:
        return create_engine(url, pool_pre_ping=True, **options)
    except ModuleNotFoundError as exc:
        raise ConfigError(
            f"the database driver for {url.drivername} is not installed ({exc.name}); install "
            "it, e.g. pip install 'psycopg[binary]' for postgresql+psycopg://"
        ) from exc


def create_schema(engine: Engine) -> None:
    """Create the tables (and the audit log's triggers) where they do not exist yet."""
    try:
        metadata.create_all(engine)
    except SQLAlchemyError:
        # Another process created them at the same moment (PostgreSQL has no IF NOT
        # EXISTS for everything); now they exist, so checking again creates nothing.
        metadata.create_all(engine)


def _to_url(target: str | Path) -> URL:
    text = str(target)
    if "://" in text:
        return make_url(text)
    path = Path(text).expanduser()
    return URL.create("sqlite", database=str(path))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _sqlite_connect(dbapi_connection: Any, _record: Any, *, synchronous: Synchronous) -> None:
    # SQLAlchemy emits BEGIN itself (see _sqlite_begin) instead of the sqlite3 module.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA synchronous = {synchronous}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # The store's writer engine asks for IMMEDIATE; reads stay DEFERRED.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")
