"""Review endpoints mirroring `assistant review`: the key's name is the agent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from assistant.review import Review, ReviewStats
from assistant.service.auth import Caller, service_state
from assistant.service.keys import ApiKey
from assistant.service.models import (
    AddReviewRequest,
    ApproveRequest,
    EditRequest,
    RejectRequest,
    ReviewDetail,
)
from assistant.service.state import ServiceState
from assistant.types import Channel

__all__ = ["router"]

router = APIRouter(prefix="/v1/reviews", tags=["reviews"])
State = Annotated[ServiceState, Depends(service_state)]
Status = Annotated[str | None, Query(pattern="^(pending|approved|edited|rejected|exported)$")]
ReviewId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Review id.")]
Dimension = Annotated[
    str | None, Query(pattern="^(language|script|tone|faq|snippet|channel|source)$")
]
Source = Annotated[
    str, Query(pattern="^(all|desk|helpdesk)$", description="Whose decisions count.")
]


@router.get("", response_model=list[Review])
def list_reviews(
    state: State,
    _caller: Caller,
    status: Status = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    channel: Channel | None = None,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> list[Review]:
    """Reviews, oldest first."""
    return state.store.list(status=status, language=language, channel=channel, limit=limit)


@router.post("", response_model=Review, status_code=201)
def add(body: AddReviewRequest, state: State, caller: Caller) -> Review:
    """Draft replies to a message and queue one of them for review."""
    suggestion = state.gate.run(
        state.assistant.suggest,
        body.text,
        channel=body.channel,
        customer_name=body.customer_name,
        locale=body.locale,
        n=body.n,
    )
    if body.draft > len(suggestion.drafts):
        message = f"only {len(suggestion.drafts)} distinct draft(s) were possible"
        raise HTTPException(
            422, [{"loc": ["body", "draft"], "msg": message, "type": "value_error"}]
        )
    return state.store.add(suggestion, body.draft - 1, agent=caller.name, reply_to=body.reply_to)


@router.get("/stats", response_model=ReviewStats)
def stats(
    state: State, _caller: Caller, by: Dimension = None, source: Source = "all"
) -> ReviewStats:
    """Acceptance, edit and rejection rates per language, script, tone and FAQ entry (or
    `by`), and the FAQ entries and guideline snippets edited most; `source` = helpdesk
    counts only replies agents sent in the helpdesk."""
    return state.store.stats(by=by or ("language", "script", "tone", "faq"), source=source)


@router.post("/export", response_model=list[Review])
def export(state: State, caller: Caller) -> list[Review]:
    """Append approved and edited replies to the service's outbox file."""
    return state.store.export(state.settings.outbox, caller.name)


@router.get("/{review_id}", response_model=ReviewDetail)
def show(review_id: ReviewId, state: State, _caller: Caller) -> ReviewDetail:
    """One review with its audit log."""
    return ReviewDetail(review=state.store.get(review_id), events=state.store.events(review_id))


@router.post("/{review_id}/approve", response_model=Review)
def approve(review_id: ReviewId, body: ApproveRequest, state: State, caller: Caller) -> Review:
    """Approve the draft unchanged."""
    _may_override(caller, body.override_reason)
    return state.store.approve(review_id, caller.name, override_reason=body.override_reason)


@router.post("/{review_id}/edit", response_model=Review)
def edit(review_id: ReviewId, body: EditRequest, state: State, caller: Caller) -> Review:
    """Send an edited text instead; it is rechecked."""
    _may_override(caller, body.override_reason)
    return state.store.edit(review_id, caller.name, body.text, override_reason=body.override_reason)


@router.post("/{review_id}/reject", response_model=Review)
def reject(review_id: ReviewId, body: RejectRequest, state: State, caller: Caller) -> Review:
    """Reject the draft, with a reason."""
    return state.store.reject(review_id, caller.name, body.reason)


def _may_override(caller: ApiKey, reason: str | None) -> None:
    if reason is not None and caller.role != "lead":
        raise HTTPException(
            403,
            "only leads may override blocking findings (brand.yaml); change the text, or "
            "ask a lead (a key made with `assistant keys create NAME --role lead`)",
        )
