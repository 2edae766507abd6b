"""What every helpdesk adapter does: verify a delivery into an `Event`, post a `Note`.

    Adapter.verify(headers, body, now) -> Event      signature, freshness, parsing
    Adapter.post(event, note) -> str                  the posted note's (or draft's) id

Adding Zendesk or another helpdesk is one module implementing these two methods.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any, Literal, Protocol

from pydantic import Field

from assistant.errors import RuntimeFailure, UserError
from assistant.types import Channel, Model

__all__ = [
    "Adapter",
    "Event",
    "EventKind",
    "HelpdeskRejected",
    "HelpdeskUnauthorized",
    "HelpdeskUnavailable",
    "Note",
    "WebhookRejected",
    "hmac_hex",
    "signatures_match",
]

EventKind = Literal["customer_message", "agent_reply", "ignored"]


class WebhookRejected(UserError):
    """The delivery is not signed by the helpdesk, or too old: answer 401."""


class HelpdeskUnavailable(RuntimeFailure):
    """The helpdesk answered 429 or 5xx, or did not answer: try again later."""


class HelpdeskUnauthorized(RuntimeFailure):
    """The helpdesk refused our token (401/403): retrying will not help."""


class HelpdeskRejected(RuntimeFailure):
    """The helpdesk refused the request for another reason (4xx): retrying will not help."""


class Event(Model):
    """One helpdesk event, reduced to what the assistant needs."""

    adapter: str
    kind: EventKind
    delivery_id: str
    reason: str = ""  # why an event is ignored
    account_id: str = ""
    conversation_id: str = ""
    message_id: str = ""
    text: str = ""
    channel: Channel = "livechat"
    customer_name: str | None = None
    locale: str | None = None
    history: list[str] = Field(default_factory=list)
    agent: str | None = None

    @property
    def conversation(self) -> str:
        """A key unique across adapters and accounts."""
        return f"{self.adapter}:{self.account_id}:{self.conversation_id}"


class Note(Model):
    """What goes back to the helpdesk for the agent: text plus machine-readable facts."""

    content: str
    reply: str = ""  # the first draft alone, for helpdesks that take a draft reply
    attributes: dict[str, Any] = Field(default_factory=dict)


class Adapter(Protocol):
    """A helpdesk integration."""

    name: str

    @property
    def configured(self) -> bool:
        """True when its secret (and token) are set."""
        ...

    def verify(self, headers: Mapping[str, str], body: bytes, now: float) -> Event:
        """The event of a signed, fresh delivery, or WebhookRejected."""
        ...

    def post(self, event: Event, note: Note) -> str:
        """Put the note where the agent sees it, privately; return its id."""
        ...


def hmac_hex(secret: str, message: bytes) -> str:
    """Lowercase hex HMAC-SHA256 of `message` under `secret`."""
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signatures_match(expected: str, given: str) -> bool:
    """Constant-time comparison of two signatures."""
    return hmac.compare_digest(expected.encode("ascii"), given.strip().encode("ascii", "replace"))


def check_fresh(timestamp: str, now: float, tolerance_s: int, header: str) -> float:
    """The timestamp in seconds, or WebhookRejected when missing, malformed or stale."""
    try:
        value = float(timestamp)
    except ValueError:
        raise WebhookRejected(f"{header} is missing or not a Unix timestamp") from None
    if value > 1e12:  # milliseconds
        value /= 1000
    if abs(now - value) > tolerance_s:
        raise WebhookRejected(
            f"{header} is {abs(now - value):.0f} s away from now (limit {tolerance_s} s); "
            "check the server clocks, or this is a replayed delivery"
        )
    return value
