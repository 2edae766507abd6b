"""The HTTP service: `create_app()` builds the FastAPI app (`assistant serve` runs it).

GET  /healthz  /readyz                      liveness, readiness
POST /v1/detect  /v1/suggestions            Bearer key; suggestions may stream (SSE)
*    /v1/reviews...                         the review workflow, key name = agent
POST /v1/webhooks/chatwoot  /front          signed helpdesk webhooks -> job queue
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.service import logs
from assistant.service.errors import install_handlers
from assistant.service.limits import BodyLimit
from assistant.service.settings import ServiceSettings
from assistant.service.state import ServiceState

__all__ = ["create_app"]


def create_app(settings: ServiceSettings | None = None, assistant: Any = None) -> FastAPI:
    """The app; the assistant (default: `Assistant.load()`) loads when the server starts."""
    settings = settings or ServiceSettings()
    logs.configure(private=settings.log_message_text)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started = time.perf_counter()
        # In a thread: uvicorn's supervisor pings the event loop while the brand loads.
        loaded = assistant if assistant is not None else await to_thread.run_sync(_load_assistant)
        app.state.service = ServiceState.build(settings, loaded)
        logs.log_event("service.ready", load_ms=logs.since_ms(started))
        try:
            yield
        finally:
            app.state.service.close()

    app = FastAPI(
        title="assistant",
        summary="Multilingual reply suggestions for customer service, with review and "
        "helpdesk webhooks.",
        version="1",
        lifespan=lifespan,
    )
    from assistant.service import routes_api, routes_reviews, routes_webhooks

    app.include_router(routes_api.router)
    app.include_router(routes_reviews.router)
    app.include_router(routes_webhooks.router)
    install_handlers(app)
    app.add_middleware(AccessLog)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app


def _load_assistant() -> Any:
    from assistant.pipeline import Assistant

    loaded = Assistant.load()
    loaded.suggest("warm up")  # first call loads the language models; not on a customer's time
    return loaded


class AccessLog:
    """One structured line per request: method, route, status, time, key name; no bodies."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def recording(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording)
        finally:
            route = scope.get("route")
            logs.log_event(
                "request",
                method=scope["method"],
                path=getattr(route, "path", scope["path"]),
                status=status[0],
                duration_ms=logs.since_ms(started),
                key=scope.get("state", {}).get("key_name"),
            )
