"""A service under uvicorn on 127.0.0.1, wired to a fake Chatwoot on another port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.pipeline import Assistant
from assistant.service import ServiceSettings, create_app

from .helpers import SECRET, TOKEN, FakeHelpdesk, ServiceThread


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    """The sample brand, offline, without embeddings (fast to load), warmed up."""
    loaded = Assistant.load(embeddings=False)
    loaded.suggest("warm up")
    return loaded


@pytest.fixture
def fake() -> Iterator[FakeHelpdesk]:
    helpdesk = FakeHelpdesk()
    yield helpdesk
    helpdesk.close()


@pytest.fixture
def settings(tmp_path: Path, fake: FakeHelpdesk) -> ServiceSettings:
    return ServiceSettings(
        review_db=str(tmp_path / "reviews.sqlite3"),
        outbox=tmp_path / "outbox.jsonl",
        chatwoot_url=fake.url,
        chatwoot_api_token=TOKEN,
        chatwoot_webhook_secret=SECRET,
        retry_base_s=0.01,
        worker_poll_s=0.05,
        post_timeout_s=5.0,
    )


ServiceFactory = Callable[..., ServiceThread]


@pytest.fixture
def start_service(settings: ServiceSettings, assistant: Assistant) -> Iterator[ServiceFactory]:
    """`start_service(**setting_overrides)` -> a running service; stopped after the test."""
    running: list[ServiceThread] = []

    def start(**overrides: Any) -> ServiceThread:
        app = create_app(settings.model_copy(update=overrides), assistant)
        service = ServiceThread(app)
        running.append(service)
        return service

    yield start
    for service in running:
        service.close()


@pytest.fixture
def service(start_service: ServiceFactory) -> ServiceThread:
    return start_service()


@pytest.fixture
def key(service: ServiceThread) -> str:
    return str(service.server.config.app.state.service.keys.create("alice"))


@pytest.fixture
def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
