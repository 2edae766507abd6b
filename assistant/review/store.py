"""The review store: reviews and their append-only audit log in SQL (SQLite by default).

Every state change is one transaction holding a conditional
``UPDATE reviews ... WHERE id = ? AND version = ? AND status = ?`` and its audit rows:
both commit or neither does, and of two agents deciding at once exactly one UPDATE
matches; the other gets `ReviewConflict`. SQLite runs in WAL mode with a busy timeout
and write transactions start with ``BEGIN IMMEDIATE``, so a writer waits for the lock
instead of failing half-way; PostgreSQL's row locks give the same guarantee.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, RowMapping, bindparam, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from assistant.errors import InputError, ReviewError
from assistant.review import outbox as _outbox
from assistant.review.learning import message_script, record_sent, shown_snippets
from assistant.review.models import (
    DESK,
    DIMENSIONS,
    STATUSES,
    Review,
    ReviewEvent,
    ReviewStats,
)
from assistant.review.roles import Roles
from assistant.review.safety import check_row, prepare_row
from assistant.review.schema import (
    Synchronous,
    create_review_engine,
    create_schema,
    default_db,
    review_events,
    reviews,
)
from assistant.review.stats import StatsRow, compute_stats, dimensions, source_filter
from assistant.review.upgrade import add_new_columns
from assistant.review.workflow import (
    AlreadyDecided,
    Change,
    PlannedEvent,
    Recheck,
    ReviewNotFound,
    check_action,
    conflict_message,
    plan_approve,
    plan_edit,
    plan_export,
    plan_reject,
    require_text,
)
from assistant.types import Draft, Message, Suggestion

__all__ = ["Recheck", "ReviewStore"]


# Built once with bound parameters: SQLAlchemy compiles each form once, not per call.
_GET = select(reviews).where(reviews.c.id == bindparam("review_id"))
_INSERT = reviews.insert().returning(reviews.c.id)
_GUARDED_UPDATE = update(reviews).where(
    (reviews.c.id == bindparam("guard_id"))
    & (reviews.c.version == bindparam("guard_version"))
    & (reviews.c.status == bindparam("guard_status"))
)
_INSERT_EVENTS = review_events.insert()


class ReviewStore:
    """Draft replies awaiting an agent's decision, and the audit log of every decision.

    `url` is a SQLAlchemy URL (``postgresql+psycopg://...`` for a team) or a SQLite file
    path; `recheck` runs the guardrail checks on edited text; `synchronous="FULL"` makes
    SQLite sync every commit to disk (see `create_review_engine`); `mask_private` stores
    messages and drafts with personal data masked (default: the `review_mask_private`
    setting; see `safety`); `roles` limits who may decide and who may override (see
    `roles`). Close the store (or use it as a context manager) to release its connections.
    """

    def __init__(
        self,
        url: str | Path | None = None,
        *,
        recheck: Recheck | None = None,
        synchronous: Synchronous = "NORMAL",
        mask_private: bool | None = None,
        roles: Roles | None = None,
    ) -> None:
        target = default_db() if url is None else url
        self._engine = create_review_engine(target, synchronous=synchronous)
        self._writer = self._engine.execution_options(sqlite_begin="IMMEDIATE")
        self._recheck = recheck
        self._roles = roles
        self._mask = _mask_setting() if mask_private is None else mask_private
        create_schema(self._writer)
        add_new_columns(self._writer)

    @property
    def url(self) -> str:
        return self._engine.url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"ReviewStore({self.url!r})"

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release every database connection."""
        self._engine.dispose()

    def add(
        self,
        suggestion: Suggestion,
        draft_index: int = 0,
        *,
        agent: str = "assistant",
        reply_to: str | None = None,
        source: str = DESK,
    ) -> Review:
        """Queue draft `draft_index` (0-based) of a suggestion for review, with its context.

        `reply_to` names the conversation or post to answer in; it goes to the outbox.
        `source` is "desk", or the helpdesk a sent reply is learned from (`record_sent`).
        The message's script and the guideline snippets shown are kept for statistics.
        """
        count = len(suggestion.drafts)
        if not 0 <= draft_index < count:
            raise InputError(
                f"draft {draft_index} does not exist: the suggestion has {count} draft(s)"
            )
        row = _new_row(suggestion.message, suggestion.drafts[draft_index], reply_to, source)
        row.update(message_language=suggestion.detection.language, draft_index=draft_index)
        row.update(script=suggestion.detection.script, snippets=shown_snippets(suggestion))
        row["suggestion"] = suggestion.model_dump(mode="json")
        return self._insert(row, agent)

    def record_sent(
        self,
        suggestion: Suggestion,
        text: str,
        *,
        agent: str,
        source: str,
        reply_to: str | None = None,
    ) -> Review:
        """Record a reply `agent` sent in the helpdesk `source` as approved (unchanged) or
        edited, against the closest draft of `suggestion` (see `learning.record_sent`)."""
        return record_sent(self, suggestion, text, agent=agent, source=source, reply_to=reply_to)

    def add_draft(
        self,
        message: Message,
        draft: Draft,
        *,
        language: str | None = None,
        agent: str = "assistant",
        reply_to: str | None = None,
        source: str = DESK,
    ) -> Review:
        """Queue one draft reply to `message` (in `language`, default the draft's) for review."""
        row = _new_row(message, draft, reply_to, source)
        row["message_language"] = language or draft.language
        row["script"] = message_script(message.text)
        return self._insert(row, agent)

    def get(self, review_id: int) -> Review:
        """The review with this id, or ReviewNotFound."""
        with self._engine.connect() as conn:
            row = conn.execute(_GET, {"review_id": review_id}).mappings().first()
        if row is None:
            raise ReviewNotFound(
                f"no review has id {review_id}; `assistant review list` shows them"
            )
        return _to_review(row)

    def approve(self, review_id: int, agent: str, *, override_reason: str | None = None) -> Review:
        """Approve the draft unchanged (an override reason is needed over blocking findings)."""
        agent = self._agent(agent)
        reason = _optional_text(override_reason, "an override reason")
        review = self.get(review_id)
        if reason is not None and review.blocking_findings:
            self._may_override(agent)
        change = plan_approve(review, agent, _now(), override_reason=reason)
        return self._apply(change)

    def edit(
        self,
        review_id: int,
        agent: str,
        final_text: str,
        *,
        recheck: Recheck | None = None,
        override_reason: str | None = None,
    ) -> Review:
        """Send `final_text` instead of the draft, rechecked by `recheck` (or the store's)."""
        agent = self._agent(agent)
        text = require_text(final_text, "the final text")
        reason = _optional_text(override_reason, "an override reason")
        review = self.get(review_id)
        check_action(review, "edit")  # before a possibly slow recheck
        checker = recheck or self._recheck
        findings = checker(review, text) if checker else None
        standing = review.draft.findings if findings is None else findings
        if reason is not None and any(f.severity == "block" for f in standing):
            self._may_override(agent)
        return self._apply(plan_edit(review, agent, _now(), text, findings, override_reason=reason))

    def reject(self, review_id: int, agent: str, reason: str) -> Review:
        """Reject the draft; `reason` is required."""
        agent = self._agent(agent)
        return self._apply(plan_reject(self.get(review_id), agent, _now(), reason))

    def export(self, outbox: Path | str, agent: str) -> builtins.list[Review]:
        """Append every approved or edited reply to the `outbox` JSONL file, marking them exported.

        Replies learned from a helpdesk (`record_sent`) were sent there and are not exported.

        The file is written (and synced) inside the marking transaction; if the commit then
        fails the appended lines are removed again. A reply found in the outbox already (a
        crash between write and commit: same review id and approval time) is marked, not
        written twice.
        """
        agent = self._agent(agent)
        path = Path(outbox)
        _outbox.check_outbox(path)
        written: int | None = None
        with self._writer.connect() as conn:
            tx = conn.begin()
            try:
                changes = self._mark_exported(conn, agent, path)
                records = [_outbox.record(c) for c in changes if not _recovered(c)]
                written = _outbox.size(path) if records else None
                _outbox.append(path, records)
                tx.commit()
            except BaseException as exc:
                if tx.is_active:
                    tx.rollback()
                _export_failed(exc, path, written)
                raise
        return [c.applied() for c in changes]

    def events(self, review_id: int | None = None) -> builtins.list[ReviewEvent]:
        """The audit log, oldest first: of one review, or of all."""
        query = select(review_events).order_by(review_events.c.id)
        if review_id is not None:
            self.get(review_id)
            query = query.where(review_events.c.review_id == review_id)
        with self._engine.connect() as conn:
            return [ReviewEvent.model_validate(dict(r)) for r in conn.execute(query).mappings()]

    def stats(
        self, by: str | Iterable[str] | None = DIMENSIONS, *, top: int = 5, source: str = "all"
    ) -> ReviewStats:
        """Acceptance, edit and rejection rates, edit distance and top findings, per group,
        and the FAQ entries and snippets edited most. `source`: "all", "desk" (decisions
        taken here) or "helpdesk" (replies agents sent in a helpdesk, learned)."""
        dims = dimensions(by)
        origin = source_filter(source)
        columns = [reviews.c[name] for name in StatsRow.COLUMNS]
        with self._engine.connect() as conn:
            rows = [StatsRow.from_row(r) for r in conn.execute(select(*columns)).mappings()]
        return compute_stats(rows, dims, top=top, source=origin)

    def list(
        self,
        status: str | None = None,
        language: str | None = None,
        channel: str | None = None,
        limit: int | None = None,
    ) -> builtins.list[Review]:
        """Reviews, oldest first, filtered by status, reply language and channel."""
        query = select(reviews).order_by(reviews.c.id).limit(limit)
        if status is not None:
            query = query.where(reviews.c.status == _valid_status(status))
        if language is not None:
            query = query.where(reviews.c.language == language)
        if channel is not None:
            query = query.where(reviews.c.channel == channel)
        with self._engine.connect() as conn:
            return [_to_review(r) for r in conn.execute(query).mappings()]

    def _agent(self, agent: str) -> str:
        """The stripped name; with roles, only a listed one."""
        name = require_text(agent, "agent")
        if self._roles is not None:
            self._roles.role(name)
        return name

    def _may_override(self, agent: str) -> None:
        if self._roles is not None:
            self._roles.require(agent, "override")

    def _insert(self, row: dict[str, Any], agent: str) -> Review:
        agent = require_text(agent, "agent")
        row = prepare_row(reviews, row, mask=self._mask)
        draft = row["draft"]
        details = {"backend": draft["backend"], "findings": [f["id"] for f in draft["findings"]]}
        added = [PlannedEvent("add", details)]
        with self._writer.begin() as conn:
            review_id: int = conn.execute(_INSERT, row).scalar_one()
            _log(conn, review_id, agent, row["created_at"], None, "pending", added)
        return _to_review({**row, "id": review_id})

    def _apply(self, change: Change) -> Review:
        before = change.review
        with self._writer.begin() as conn:
            matched = _update(conn, change)
            if matched:
                _log(
                    conn,
                    before.id,
                    change.agent,
                    change.at,
                    before.status,
                    change.to_status,
                    change.events,
                )
        if not matched:
            raise AlreadyDecided(conflict_message(self.get(before.id)))
        return change.applied()

    def _mark_exported(self, conn: Connection, agent: str, path: Path) -> builtins.list[Change]:
        # A reply learned from a helpdesk was sent there already: never to the outbox.
        here = (reviews.c.source == DESK) | reviews.c.source.is_(None)
        ready = reviews.c.status.in_(("approved", "edited")) & here
        query = select(reviews).where(ready).order_by(reviews.c.id).with_for_update()
        written = _outbox.written_keys(path)
        now = _now()
        changes = []
        for row in conn.execute(query).mappings().all():
            review = _to_review(row)
            recovered = _outbox.key(review) in written
            change = plan_export(review, agent, now, str(path), recovered=recovered)
            if not _update(conn, change):
                raise AlreadyDecided(conflict_message(review))
            _log(conn, review.id, agent, now, review.status, change.to_status, change.events)
            changes.append(change)
        return changes


def _export_failed(exc: BaseException, path: Path, written: int | None) -> None:
    """Take back the outbox lines of a failed export; say what state things are in."""
    undone = _outbox.undo(path, written)
    if not isinstance(exc, Exception):
        return  # Ctrl-C or an exit goes on as it is, the outbox taken back if possible
    reason = _one_line(exc)
    if not undone:
        raise ReviewError(
            f"export failed ({reason}) after writing to {path}, and the new lines could not be "
            "removed; the next export recognises them there and only marks them exported"
        ) from exc
    if isinstance(exc, SQLAlchemyError):
        raise ReviewError(
            f"could not mark the replies exported ({reason}); nothing was exported and "
            f"{path} is as it was; try again"
        ) from exc


def _one_line(exc: BaseException) -> str:
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def _update(conn: Connection, change: Change) -> bool:
    """The conditional UPDATE: True if this process won the review."""
    before = change.review
    values = {**change.values, "status": change.to_status, "version": before.version + 1}
    if "final_findings" in values:
        values["final_findings"] = [f.model_dump(mode="json") for f in values["final_findings"]]
    guard = {"guard_id": before.id, "guard_version": before.version, "guard_status": before.status}
    return conn.execute(_GUARDED_UPDATE, {**values, **guard}).rowcount == 1


def _log(
    conn: Connection,
    review_id: int,
    agent: str,
    at: datetime,
    from_status: str | None,
    to_status: str,
    planned: Iterable[PlannedEvent],
) -> None:
    base = {"review_id": review_id, "agent": agent, "at": at}
    base.update(from_status=from_status, to_status=to_status)
    rows = [{**base, "action": e.action, "details": e.details} for e in planned]
    for row in rows:
        check_row(review_events, row)  # inside the transaction: a refusal rolls it back
    conn.execute(_INSERT_EVENTS, rows)


def _new_row(
    message: Message, draft: Draft, reply_to: str | None = None, source: str = DESK
) -> dict[str, Any]:
    return {
        "reply_to": reply_to,
        "source": require_text(source, "source"),
        "snippets": [],
        "created_at": _now(),
        "message_text": message.text,
        "channel": message.channel,
        "customer_name": message.customer_name,
        "draft": draft.model_dump(mode="json"),
        "language": draft.language,
        "tone": draft.tone,
        "faq_id": draft.citations[0] if draft.citations else None,
        "status": "pending",
        "version": 1,
    }


def _to_review(row: RowMapping | Mapping[str, Any]) -> Review:
    data = dict(row)
    data["message"] = {
        "text": data.pop("message_text"),
        "channel": data.pop("channel"),
        "customer_name": data.pop("customer_name"),
        "language": data.pop("message_language"),
    }
    for derived in ("language", "tone"):
        data.pop(derived)
    data["final_findings"] = data.get("final_findings") or []
    data["source"] = data.get("source") or DESK
    data["snippets"] = data.get("snippets") or []
    return Review.model_validate(data)


def _valid_status(status: str) -> str:
    if status not in STATUSES:
        raise InputError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    return status


def _optional_text(value: str | None, what: str) -> str | None:
    return None if value is None else require_text(value, what)


def _recovered(change: Change) -> bool:
    return bool(change.events[0].details.get("recovered"))


def _mask_setting() -> bool:
    from assistant.settings import Settings

    return Settings().review_mask_private


def _now() -> datetime:
    return datetime.now(UTC)
