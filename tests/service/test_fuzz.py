"""Property-based fuzzing of the API from its own OpenAPI document: no input gives a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from assistant.pipeline import Assistant
from assistant.service import ServiceSettings, create_app

from .helpers import SECRET, TOKEN, ServiceThread


@pytest.fixture(scope="module")
def fuzzed(
    tmp_path_factory: pytest.TempPathFactory, assistant: Assistant
) -> Iterator[tuple[ServiceThread, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("fuzz")
    options = ServiceSettings(
        review_db=str(folder / "reviews.sqlite3"),
        outbox=folder / "outbox.jsonl",
        chatwoot_url="http://127.0.0.1:9",  # never reached: fuzzed webhooks are not signed
        chatwoot_api_token=TOKEN,
        chatwoot_webhook_secret=SECRET,
        rate_limit_per_minute=1_000_000,
        worker=False,
    )
    app = create_app(options, assistant)
    service = ServiceThread(app)
    key = app.state.service.keys.create("fuzzer", "lead")
    # a few reviews so that ids 1..3 exist for the review endpoints
    for text in ("where is my order?", "mi lámpara llegó rota", "mera order kab aayega"):
        app.state.service.store.add(assistant.suggest(text))
    yield service, {"Authorization": f"Bearer {key}"}
    service.close()


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=str)
def test_no_input_gives_a_server_error(
    fuzzed: tuple[ServiceThread, dict[str, str]], mode: schemathesis.GenerationMode
) -> None:
    service, headers = fuzzed
    schema = schemathesis.openapi.from_url(f"{service.url}/openapi.json")
    seen: list[tuple[str, int]] = []

    @given(case=schema.as_strategy(mode))
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        seen.append((case.operation.label, response.status_code))
        assert response.status_code < 500 or response.status_code == 503, (
            f"{case.operation.label}: {response.status_code} {response.text[:300]}"
        )

    call()
    operations = {label for label, _ in seen}
    # operations without inputs (GET /healthz) have no invalid form to generate
    assert len(operations) >= (13 if mode == schemathesis.GenerationMode.POSITIVE else 8)
