"""Everything one service process holds: the assistant, the store, keys, queue, worker."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text

from assistant.review import ReviewStore, recheck_with
from assistant.review.schema import create_review_engine
from assistant.service.adapters.base import Adapter
from assistant.service.adapters.chatwoot import ChatwootAdapter
from assistant.service.adapters.front import FrontAdapter
from assistant.service.jobs import JobQueue
from assistant.service.keys import KeyStore
from assistant.service.learning import Learner
from assistant.service.limits import ConcurrencyGate, RateLimiter
from assistant.service.settings import ServiceSettings
from assistant.service.tables import create_tables
from assistant.service.worker import JobRunner, Worker

__all__ = ["ServiceState", "open_engines"]


def open_engines(url: str) -> tuple[Engine, Engine]:
    """(reader, writer) engines on the review store's database, service tables created."""
    engine = create_review_engine(url)
    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    create_tables(writer)
    return engine, writer


@dataclass
class ServiceState:
    """Built at startup by `build`, closed at shutdown."""

    settings: ServiceSettings
    assistant: Any  # assistant.pipeline.Assistant (kept loose: tests pass a double)
    store: ReviewStore
    engine: Engine
    keys: KeyStore
    queue: JobQueue
    limiter: RateLimiter
    gate: ConcurrencyGate
    adapters: dict[str, Adapter]
    runner: JobRunner
    worker: Worker | None = None
    started: float = field(default_factory=time.time)

    @classmethod
    def build(cls, settings: ServiceSettings, assistant: Any) -> ServiceState:
        engine, writer = open_engines(settings.review_db)
        store = ReviewStore(settings.review_db, recheck=recheck_with(assistant))
        queue = JobQueue(
            engine, writer, lease_s=settings.job_lease_s, max_attempts=settings.job_max_attempts
        )
        gate = ConcurrencyGate(settings.llm_concurrency)
        adapters: dict[str, Adapter] = {
            "chatwoot": ChatwootAdapter(settings),
            "front": FrontAdapter(settings),
        }
        runner = JobRunner(
            queue,
            adapters,
            lambda *a, **kw: gate.run(assistant.suggest, *a, **kw),
            Learner(engine, writer, store),
            getattr(getattr(assistant, "kb", None), "fingerprint", "") or "unknown",
            settings.retry_base_s,
        )
        state = cls(
            settings=settings,
            assistant=assistant,
            store=store,
            engine=engine,
            keys=KeyStore(writer),
            queue=queue,
            limiter=RateLimiter(settings.rate_limit_per_minute),
            gate=gate,
            adapters=adapters,
            runner=runner,
        )
        if settings.worker:
            state.worker = Worker(queue, runner, settings.worker_poll_s)
            state.worker.start()
        return state

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        for adapter in self.adapters.values():
            close = getattr(adapter, "close", None)
            if close is not None:
                close()
        self.store.close()
        self.engine.dispose()

    def store_reachable(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True
