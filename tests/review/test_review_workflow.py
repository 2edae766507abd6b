"""The state machine: every valid and invalid transition, blocking findings and overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import InputError, InvalidTransition, ReviewConflict
from assistant.review import (
    AlreadyDecided,
    Review,
    ReviewBlocked,
    ReviewNotFound,
    ReviewStore,
)
from assistant.review.workflow import TRANSITIONS, plan_export
from assistant.types import Finding
from tests.review.review_support import BLOCK, WARN, AddReview, make_suggestion

STATUSES = ("pending", "approved", "edited", "rejected", "exported")


def review_in(status: str, store: ReviewStore, add: AddReview, outbox: Path) -> Review:
    review = add()
    if status in ("approved", "exported"):
        store.approve(review.id, "alice")
    elif status == "edited":
        store.edit(review.id, "alice", "Hola Ana, llega mañana.")
    elif status == "rejected":
        store.reject(review.id, "alice", "wrong FAQ")
    if status == "exported":
        store.export(outbox, "exporter")
    current = store.get(review.id)
    assert current.status == status
    return current


def decide(store: ReviewStore, action: str, review_id: int) -> Review:
    if action == "approve":
        return store.approve(review_id, "bob")
    if action == "edit":
        return store.edit(review_id, "bob", "Hola Ana, tu pedido sale hoy.")
    return store.reject(review_id, "bob", "off-brand tone")


@pytest.mark.parametrize("action", ["approve", "edit", "reject"])
def test_pending_allows_every_decision(
    store: ReviewStore, add: AddReview, action: str, tmp_path: Path
) -> None:
    review = review_in("pending", store, add, tmp_path / "out.jsonl")
    decided = decide(store, action, review.id)
    assert decided.status == {"approve": "approved", "edit": "edited", "reject": "rejected"}[action]
    assert decided == store.get(review.id)
    assert decided.version == 2
    assert decided.agent == "bob"
    assert decided.decided_at is not None


@pytest.mark.parametrize("action", ["approve", "edit", "reject"])
@pytest.mark.parametrize("status", ["approved", "edited", "rejected", "exported"])
def test_decided_reviews_refuse_another_decision(
    store: ReviewStore, add: AddReview, status: str, action: str, tmp_path: Path
) -> None:
    review = review_in(status, store, add, tmp_path / "out.jsonl")
    with pytest.raises(InvalidTransition) as raised:
        decide(store, action, review.id)
    assert isinstance(raised.value, AlreadyDecided)
    assert isinstance(raised.value, ReviewConflict)
    message = str(raised.value)
    assert f"review {review.id} was already {status} by" in message
    assert "reload it" in message
    assert "allowed now: " in message
    assert store.get(review.id) == review  # untouched


@pytest.mark.parametrize("status", ["approved", "edited"])
def test_approved_and_edited_reviews_export(
    store: ReviewStore, add: AddReview, status: str, tmp_path: Path
) -> None:
    review = review_in(status, store, add, tmp_path / "out.jsonl")
    [exported] = store.export(tmp_path / "out.jsonl", "exporter")
    assert exported.id == review.id
    assert exported.status == "exported"
    assert exported.decision == status
    assert store.get(review.id) == exported


@pytest.mark.parametrize("status", ["pending", "rejected", "exported"])
def test_other_statuses_do_not_export(
    store: ReviewStore, add: AddReview, status: str, tmp_path: Path
) -> None:
    review = review_in(status, store, add, tmp_path / "first.jsonl")
    assert store.export(tmp_path / "out.jsonl", "exporter") == []
    assert store.get(review.id) == review
    with pytest.raises(InvalidTransition, match=f"is {status}; export needs status approved"):
        plan_export(review, "exporter", review.created_at, "out.jsonl")


def test_transition_table_is_the_documented_one() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    assert {s for targets in TRANSITIONS.values() for s in targets.values()} == set(STATUSES) - {
        "pending"
    }
    assert TRANSITIONS["rejected"] == TRANSITIONS["exported"] == {}


def test_reject_needs_a_reason(store: ReviewStore, add: AddReview) -> None:
    review = add()
    with pytest.raises(InputError, match="rejection reason"):
        store.reject(review.id, "bob", "  ")
    rejected = store.reject(review.id, "bob", " promises a refund we cannot give ")
    assert rejected.reason == "promises a refund we cannot give"
    assert rejected.final_text is None
    assert rejected.edit_distance is None


@pytest.mark.parametrize("agent", ["", "   "])
def test_agent_is_required(store: ReviewStore, add: AddReview, agent: str, tmp_path: Path) -> None:
    review = add()
    for call in (
        lambda: store.approve(review.id, agent),
        lambda: store.edit(review.id, agent, "text"),
        lambda: store.reject(review.id, agent, "reason"),
        lambda: store.export(tmp_path / "out.jsonl", agent),
    ):
        with pytest.raises(InputError, match="agent must not be empty"):
            call()
    assert store.get(review.id).status == "pending"


def test_unknown_review(store: ReviewStore) -> None:
    with pytest.raises(ReviewNotFound, match="no review has id 42"):
        store.approve(42, "bob")
    with pytest.raises(ReviewNotFound):
        store.events(42)


def test_blocking_findings_need_an_override_to_approve(store: ReviewStore, add: AddReview) -> None:
    review = add(findings=(BLOCK, WARN))
    with pytest.raises(ReviewBlocked, match="private-data: the reply repeats a card number"):
        store.approve(review.id, "bob")
    with pytest.raises(InputError, match="override reason"):
        store.approve(review.id, "bob", override_reason=" ")
    assert store.get(review.id).status == "pending"
    approved = store.approve(review.id, "bob", override_reason="the number is our hotline")
    assert approved.status == "approved"
    assert approved.reason == "the number is our hotline"
    override, decision = store.events(review.id)[1:]
    assert override.action == "override"
    assert override.details == {"reason": "the number is our hotline", "findings": ["private-data"]}
    assert (override.from_status, override.to_status) == ("pending", "approved")
    assert decision.action == "approve"


def test_warnings_do_not_block(store: ReviewStore, add: AddReview) -> None:
    review = add(findings=(WARN,))
    assert store.approve(review.id, "bob").status == "approved"
    assert [e.action for e in store.events(review.id)] == ["add", "approve"]


def test_edit_rechecks_the_final_text(store: ReviewStore, add: AddReview) -> None:
    review = add(findings=(BLOCK,))
    seen: list[tuple[int, str]] = []

    def recheck(checked: Review, text: str) -> list[Finding]:
        seen.append((checked.id, text))
        return [BLOCK] if "4111" in text else [WARN]

    with pytest.raises(ReviewBlocked, match="the edited text has blocking findings"):
        store.edit(review.id, "bob", "Tu tarjeta 4111 está bien", recheck=recheck)
    edited = store.edit(review.id, "bob", "  Hola Ana, escríbenos por DM.\n", recheck=recheck)
    assert seen == [
        (review.id, "Tu tarjeta 4111 está bien"),
        (review.id, "Hola Ana, escríbenos por DM."),
    ]
    assert edited.status == "edited"
    assert edited.final_text == "Hola Ana, escríbenos por DM."
    assert edited.final_findings == [WARN]
    assert edited.draft.findings == [BLOCK]  # the draft as suggested is kept
    assert edited.reason is None
    assert edited.edit_distance is not None
    assert 0.0 < edited.edit_distance < 1.0
    event = store.events(review.id)[-1]
    assert event.details["rechecked"] is True
    assert event.details["findings"] == ["length"]


def test_edit_with_blocked_text_and_override(store: ReviewStore, add: AddReview) -> None:
    review = add()
    edited = store.edit(
        review.id,
        "bob",
        "Llama al 4111",
        recheck=lambda _review, _text: [BLOCK],
        override_reason="hotline number, not a card",
    )
    assert edited.final_findings == [BLOCK]
    assert edited.reason == "hotline number, not a card"
    assert [e.action for e in store.events(review.id)] == ["add", "override", "edit"]


def test_edit_without_recheck_keeps_the_draft_findings(db_path: Path, add: AddReview) -> None:
    review = add(findings=(BLOCK,))
    with ReviewStore(db_path) as plain, pytest.raises(ReviewBlocked):
        plain.edit(review.id, "bob", "Hola Ana")
    with ReviewStore(db_path, recheck=lambda _r, _t: []) as checked:
        assert checked.edit(review.id, "bob", "Hola Ana").final_findings == []


def test_recheck_is_not_called_for_a_decided_review(store: ReviewStore, add: AddReview) -> None:
    review = add()
    store.reject(review.id, "alice", "duplicate")

    def recheck(_review: Review, _text: str) -> list[Finding]:
        raise AssertionError("recheck must not run")

    with pytest.raises(AlreadyDecided, match="already rejected by alice"):
        store.edit(review.id, "bob", "text", recheck=recheck)


def test_add_keeps_the_suggestion_for_rechecks(store: ReviewStore) -> None:
    suggestion = make_suggestion(language="es")
    review = store.add(suggestion, 1)
    assert review.suggestion == suggestion
    assert review.draft_index == 1
    assert review.draft == suggestion.drafts[1]
    assert review.tone == "formal"
    assert review.faq_id == "order-status"
    assert review.message.language == "es"
    assert store.get(review.id) == review
    with pytest.raises(InputError, match="the suggestion has 2 draft"):
        store.add(suggestion, 2)


def test_list_filters(store: ReviewStore, add: AddReview) -> None:
    first = add(language="es")
    second = add(language="hy", text="Բարև Անի")
    store.approve(second.id, "bob")
    assert [r.id for r in store.list()] == [first.id, second.id]
    assert [r.id for r in store.list(status="approved")] == [second.id]
    assert [r.id for r in store.list(language="es")] == [first.id]
    assert [r.id for r in store.list(channel="whatsapp")] == []
    assert len(store.list(limit=1)) == 1
    with pytest.raises(InputError, match="unknown status 'done'"):
        store.list(status="done")


def test_in_memory_store() -> None:
    with ReviewStore("sqlite://") as memory:
        review = memory.add(make_suggestion())
        assert memory.approve(review.id, "bob").status == "approved"
