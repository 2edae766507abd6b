"""Request and answer bodies of the HTTP API (pydantic, unknown fields refused)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from assistant.review import Review, ReviewEvent
from assistant.types import Channel, Model

__all__ = [
    "AddReviewRequest",
    "ApproveRequest",
    "DetectRequest",
    "EditRequest",
    "Health",
    "ReadyReport",
    "RejectRequest",
    "ReviewDetail",
    "SuggestRequest",
    "WebhookAnswer",
]

MAX_TEXT = 20_000
Text = Field(min_length=1, max_length=MAX_TEXT, description="The customer's message.")


class DetectRequest(Model):
    text: str = Text
    hint: str | None = Field(None, max_length=35, description="Locale hint, e.g. ms-MY.")


class SuggestRequest(Model):
    text: str = Text
    channel: Channel = "twitter"
    customer_name: str | None = Field(None, max_length=200)
    locale: str | None = Field(None, max_length=35, description="Customer profile locale.")
    history: list[str] = Field(default_factory=list, max_length=20)
    n: int = Field(3, ge=1, le=10, description="Number of draft variants.")
    stream: bool = Field(False, description="Answer with server-sent events.")


class AddReviewRequest(Model):
    text: str = Text
    channel: Channel = "twitter"
    customer_name: str | None = Field(None, max_length=200)
    locale: str | None = Field(None, max_length=35)
    n: int = Field(3, ge=1, le=10)
    draft: int = Field(1, ge=1, le=10, description="Which draft to queue (1 = first).")
    reply_to: str | None = Field(None, max_length=200, description="Conversation or post id.")


class ApproveRequest(Model):
    override_reason: str | None = Field(
        None, max_length=2000, description="Needed over blocking findings (leads only)."
    )


class EditRequest(Model):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="The reply to send.")
    override_reason: str | None = Field(None, max_length=2000)


class RejectRequest(Model):
    reason: str = Field(min_length=1, max_length=2000)


class ReviewDetail(Model):
    review: Review
    events: list[ReviewEvent]


class Health(Model):
    status: Literal["ok"] = "ok"


class ReadyReport(Model):
    status: Literal["ready", "not ready"]
    brand_loaded: bool
    store_reachable: bool
    problems: dict[str, str] = Field(default_factory=dict)
    jobs: dict[str, int] = Field(default_factory=dict)


class WebhookAnswer(Model):
    status: Literal["queued", "duplicate", "ignored"]
    job: int | None = None
    reason: str | None = None


class ErrorDetail(Model):
    detail: Any
