"""Chatwoot: an account webhook in, a private note out.

Chatwoot signs a webhook as ``X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(secret,
"{X-Chatwoot-Timestamp}.{raw body}")>`` and names each delivery in
``X-Chatwoot-Delivery``. A `message_created` event from a contact becomes a suggestion
job; a public outgoing message from a human agent feeds the learning loop; everything
else, our own notes included, is ignored (the loop guard).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from assistant.service.adapters.base import (
    Event,
    Note,
    WebhookRejected,
    check_fresh,
    hmac_hex,
    signatures_match,
)
from assistant.service.adapters.posting import Poster
from assistant.service.settings import ServiceSettings
from assistant.types import Channel

__all__ = ["CHANNELS", "MARKER", "ChatwootAdapter", "sign"]

MARKER = "assistant_suggestion_id"  # in content_attributes of every note we post
CHANNELS: dict[str, Channel] = {
    "Channel::WebWidget": "livechat",
    "Channel::Api": "livechat",
    "Channel::Email": "email",
    "Channel::FacebookPage": "messenger",
    "Channel::Instagram": "instagram",
    "Channel::TwitterProfile": "twitter",
    "Channel::Whatsapp": "whatsapp",
    "Channel::TwilioSms": "whatsapp",
    "Channel::Sms": "livechat",
    "Channel::Telegram": "livechat",
    "Channel::Line": "livechat",
}
HISTORY = 6


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Chatwoot-Signature header value Chatwoot sends for this body."""
    return "sha256=" + hmac_hex(secret, timestamp.encode("ascii") + b"." + body)


class ChatwootAdapter:
    """Verifies Chatwoot webhooks and posts suggestions as private notes."""

    name = "chatwoot"

    def __init__(self, settings: ServiceSettings) -> None:
        self._secret = settings.chatwoot_webhook_secret
        self._url = (settings.chatwoot_url or "").rstrip("/")
        self._token = settings.chatwoot_api_token
        self._tolerance = settings.webhook_tolerance_s
        self._poster = Poster(
            timeout_s=settings.post_timeout_s,
            retries=settings.post_retries,
            base_s=settings.retry_base_s,
            name="Chatwoot",
        )

    @property
    def configured(self) -> bool:
        return bool(self._secret and self._url and self._token)

    def close(self) -> None:
        self._poster.close()

    def verify(self, headers: Mapping[str, str], body: bytes, now: float) -> Event:
        assert self._secret, "check `configured` first"
        timestamp = headers.get("x-chatwoot-timestamp", "")
        check_fresh(timestamp, now, self._tolerance, "X-Chatwoot-Timestamp")
        expected = sign(self._secret, timestamp, body)
        if not signatures_match(expected, headers.get("x-chatwoot-signature", "")):
            raise WebhookRejected(
                "X-Chatwoot-Signature does not match the body; check "
                "ASSISTANT_CHATWOOT_WEBHOOK_SECRET against the webhook's secret in Chatwoot"
            )
        payload = _payload(body)
        delivery = headers.get("x-chatwoot-delivery") or _fallback_delivery(payload)
        return to_event(payload, delivery)

    def post(self, event: Event, note: Note) -> str:
        url = (
            f"{self._url}/api/v1/accounts/{event.account_id}"
            f"/conversations/{event.conversation_id}/messages"
        )
        body = {
            "content": note.content,
            "message_type": "outgoing",
            "private": True,
            "content_attributes": note.attributes,
        }
        answer = self._poster.post(url, body, {"api_access_token": self._token or ""})
        return str(answer.get("id", ""))


def to_event(payload: dict[str, Any], delivery: str) -> Event:
    """Reduce a Chatwoot webhook payload to an `Event` (kind `ignored` says why)."""
    base = {"adapter": "chatwoot", "delivery_id": delivery}
    reason = _ignore_reason(payload)
    if reason:
        return Event(kind="ignored", reason=reason, **base)
    conversation = _dict(payload.get("conversation"))
    sender = _dict(payload.get("sender"))
    incoming = payload.get("message_type") == "incoming"
    return Event(
        kind="customer_message" if incoming else "agent_reply",
        account_id=str(_dict(payload.get("account")).get("id", "")),
        conversation_id=str(conversation.get("id", "")),
        message_id=str(payload.get("id", "")),
        text=str(payload.get("content") or ""),
        channel=CHANNELS.get(str(conversation.get("channel", "")), "livechat"),
        customer_name=_text(sender.get("name")) if incoming else _contact_name(conversation),
        locale=_locale(conversation, sender) if incoming else None,
        history=_history(conversation, payload.get("id")),
        agent=None if incoming else _text(sender.get("name")) or f"agent-{sender.get('id')}",
        **base,
    )


def _ignore_reason(payload: dict[str, Any]) -> str:
    if payload.get("event") != "message_created":
        return f"event {payload.get('event')!r} needs no suggestion"
    if MARKER in _dict(payload.get("content_attributes")):
        return "our own note came back (loop guard)"
    if payload.get("private"):
        return "private note"
    kind = payload.get("message_type")
    sender_type = str(_dict(payload.get("sender")).get("type", "")).lower()
    if kind == "incoming" and sender_type in ("contact", ""):
        return "" if _has_text(payload) else "message has no text"
    if kind == "outgoing" and sender_type == "user":
        return "" if _has_text(payload) else "message has no text"
    return f"{kind} message from {sender_type or 'nobody'}"


def _has_text(payload: dict[str, Any]) -> bool:
    content = payload.get("content")
    return isinstance(content, str) and bool(content.strip())


def _history(conversation: dict[str, Any], current: Any) -> list[str]:
    messages = conversation.get("messages")
    if not isinstance(messages, list):
        return []
    texts = [
        str(m.get("content"))
        for m in messages
        if isinstance(m, dict)
        and m.get("content")
        and not m.get("private")
        and m.get("id") != current
    ]
    return texts[-HISTORY:]


def _locale(conversation: dict[str, Any], sender: dict[str, Any]) -> str | None:
    meta_sender = _dict(_dict(conversation.get("meta")).get("sender"))
    for source in (sender, meta_sender):
        for key in ("additional_attributes", "custom_attributes"):
            value = _dict(source.get(key)).get("locale") or _dict(source.get(key)).get("language")
            if isinstance(value, str) and value:
                return value
    value = _dict(conversation.get("additional_attributes")).get("browser_language")
    return value if isinstance(value, str) and value else None


def _contact_name(conversation: dict[str, Any]) -> str | None:
    return _text(_dict(_dict(conversation.get("meta")).get("sender")).get("name"))


def _payload(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise ValueError(f"the body is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError("the body must be a JSON object")
    return value


def _fallback_delivery(payload: dict[str, Any]) -> str:
    return f"{payload.get('event')}:{payload.get('id')}"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
