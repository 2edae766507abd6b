"""Helpdesk adapters: each verifies its webhooks into `Event`s and posts `Note`s back."""

from __future__ import annotations

from assistant.service.adapters.base import (
    Adapter,
    Event,
    HelpdeskRejected,
    HelpdeskUnauthorized,
    HelpdeskUnavailable,
    Note,
    WebhookRejected,
)

__all__ = [
    "Adapter",
    "Event",
    "HelpdeskRejected",
    "HelpdeskUnauthorized",
    "HelpdeskUnavailable",
    "Note",
    "WebhookRejected",
]
