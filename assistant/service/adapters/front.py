"""Front: an application webhook in, a draft reply (through the drafts API) out.

Front signs ``X-Front-Signature: base64(HMAC-SHA256(secret, "{X-Front-Request-Timestamp}:
{raw body}"))``. An inbound message becomes a suggestion job; the draft reply Front gets
is the first suggested draft, ready for the agent to edit and send; a sent outbound
message from a teammate feeds the learning loop. Front's timestamps are milliseconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from assistant.service.adapters.base import (
    Event,
    Note,
    WebhookRejected,
    check_fresh,
    signatures_match,
)
from assistant.service.adapters.posting import Poster
from assistant.service.settings import ServiceSettings
from assistant.types import Channel

__all__ = ["FrontAdapter", "sign"]

CHANNELS: dict[str, Channel] = {
    "email": "email",
    "whatsapp": "whatsapp",
    "facebook": "messenger",
    "instagram": "instagram",
    "twitter": "twitter",
    "tweet": "twitter",
    "twitter_dm": "twitter",
    "wechat": "wechat",
}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Front-Signature header value Front sends for this body."""
    digest = hmac.new(
        secret.encode("utf-8"), timestamp.encode("ascii") + b":" + body, hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


class FrontAdapter:
    """Verifies Front application webhooks and creates draft replies."""

    name = "front"

    def __init__(self, settings: ServiceSettings) -> None:
        self._secret = settings.front_webhook_secret
        self._url = settings.front_url.rstrip("/")
        self._token = settings.front_api_token
        self._author = settings.front_author_id
        self._channel = settings.front_channel_id
        self._tolerance = settings.webhook_tolerance_s
        self._poster = Poster(
            timeout_s=settings.post_timeout_s,
            retries=settings.post_retries,
            base_s=settings.retry_base_s,
            name="Front",
        )

    @property
    def configured(self) -> bool:
        return bool(self._secret and self._token and self._channel)

    def close(self) -> None:
        self._poster.close()

    def verify(self, headers: Mapping[str, str], body: bytes, now: float) -> Event:
        assert self._secret, "check `configured` first"
        timestamp = headers.get("x-front-request-timestamp", "")
        check_fresh(timestamp, now, self._tolerance, "X-Front-Request-Timestamp")
        if not signatures_match(
            sign(self._secret, timestamp, body), headers.get("x-front-signature", "")
        ):
            raise WebhookRejected(
                "X-Front-Signature does not match the body; check ASSISTANT_FRONT_WEBHOOK_SECRET"
            )
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise ValueError(f"the body is not JSON: {exc}") from None
        if not isinstance(payload, dict):
            raise ValueError("the body must be a JSON object")
        return to_event(payload)

    def post(self, event: Event, note: Note) -> str:
        body: dict[str, Any] = {"body": note.reply or note.content}
        body.update(channel_id=self._channel, mode="shared")
        if self._author:
            body["author_id"] = self._author
        url = f"{self._url}/conversations/{event.conversation_id}/drafts"
        answer = self._poster.post(url, body, {"Authorization": f"Bearer {self._token}"})
        return str(answer.get("id", ""))


def to_event(payload: dict[str, Any]) -> Event:
    """Reduce a Front application webhook to an `Event`."""
    inner = _dict(payload.get("payload"))
    message = _dict(_dict(inner.get("target")).get("data"))
    base = {"adapter": "front", "delivery_id": str(inner.get("id") or payload.get("id") or "")}
    kind = {"inbound_received": "customer_message", "outbound_sent": "agent_reply"}.get(
        str(payload.get("type")), ""
    )
    text = message.get("text") or ""
    if not kind or message.get("is_draft") or not isinstance(text, str) or not text.strip():
        return Event(kind="ignored", reason=f"{payload.get('type')!r} needs nothing", **base)
    author = _dict(message.get("author"))
    return Event(
        kind=kind,
        conversation_id=str(_dict(inner.get("conversation")).get("id", "")),
        message_id=str(message.get("id", "")),
        text=text,
        channel=CHANNELS.get(str(message.get("type", "")), "livechat"),
        customer_name=_sender_name(message) if kind == "customer_message" else None,
        agent=(author.get("username") or author.get("email")) if kind == "agent_reply" else None,
        **base,
    )


def _sender_name(message: dict[str, Any]) -> str | None:
    for recipient in message.get("recipients") or []:
        if isinstance(recipient, dict) and recipient.get("role") == "from":
            name = recipient.get("name")
            return name if isinstance(name, str) and name else None
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
