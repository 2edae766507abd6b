"""Worker for the multi-process race: runs in a fresh 'spawn' process per agent."""

from __future__ import annotations

from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any


def race(db: str, review_ids: list[int], agent: str, barrier: Barrier, results: Queue[Any]) -> None:
    """For each review, wait for every agent, then try to decide it at the same moment."""
    from assistant.errors import ReviewConflict
    from assistant.review import ReviewStore

    with ReviewStore(db) as store:
        for review_id in review_ids:
            barrier.wait(timeout=60)
            try:
                if int(agent.rsplit("-", 1)[1]) % 2:
                    store.edit(review_id, agent, f"Hola Ana, te responde {agent}.")
                else:
                    store.approve(review_id, agent)
                outcome = "won"
            except ReviewConflict:
                outcome = "conflict"
            except Exception as exc:  # reported to the test, which fails on it
                outcome = f"{type(exc).__name__}: {exc}"
            results.put((review_id, agent, outcome))
