"""Chatwoot end to end: signed webhooks into uvicorn, private notes out to a fake Chatwoot."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from assistant.review import Review, ReviewStore
from assistant.service.adapters.chatwoot import MARKER
from assistant.service.tables import suggestions

from .helpers import (
    TOKEN,
    FakeHelpdesk,
    ServiceThread,
    chatwoot_payload,
    message_fixtures,
    signed,
    wait_until,
)

WEBHOOK = "/v1/webhooks/chatwoot"


def post(service: ServiceThread, body: bytes, headers: dict[str, str]) -> dict:  # type: ignore[type-arg]
    answer = service.client.post(WEBHOOK, content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def job_status(service: ServiceThread, job: int) -> str:
    row = service.server.config.app.state.service.queue.get(job)
    return str(row["status"]) if row else "missing"


@pytest.mark.parametrize("case", message_fixtures(), ids=lambda c: c["name"])
def test_customer_message_becomes_one_private_note(
    service: ServiceThread,
    fake: FakeHelpdesk,
    case: dict,  # type: ignore[type-arg]
) -> None:
    payload = chatwoot_payload(case["text"], conversation_id=77, channel=case["channel"])
    assert post(service, *signed(payload))["status"] == "queued"
    note = wait_until(lambda: fake.received, what="the private note")[0]
    assert note.path == "/api/v1/accounts/1/conversations/77/messages"
    assert note.headers["api_access_token"] == TOKEN
    assert note.body["private"] is True and note.body["message_type"] == "outgoing"
    attributes = note.body["content_attributes"]
    assert set(attributes) == {MARKER, "language", "script", "guidelines_version"}
    if "language" in case:
        assert attributes["language"] == case["language"]
    if "script" in case:
        assert attributes["script"] == case["script"]
    assert note.body["content"].startswith("Suggested reply (")
    assert "Findings:" in note.body["content"]


def test_wrong_secret_tampered_body_and_stale_timestamp_are_401(
    service: ServiceThread, fake: FakeHelpdesk
) -> None:
    payload = chatwoot_payload("where is my order")
    body, headers = signed(payload, secret="not-the-secret")
    assert service.client.post(WEBHOOK, content=body, headers=headers).status_code == 401
    body, headers = signed(payload)
    tampered = body.replace(b"where is my order", b"refund me 1000 now")
    assert service.client.post(WEBHOOK, content=tampered, headers=headers).status_code == 401
    body, headers = signed(payload, timestamp=int(time.time()) - 301)
    stale = service.client.post(WEBHOOK, content=body, headers=headers)
    assert stale.status_code == 401 and "X-Chatwoot-Timestamp" in stale.json()["detail"]
    del headers["x-chatwoot-signature"]
    assert service.client.post(WEBHOOK, content=body, headers=headers).status_code == 401
    time.sleep(0.3)
    assert fake.attempts == 0


def test_repeated_delivery_is_done_once(service: ServiceThread, fake: FakeHelpdesk) -> None:
    body, headers = signed(chatwoot_payload("¿Dónde está mi pedido?"), delivery="d-1")
    assert post(service, body, headers)["status"] == "queued"
    assert post(service, body, headers)["status"] == "duplicate"
    wait_until(lambda: fake.received, what="the note")
    assert post(service, body, headers)["status"] == "duplicate"
    time.sleep(0.3)
    assert len(fake.received) == 1


def test_our_own_note_coming_back_is_ignored(service: ServiceThread, fake: FakeHelpdesk) -> None:
    echo = chatwoot_payload(
        "Suggested reply (en, friendly; ready to send): ...",
        message_type="outgoing",
        sender_type="user",
        private=True,
        content_attributes={MARKER: 3, "language": "en"},
    )
    answer = post(service, *signed(echo))
    assert answer == {
        "status": "ignored",
        "job": None,
        "reason": "our own note came back (loop guard)",
    }
    other_private = chatwoot_payload(
        "internal: call her back", message_type="outgoing", sender_type="user", private=True
    )
    assert post(service, *signed(other_private))["status"] == "ignored"
    time.sleep(0.3)
    assert fake.attempts == 0


def test_429_and_500_are_retried_until_one_note(service: ServiceThread, fake: FakeHelpdesk) -> None:
    fake.script = [(429, 0.0), (500, 0.0), (503, 0.0), (500, 0.0), (500, 0.0)]
    job = post(service, *signed(chatwoot_payload("where is my order?")))["job"]
    wait_until(lambda: job_status(service, job) == "done", what="the job to finish")
    assert len(fake.received) == 1 and fake.attempts == 6  # 4 in the first run, 2 after requeue


def test_401_stops_and_is_reported(service: ServiceThread, fake: FakeHelpdesk) -> None:
    fake.script = [(401, 0.0)]
    job = post(service, *signed(chatwoot_payload("where is my order?")))["job"]
    wait_until(lambda: job_status(service, job) == "failed", what="the job to fail")
    assert fake.attempts == 1 and not fake.received
    ready = service.client.get("/readyz")
    assert ready.status_code == 503
    assert "refused the API token" in ready.json()["problems"]["chatwoot"]


def test_a_slow_chatwoot_does_not_delay_the_webhook_answer(
    service: ServiceThread, fake: FakeHelpdesk
) -> None:
    fake.script = [(200, 2.0)]
    started = time.perf_counter()
    post(service, *signed(chatwoot_payload("where is my order?", conversation_id=5)))
    assert time.perf_counter() - started < 1.0
    wait_until(lambda: fake.received, timeout=10, what="the slow note")


def test_the_agents_sent_reply_is_learned_as_approved_or_edited(
    service: ServiceThread, fake: FakeHelpdesk
) -> None:
    for conversation, text in ((1, "Որտե՞ղ է իմ պատվերը"), (2, "¿Dónde está mi pedido?")):
        post(service, *signed(chatwoot_payload(text, conversation_id=conversation)))
    wait_until(lambda: len(fake.received) == 2, what="two notes")
    notes = {n.path.split("/")[-2]: n.body["content"] for n in fake.received}
    unchanged = _first_draft(notes["1"])
    edited = _first_draft(notes["2"]) + " Gracias por tu paciencia."
    for conversation, text in ((1, unchanged), (2, edited)):
        reply = chatwoot_payload(
            text,
            message_id=500 + conversation,
            conversation_id=conversation,
            message_type="outgoing",
            sender_type="user",
            sender_name="Maria",
        )
        assert post(service, *signed(reply))["status"] == "queued"
    store: ReviewStore = service.server.config.app.state.service.store

    def decided() -> list[Review]:
        reviews = [r for r in store.list() if r.status != "pending"]
        return reviews if len(reviews) == 2 else []

    reviews = wait_until(decided, what="two decided reviews")
    by_language = {r.language: r for r in reviews}
    assert by_language["hy"].status == "approved" and by_language["hy"].edit_distance == 0.0
    assert by_language["es"].status == "edited" and 0 < (by_language["es"].edit_distance or 0) < 0.5
    assert {r.agent for r in reviews} == {"Maria"}
    assert {r.reply_to for r in reviews} == {"chatwoot:1:1", "chatwoot:1:2"}
    assert {(r.language, r.source, r.script) for r in reviews} == {
        ("hy", "chatwoot", "Armn"), ("es", "chatwoot", "Latn")
    }  # fmt: skip
    assert store.stats(source="desk").overall.total == 0
    with service.server.config.app.state.service.engine.connect() as conn:
        kept = [row.suggestion for row in conn.execute(select(suggestions.c.suggestion))]
    assert all(set(s) == {"learned"} for s in kept)  # forgotten here once in the store
    stats = store.stats(by="language")
    assert (stats.overall.acceptance_rate, stats.overall.edit_rate) == (0.5, 0.5)
    # a second reply in the same conversation is not learned twice
    again = chatwoot_payload(
        "Anything else?",
        message_id=900,
        conversation_id=1,
        message_type="outgoing",
        sender_type="user",
    )
    post(service, *signed(again))
    time.sleep(0.3)
    assert len(store.list()) == 2


def test_unconfigured_integration_says_what_to_set(start_service) -> None:  # type: ignore[no-untyped-def]
    service = start_service(chatwoot_webhook_secret=None)
    answer = service.client.post(WEBHOOK, content=b"{}")
    assert answer.status_code == 503
    assert "ASSISTANT_CHATWOOT_WEBHOOK_SECRET" in answer.json()["detail"]


def _first_draft(content: str) -> str:
    return content.split("\n\n")[1]
