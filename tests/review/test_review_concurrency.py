"""Agents racing on the same reviews from separate processes: one wins, the rest conflict."""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from pathlib import Path

import pytest

from assistant.errors import ReviewConflict
from assistant.review import ReviewStore
from assistant.review.workflow import plan_approve
from tests.review import review_race
from tests.review.review_support import AddReview, make_suggestion

AGENTS = 6
ROUNDS = 5


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_processes_racing_to_decide(db_path: Path) -> None:
    with ReviewStore(db_path) as store:  # the schema exists before the race starts
        review_ids = [store.add(make_suggestion()).id for _ in range(ROUNDS)]

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(AGENTS)
    results = context.Queue()
    agents = [f"agent-{i}" for i in range(AGENTS)]
    processes = [
        context.Process(
            target=review_race.race, args=(str(db_path), review_ids, a, barrier, results)
        )
        for a in agents
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [results.get(timeout=120) for _ in range(AGENTS * ROUNDS)]
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
                process.join()
        results.close()
        results.join_thread()
    assert all(p.exitcode == 0 for p in processes)

    by_review: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for review_id, agent, outcome in outcomes:
        by_review[review_id][outcome].append(agent)
    with ReviewStore(db_path) as store:
        for review_id in review_ids:
            outcome = by_review[review_id]
            assert set(outcome) == {"won", "conflict"}, dict(outcome)
            [winner] = outcome["won"]
            assert len(outcome["conflict"]) == AGENTS - 1
            review = store.get(review_id)
            assert (review.agent, review.version) == (winner, 2)
            decisions = [e for e in store.events(review_id) if e.action in ("approve", "edit")]
            assert [(e.agent, e.to_status) for e in decisions] == [(winner, review.status)]


def test_a_stale_decision_loses_the_conditional_update(store: ReviewStore, add: AddReview) -> None:
    review = add()
    stale = store.get(review.id)  # bob loaded the review ...
    store.approve(review.id, "alice")  # ... alice decided first
    change = plan_approve(stale, "bob", stale.created_at)
    with pytest.raises(ReviewConflict, match=f"review {review.id} was already approved by alice"):
        store._apply(change)
    assert [(e.agent, e.action) for e in store.events(review.id)] == [
        ("assistant", "add"),
        ("alice", "approve"),
    ]
