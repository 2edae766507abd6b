"""The job table survives restarts: a queued webhook is done by the next process, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from assistant.service.tables import jobs

from .conftest import ServiceFactory
from .helpers import FakeHelpdesk, chatwoot_payload, signed, wait_until


def test_a_job_queued_before_a_restart_is_done_after_it(
    start_service: ServiceFactory, fake: FakeHelpdesk
) -> None:
    first = start_service(worker=False)  # answers webhooks, runs no jobs: "dies" before work
    body, headers = signed(chatwoot_payload("Որտե՞ղ է իմ պատվերը", conversation_id=3))
    job = first.client.post("/v1/webhooks/chatwoot", content=body, headers=headers).json()["job"]
    first.close()
    assert not fake.received
    second = start_service()
    queue = second.server.config.app.state.service.queue
    wait_until(lambda: queue.get(job)["status"] == "done", what="the job after the restart")
    assert [n.path.split("/")[-2] for n in fake.received] == ["3"]
    assert queue.get(job)["event"]["text"] == ""  # a settled job keeps no message text
    again = second.client.post("/v1/webhooks/chatwoot", content=body, headers=headers)
    assert again.json()["status"] == "duplicate"  # the delivery is remembered across restarts


def test_a_job_whose_worker_died_is_taken_over_after_its_lease(
    start_service: ServiceFactory, fake: FakeHelpdesk
) -> None:
    service = start_service(worker=False, job_lease_s=1.0)
    state = service.server.config.app.state.service
    body, headers = signed(chatwoot_payload("where is my order?", conversation_id=4))
    job = service.client.post("/v1/webhooks/chatwoot", content=body, headers=headers).json()["job"]
    claimed = state.queue.claim("a-worker-that-dies")
    assert claimed is not None and claimed.id == job
    assert state.queue.claim("another") is None  # running and within its lease
    with state.engine.begin() as conn:  # the dead worker's lease runs out
        stale = datetime.now(UTC) - timedelta(seconds=5)
        conn.execute(update(jobs).where(jobs.c.id == job).values(locked_at=stale))
    taken = state.queue.claim("another")
    assert taken is not None and taken.id == job and taken.attempts == 2
    state.runner.run(taken)
    assert state.queue.get(job)["status"] == "done" and len(fake.received) == 1
