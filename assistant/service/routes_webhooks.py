"""Helpdesk webhooks: verify, queue, answer at once; the worker does the rest."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from assistant.service.adapters.base import WebhookRejected
from assistant.service.auth import service_state
from assistant.service.logs import log_event
from assistant.service.models import WebhookAnswer
from assistant.service.state import ServiceState

__all__ = ["router"]

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
State = Annotated[ServiceState, Depends(service_state)]
_SETUP = {
    "chatwoot": "ASSISTANT_CHATWOOT_URL, ASSISTANT_CHATWOOT_API_TOKEN and "
    "ASSISTANT_CHATWOOT_WEBHOOK_SECRET",
    "front": "ASSISTANT_FRONT_API_TOKEN, ASSISTANT_FRONT_WEBHOOK_SECRET and "
    "ASSISTANT_FRONT_CHANNEL_ID",
}
_ANSWERS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Bad signature or stale timestamp"},
    503: {},
}


@router.post("/chatwoot", response_model=WebhookAnswer, responses=_ANSWERS)
async def chatwoot(request: Request, state: State) -> WebhookAnswer:
    """A Chatwoot account webhook (`message_created`), signed with the webhook secret."""
    return await _receive("chatwoot", request, state)


@router.post("/front", response_model=WebhookAnswer, responses=_ANSWERS)
async def front(request: Request, state: State) -> WebhookAnswer:
    """A Front application webhook (`inbound_received`, `outbound_sent`)."""
    return await _receive("front", request, state)


async def _receive(name: str, request: Request, state: ServiceState) -> WebhookAnswer:
    adapter = state.adapters[name]
    if not adapter.configured:
        raise HTTPException(503, f"the {name} integration is not configured; set {_SETUP[name]}")
    body = await request.body()
    try:
        event = adapter.verify(request.headers, body, time.time())
    except WebhookRejected as exc:
        log_event("webhook.rejected", adapter=name, reason=str(exc))
        raise HTTPException(401, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(
            422, [{"loc": ["body"], "msg": str(exc), "type": "value_error"}]
        ) from None
    fields: dict[str, Any] = {"adapter": name, "delivery": event.delivery_id, "kind": event.kind}
    if event.kind == "ignored":
        log_event("webhook.ignored", reason=event.reason, **fields)
        return WebhookAnswer(status="ignored", reason=event.reason)
    job = await run_in_threadpool(state.queue.enqueue, event)
    if job is None:
        log_event("webhook.duplicate", **fields)
        return WebhookAnswer(status="duplicate")
    if state.worker is not None:
        state.worker.wake()
    log_event("webhook.queued", job=job, **fields)
    return WebhookAnswer(status="queued", job=job)
