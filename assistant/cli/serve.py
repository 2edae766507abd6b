"""`assistant serve`: the HTTP service (FastAPI on uvicorn; `pip install 'assistant[serve]'`)."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.errors import ConfigError


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Processes; each runs a webhook job worker.")
    ] = 1,
) -> None:
    """Serve suggestions, reviews and helpdesk webhooks over HTTP.

    Example: assistant keys create alice && assistant serve --port 8000 --workers 2
    """
    try:
        import uvicorn
    except ModuleNotFoundError as exc:
        raise ConfigError(
            f"the service needs the serve extra ({exc.name} is missing): "
            "pip install 'assistant[serve]'"
        ) from None
    uvicorn.run(
        "assistant.service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # the service logs each request itself, as JSON
        ws="none",
        # Loading the language models holds the GIL for seconds: a busy worker is not dead.
        timeout_worker_healthcheck=60,
    )
