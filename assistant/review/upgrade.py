"""Bring a review store made by an older version up to date: new columns, filled in.

Runs when a store is opened, after the tables exist (`schema.create_schema`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, inspect, select, update
from sqlalchemy.exc import SQLAlchemyError

from assistant.review.learning import SENT_OUTSIDE, message_script, shown_snippets
from assistant.review.models import DESK
from assistant.review.schema import review_events, reviews
from assistant.types import Suggestion

__all__ = ["add_new_columns", "backfill"]


# Columns added after the first release: a store made before them gets them on open.
_ADDED_COLUMNS = {
    "reply_to": "VARCHAR(200)",
    "source": "VARCHAR(32)",
    "script": "VARCHAR(16)",
    "snippets": "JSON",
}


def add_new_columns(engine: Engine) -> None:
    """Add the columns a store made by an older version lacks, then fill them in."""
    present = {c["name"] for c in inspect(engine).get_columns("reviews")}
    added = False
    for name, sql_type in _ADDED_COLUMNS.items():
        if name in present:
            continue
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"ALTER TABLE reviews ADD COLUMN {name} {sql_type}")
            added = True
        except SQLAlchemyError:
            # another process added it first
            if name not in {c["name"] for c in inspect(engine).get_columns("reviews")}:
                raise
    if added:
        backfill(engine)


def backfill(engine: Engine) -> None:
    """Fill `source`, `script` and `snippets` of reviews stored before those columns:
    from the kept suggestion, else the message text; a review decided with the
    helpdesk note is from the helpdesk its "add" event names."""
    missing = reviews.c.source.is_(None) | reviews.c.script.is_(None)
    query = select(reviews.c.id, reviews.c.suggestion, reviews.c.message_text).where(missing)
    with engine.begin() as conn:
        rows = conn.execute(query).all()
        if not rows:
            return
        learned = _learned_sources(conn, review_events)
        for row in rows:
            values = _filled(row.suggestion, row.message_text)
            values["source"] = learned.get(row.id, DESK)
            conn.execute(update(reviews).where(reviews.c.id == row.id).values(**values))


def _filled(kept: dict[str, Any] | None, message_text: str) -> dict[str, Any]:
    if not kept or "detection" not in kept:
        return {"script": message_script(message_text), "snippets": []}
    suggestion = Suggestion.model_validate(kept)
    return {"script": suggestion.detection.script, "snippets": shown_snippets(suggestion)}


def _learned_sources(conn: Any, events: Any) -> dict[int, str]:
    """Review id -> helpdesk, for reviews decided with the helpdesk note."""
    decided = select(events.c.review_id, events.c.details).where(
        events.c.action.in_(("approve", "edit"))
    )
    ids = {
        r.review_id
        for r in conn.execute(decided)
        if (r.details or {}).get("override_reason") == SENT_OUTSIDE
    }
    if not ids:
        return {}
    added = select(events.c.review_id, events.c.agent).where(
        (events.c.action == "add") & events.c.review_id.in_(ids)
    )
    return {r.review_id: r.agent for r in conn.execute(added)}
