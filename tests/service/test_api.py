"""The HTTP API under uvicorn: health, detection, suggestions (JSON and SSE), limits, logs."""

from __future__ import annotations

import json
import logging

import pytest

from assistant.pipeline import Assistant
from assistant.service import logs

from .helpers import ServiceThread, wait_until


def test_health_and_readiness(service: ServiceThread) -> None:
    assert service.client.get("/healthz").json() == {"status": "ok"}
    ready = service.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["brand_loaded"] and ready.json()["store_reachable"]


def test_detect_hinglish(service: ServiceThread, auth: dict[str, str]) -> None:
    answer = service.client.post(
        "/v1/detect", json={"text": "mera order abhi tak nahi aaya"}, headers=auth
    )
    assert answer.status_code == 200
    assert (answer.json()["language"], answer.json()["script"]) == ("hi", "Latn")


def test_suggestions_are_the_json_of_draft(
    service: ServiceThread, auth: dict[str, str], assistant: Assistant
) -> None:
    body = {"text": "Որտե՞ղ է իմ պատվերը", "channel": "twitter", "customer_name": "Anahit", "n": 2}
    answer = service.client.post("/v1/suggestions", json=body, headers=auth)
    assert answer.status_code == 200
    local = assistant.suggest("Որտե՞ղ է իմ պատվերը", channel="twitter", customer_name="Anahit", n=2)
    expected = local.model_dump(mode="json")  # what `assistant draft --json` prints
    got = answer.json()
    assert got.keys() == expected.keys()
    assert [d["text"] for d in got["drafts"]] == [d["text"] for d in expected["drafts"]]
    assert got["drafts"][0]["language"] == "hy"
    assert got["drafts"][0]["citations"] == ["order-status"]


def test_suggestions_stream_as_server_sent_events(
    service: ServiceThread, auth: dict[str, str]
) -> None:
    body = {"text": "أين طلبي؟ لم يصل بعد", "stream": True, "n": 2}
    with service.client.stream("POST", "/v1/suggestions", json=body, headers=auth) as answer:
        assert answer.headers["content-type"].startswith("text/event-stream")
        events = _parse_sse(answer.read().decode("utf-8"))
    names = [name for name, _ in events]
    drafts = names.count("draft")
    assert drafts >= 1
    assert names == ["draft"] * drafts + ["findings"] * drafts + ["done"]
    done = events[-1][1]
    assert done["detection"]["language"] == "ar"
    assert [e["text"] for n, e in events if n == "draft"] == [d["text"] for d in done["drafts"]]
    assert [e["index"] for n, e in events if n == "findings"] == list(range(drafts))


def test_a_refused_message_is_422_even_when_streaming(
    service: ServiceThread, auth: dict[str, str]
) -> None:
    body = {"text": "  \n ", "stream": True}
    answer = service.client.post("/v1/suggestions", json=body, headers=auth)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "text"]


def test_no_key_is_401_and_a_wrong_key_too(service: ServiceThread) -> None:
    assert service.client.post("/v1/detect", json={"text": "hola"}).status_code == 401
    wrong = {"Authorization": "Bearer ak_not-a-key"}
    answer = service.client.post("/v1/detect", json={"text": "hola"}, headers=wrong)
    assert answer.status_code == 401
    assert "assistant keys create" in answer.json()["detail"]


def test_bad_json_is_422_naming_the_field(service: ServiceThread, auth: dict[str, str]) -> None:
    answer = service.client.post("/v1/suggestions", json={"text": "hi", "n": 99}, headers=auth)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "n"]
    empty = service.client.post("/v1/suggestions", json={"text": "   "}, headers=auth)
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["loc"] == ["body", "text"]
    assert "empty" in empty.json()["detail"][0]["msg"]
    broken = service.client.post(
        "/v1/detect", content=b"{not json", headers={**auth, "content-type": "application/json"}
    )
    assert broken.status_code == 422


def test_body_over_the_limit_is_413(start_service, assistant: Assistant) -> None:  # type: ignore[no-untyped-def]
    service = start_service(max_body_bytes=2048)
    key = service.server.config.app.state.service.keys.create("bob")
    answer = service.client.post(
        "/v1/detect", json={"text": "x" * 5000}, headers={"Authorization": f"Bearer {key}"}
    )
    assert answer.status_code == 413
    assert "2048 bytes" in answer.json()["detail"]


def test_rate_limit_per_key_is_429_with_retry_after(start_service) -> None:  # type: ignore[no-untyped-def]
    service = start_service(rate_limit_per_minute=3)
    keys = service.server.config.app.state.service.keys
    first = {"Authorization": f"Bearer {keys.create('first')}"}
    other = {"Authorization": f"Bearer {keys.create('other')}"}
    codes = [
        service.client.post("/v1/detect", json={"text": "hola"}, headers=first).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    limited = service.client.post("/v1/detect", json={"text": "hola"}, headers=first)
    assert int(limited.headers["retry-after"]) >= 1
    assert (
        service.client.post("/v1/detect", json={"text": "hola"}, headers=other).status_code == 200
    )


def test_logs_are_json_and_never_hold_the_message(
    service: ServiceThread, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    secret_text = "my card 4111 1111 1111 1111 was charged twice, Priya Raman"
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(logs.JsonFormatter().format(record))  # type: ignore[method-assign]
    logs.logger.addHandler(handler)
    try:
        body = {"text": secret_text, "customer_name": "Priya Raman"}
        assert service.client.post("/v1/suggestions", json=body, headers=auth).status_code == 200
        # the access line is written just after the answer is sent
        wait_until(lambda: any('"event": "request"' in r for r in records), what="the log line")
    finally:
        logs.logger.removeHandler(handler)
    lines = [json.loads(r) for r in records]
    request = [line for line in lines if line["event"] == "request"]
    assert request[-1]["path"] == "/v1/suggestions" and request[-1]["status"] == 200
    assert request[-1]["key"] == "alice"
    assert all("4111" not in r and "Priya" not in r for r in records)


def test_openapi_is_served(service: ServiceThread) -> None:
    spec = service.client.get("/openapi.json").json()
    assert {"/v1/detect", "/v1/suggestions", "/v1/webhooks/chatwoot", "/v1/reviews"} <= set(
        spec["paths"]
    )


def _parse_sse(text: str) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events
