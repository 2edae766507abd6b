"""The background worker: claims webhook jobs and runs them, outside the request.

Customer message -> suggest -> remember -> post the note (retrying 429/5xx with
backoff, then requeueing the job); agent reply -> learning loop. A 401/403 from the
helpdesk fails the job without retrying and is reported by `/readyz` until a post
succeeds again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from assistant.errors import UserError
from assistant.service.adapters.base import (
    Adapter,
    HelpdeskRejected,
    HelpdeskUnauthorized,
    HelpdeskUnavailable,
)
from assistant.service.jobs import Job, JobQueue
from assistant.service.learning import Learner
from assistant.service.logs import log_event, since_ms
from assistant.service.notes import render_note
from assistant.types import Suggestion

__all__ = ["JobRunner", "Worker"]

Suggest = Callable[..., Suggestion]


class JobRunner:
    """Runs one claimed job to its end state."""

    def __init__(
        self,
        queue: JobQueue,
        adapters: Mapping[str, Adapter],
        suggest: Suggest,
        learner: Learner,
        guidelines_version: str,
        retry_base_s: float,
    ) -> None:
        self.queue = queue
        self.adapters = adapters
        self.suggest = suggest
        self.learner = learner
        self.guidelines_version = guidelines_version
        self.retry_base_s = retry_base_s
        self.problems: dict[str, str] = {}  # adapter -> what stops it (401), for /readyz

    def run(self, job: Job) -> None:
        started = time.perf_counter()
        fields: dict[str, Any] = {"job": job.id, "kind": job.kind, "adapter": job.event.adapter}
        try:
            result = self._handle(job)
        except (UserError, HelpdeskRejected) as exc:
            self.queue.fail(job, str(exc))
            log_event("job.failed", logging.WARNING, error=str(exc), **fields)
        except HelpdeskUnauthorized as exc:
            self.problems[job.event.adapter] = str(exc)
            self.queue.fail(job, str(exc))
            log_event("job.unauthorized", logging.ERROR, error=str(exc), **fields)
        except Exception as exc:
            delay = self.retry_base_s * 4**job.attempts
            again = self.queue.retry(job, f"{type(exc).__name__}: {exc}", delay)
            log_event(
                "job.retry" if again else "job.failed",
                logging.WARNING,
                error_type=type(exc).__name__,
                **fields,
            )
            if not isinstance(exc, HelpdeskUnavailable):
                logging.getLogger("assistant.service").exception("job crashed")
        else:
            self.queue.done(job, result)
            log_event("job.done", duration_ms=since_ms(started), **fields, **_loggable(result))

    def _handle(self, job: Job) -> dict[str, Any]:
        event = job.event
        if job.kind == "agent_reply":
            return self.learner.learn(event)
        adapter = self.adapters[event.adapter]
        suggestion = self.suggest(
            event.text,
            channel=event.channel,
            customer_name=event.customer_name,
            history=event.history,
            locale=event.locale,
        )
        suggestion_id = self.learner.remember(job.id, event, suggestion)
        note = render_note(suggestion, suggestion_id, self.guidelines_version)
        note_id = adapter.post(event, note)
        self.problems.pop(event.adapter, None)
        self.learner.posted(suggestion_id, note_id)
        return {
            "suggestion_id": suggestion_id,
            "note_id": note_id,
            "language": suggestion.reply_language,
            "script": suggestion.detection.script,
        }


class Worker:
    """A daemon thread claiming jobs until stopped; `wake()` skips the idle wait."""

    def __init__(self, queue: JobQueue, runner: JobRunner, poll_s: float) -> None:
        self.queue = queue
        self.runner = runner
        self.poll_s = poll_s
        self.name = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="assistant-jobs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run_once(self) -> bool:
        """Run one due job; False when none was due."""
        job = self.queue.claim(self.name)
        if job is None:
            return False
        self.runner.run(job)
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception:
                logging.getLogger("assistant.service").exception("job claim failed")
                busy = False
            if not busy:
                self._wake.wait(self.poll_s)
                self._wake.clear()


def _loggable(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if isinstance(v, int | float | str) and k != "text"}
