"""Health, language detection and suggestions (JSON or server-sent events)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse, StreamingResponse

from assistant.language import detect_language
from assistant.service.auth import Caller, service_state
from assistant.service.models import DetectRequest, Health, ReadyReport, SuggestRequest
from assistant.service.state import ServiceState
from assistant.service.streaming import stream_suggestion
from assistant.types import Detection, Suggestion

__all__ = ["router"]

router = APIRouter()
State = Annotated[ServiceState, Depends(service_state)]


@router.get("/healthz", response_model=Health, tags=["health"])
def healthz() -> Health:
    """Liveness: the process answers."""
    return Health()


@router.get(
    "/readyz", response_model=ReadyReport, tags=["health"], responses={503: {"model": ReadyReport}}
)
def readyz(state: State, response: Response) -> ReadyReport:
    """Readiness: the brand is loaded, the store answers, no helpdesk refuses our token."""
    reachable = state.store_reachable()
    problems = dict(state.runner.problems)
    ready = state.assistant is not None and reachable and not problems
    response.status_code = 200 if ready else 503
    return ReadyReport(
        status="ready" if ready else "not ready",
        brand_loaded=state.assistant is not None,
        store_reachable=reachable,
        problems=problems,
        jobs=state.queue.counts() if reachable else {},
    )


@router.post("/v1/detect", response_model=Detection, tags=["language"])
def detect(body: DetectRequest, _caller: Caller) -> Detection:
    """The language and script of one message."""
    return detect_language(body.text, hint=body.hint)


@router.post(
    "/v1/suggestions",
    response_model=Suggestion,
    tags=["suggestions"],
    responses={200: {"content": {"text/event-stream": {}}}},
)
def suggestions(body: SuggestRequest, state: State, _caller: Caller) -> Response:
    """Suggested replies, the same JSON as `assistant draft --json`.

    With `"stream": true` the answer is server-sent events: one `draft` event per draft
    as soon as it is written, then one `findings` per draft, then `done` with the whole
    suggestion (as without streaming).
    """
    kwargs: dict[str, Any] = {
        "channel": body.channel,
        "customer_name": body.customer_name,
        "history": body.history,
        "locale": body.locale,
        "n": body.n,
    }
    if body.stream:
        events = stream_suggestion(
            state.assistant, lambda fn, **kw: state.gate.run(fn, body.text, **kw), kwargs
        )
        return StreamingResponse(events, media_type="text/event-stream")
    suggestion: Suggestion = state.gate.run(state.assistant.suggest, body.text, **kwargs)
    return JSONResponse(suggestion.model_dump(mode="json"))
