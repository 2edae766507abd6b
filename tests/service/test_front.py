"""The second adapter: Front application webhooks in, draft replies out (same interface)."""

from __future__ import annotations

import json
import time
from typing import Any

from assistant.service.adapters import front

from .helpers import FakeHelpdesk, ServiceThread, wait_until

FRONT_SECRET = "front-app-secret"


def inbound(text: str, event_id: str, kind: str = "inbound_received") -> dict[str, Any]:
    """Front's application webhook shape: the event in `payload`, the message in target.data."""
    return {
        "type": kind,
        "payload": {
            "id": event_id,
            "type": "inbound" if kind == "inbound_received" else "out_reply",
            "emitted_at": time.time(),
            "conversation": {"id": "cnv_55c8c149", "subject": "order"},
            "target": {
                "_meta": {"type": "message"},
                "data": {
                    "id": f"msg_{event_id}",
                    "type": "whatsapp",
                    "is_inbound": kind == "inbound_received",
                    "is_draft": False,
                    "text": text,
                    "author": {"username": "maria", "email": "maria@example.com"},
                    "recipients": [{"handle": "+60123", "role": "from", "name": "Aisyah"}],
                },
            },
        },
    }


def signed_front(
    payload: dict[str, Any], secret: str = FRONT_SECRET
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    stamp = str(int(time.time() * 1000))  # Front sends milliseconds
    return body, {
        "content-type": "application/json",
        "x-front-request-timestamp": stamp,
        "x-front-signature": front.sign(secret, stamp, body),
    }


def test_front_inbound_becomes_a_draft_reply_and_the_sent_reply_is_learned(
    start_service,
    fake: FakeHelpdesk,  # type: ignore[no-untyped-def]
) -> None:
    service: ServiceThread = start_service(
        front_url=fake.url,
        front_api_token="front-token",
        front_webhook_secret=FRONT_SECRET,
        front_channel_id="cha_123",
    )
    message = inbound("Bila duit saya nak masuk? Dah seminggu", "evt_1")
    answer = service.client.post(
        "/v1/webhooks/front", content=signed_front(message)[0], headers=signed_front(message)[1]
    )
    assert answer.json()["status"] == "queued", answer.text
    draft = wait_until(lambda: fake.received, what="the Front draft")[0]
    assert draft.path == "/conversations/cnv_55c8c149/drafts"
    assert draft.headers["Authorization"] == "Bearer front-token"
    assert draft.body["channel_id"] == "cha_123" and draft.body["mode"] == "shared"
    assert "Suggested reply" not in draft.body["body"]  # the draft itself, ready to send
    sent = inbound(draft.body["body"], "evt_2", kind="outbound_sent")
    body, headers = signed_front(sent)
    assert (
        service.client.post("/v1/webhooks/front", content=body, headers=headers).json()["status"]
        == "queued"
    )
    store = service.server.config.app.state.service.store
    review = wait_until(lambda: store.list(status="approved"), what="the learned review")[0]
    assert (review.status, review.agent, review.edit_distance) == ("approved", "maria", 0.0)
    assert review.message.channel == "whatsapp"


def test_front_rejects_a_bad_signature(start_service, fake: FakeHelpdesk) -> None:  # type: ignore[no-untyped-def]
    service: ServiceThread = start_service(
        front_url=fake.url,
        front_api_token="t",
        front_webhook_secret=FRONT_SECRET,
        front_channel_id="cha_1",
    )
    body, headers = signed_front(inbound("hola", "evt_9"), secret="wrong")
    assert (
        service.client.post("/v1/webhooks/front", content=body, headers=headers).status_code == 401
    )
