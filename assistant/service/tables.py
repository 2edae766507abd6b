"""The service's tables, kept in the review store's database beside its reviews.

`api_keys` holds only hashes of the keys; `service_jobs` is the durable webhook queue
(one row per delivery, unique per adapter, so a repeated delivery inserts nothing);
`service_suggestions` links a helpdesk conversation to the suggestion posted in it, for
the learning loop.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.exc import SQLAlchemyError

from assistant.review.schema import UTCDateTime

__all__ = ["api_keys", "create_tables", "jobs", "metadata", "suggestions"]

metadata = MetaData()
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)
jobs = Table(
    "service_jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("adapter", String(32), nullable=False),
    Column("delivery_id", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("conversation", String(200), nullable=False, index=True),
    Column("event", JSON, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("run_after", UTCDateTime, nullable=False),
    Column("locked_by", String(200)),
    Column("locked_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("error", Text),
    Column("result", JSON),
    UniqueConstraint("adapter", "delivery_id", name="service_jobs_delivery"),
)
suggestions = Table(
    "service_suggestions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job_id", Integer, nullable=False, unique=True),
    Column("adapter", String(32), nullable=False),
    Column("conversation", String(200), nullable=False, index=True),
    Column("suggestion", JSON, nullable=False),
    Column("note_id", String(200)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("review_id", Integer),  # set once the agent's sent reply was learned from
)


def create_tables(engine: Engine) -> None:
    """Create the service's tables where they do not exist yet (safe from two processes)."""
    try:
        metadata.create_all(engine)
    except SQLAlchemyError:
        metadata.create_all(engine)  # another process created them at the same moment
