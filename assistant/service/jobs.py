"""The durable job queue behind the webhooks, in the review store's database.

A webhook inserts one row per delivery (a repeated delivery hits the unique key and
inserts nothing) and answers at once; workers claim rows one at a time. A claim is one
transaction: ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite, then an UPDATE guarded by the row's status and attempts, so of two processes
only one runs a job. A job whose worker died is claimed again after its lease. Once
settled, a job keeps no message text (the review store keeps what it must).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from assistant.service.adapters.base import Event
from assistant.service.tables import jobs
from assistant.types import Model

__all__ = ["Job", "JobQueue"]


class Job(Model):
    """One claimed job."""

    id: int
    kind: str
    event: Event
    attempts: int


class JobQueue:
    """Enqueue deliveries, claim them, and settle them as done, retried or failed."""

    def __init__(self, engine: Engine, writer: Engine, *, lease_s: float, max_attempts: int):
        self._engine = engine
        self._writer = writer
        self._lease = timedelta(seconds=lease_s)
        self.max_attempts = max_attempts

    def enqueue(self, event: Event) -> int | None:
        """The new job's id, or None when this delivery was queued before."""
        now = _now()
        row = {
            "adapter": event.adapter,
            "delivery_id": event.delivery_id,
            "kind": event.kind,
            "conversation": event.conversation,
            "event": event.model_dump(mode="json"),
            "status": "queued",
            "attempts": 0,
            "run_after": now,
            "created_at": now,
        }
        try:
            with self._writer.begin() as conn:
                return int(conn.execute(jobs.insert().returning(jobs.c.id), row).scalar_one())
        except IntegrityError:
            return None

    def claim(self, worker: str) -> Job | None:
        """The oldest job due, now marked running by `worker`; None when there is none."""
        now = _now()
        due = (jobs.c.status == "queued") & (jobs.c.run_after <= now)
        stale = (jobs.c.status == "running") & (jobs.c.locked_at < now - self._lease)
        query = (
            select(jobs.c.id, jobs.c.kind, jobs.c.event, jobs.c.attempts, jobs.c.status)
            .where(due | stale)
            .order_by(jobs.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        with self._writer.begin() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            guard = (jobs.c.id == row.id) & (jobs.c.attempts == row.attempts)
            claimed = conn.execute(
                update(jobs)
                .where(guard & (jobs.c.status == row.status))
                .values(
                    status="running", locked_by=worker, locked_at=now, attempts=row.attempts + 1
                )
            ).rowcount
        if claimed != 1:
            return None
        event = Event.model_validate(row.event)
        return Job(id=row.id, kind=row.kind, event=event, attempts=row.attempts + 1)

    def done(self, job: Job, result: dict[str, Any], status: str = "done") -> None:
        """Settle the job with its result (`ignored` for nothing to do)."""
        self._settle(
            job, status=status, result=result, finished_at=_now(), error=None, event=_redacted(job)
        )

    def retry(self, job: Job, error: str, delay_s: float) -> bool:
        """Queue the job again after `delay_s`; False (and failed) once attempts are spent."""
        if job.attempts >= self.max_attempts:
            self.fail(job, f"{error} (gave up after {job.attempts} attempts)")
            return False
        run_after = _now() + timedelta(seconds=delay_s)
        self._settle(job, status="queued", run_after=run_after, error=error, locked_by=None)
        return True

    def fail(self, job: Job, error: str) -> None:
        self._settle(job, status="failed", error=error, finished_at=_now(), event=_redacted(job))

    def counts(self) -> dict[str, int]:
        """How many jobs are in each status."""
        from sqlalchemy import func

        query = select(jobs.c.status, func.count()).group_by(jobs.c.status)
        with self._engine.connect() as conn:
            return {str(status): int(count) for status, count in conn.execute(query)}

    def get(self, job_id: int) -> dict[str, Any] | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).mappings().first()
        return dict(row) if row else None

    def _settle(self, job: Job, **values: Any) -> None:
        guard = (jobs.c.id == job.id) & (jobs.c.attempts == job.attempts)
        with self._writer.begin() as conn:
            conn.execute(update(jobs).where(guard & (jobs.c.status == "running")).values(**values))


def _redacted(job: Job) -> dict[str, Any]:
    """The event without the customer's or agent's words: a settled job needs none."""
    private: dict[str, Any] = {"text": "", "history": [], "customer_name": None}
    return job.event.model_copy(update=private).model_dump(mode="json")


def _now() -> datetime:
    return datetime.now(UTC)
