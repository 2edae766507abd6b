"""Boundary models of the review workflow: what the store returns. No I/O here."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from assistant.types import Channel, Draft, Finding, Model, Suggestion

ReviewStatus = Literal["pending", "approved", "edited", "rejected", "exported"]
Decision = Literal["approved", "edited", "rejected"]
ReviewAction = Literal["add", "approve", "edit", "reject", "export", "override"]
StatsDimension = Literal["language", "tone", "faq"]

STATUSES: tuple[ReviewStatus, ...] = ("pending", "approved", "edited", "rejected", "exported")
DIMENSIONS: tuple[StatsDimension, ...] = ("language", "tone", "faq")


class ReviewMessage(Model):
    """The customer message a review answers, with its detected language."""

    text: str
    channel: Channel = "twitter"
    customer_name: str | None = None
    language: str = "und"


class Review(Model):
    """One draft reply waiting for, or carrying, an agent's decision.

    `draft` keeps the draft exactly as suggested, its findings included; `final_findings`
    are the findings on `final_text` at decision time. `version` grows with every change
    and is what makes two agents' concurrent decisions safe. `suggestion` (with
    `draft_index`) is the whole suggestion the draft came from, when it was added from one:
    rechecking an edited text needs its analysis and retrieved FAQ entries. `reply_to` is
    the conversation or post id the reply goes to, when the channel gave one.
    """

    id: int
    created_at: datetime
    message: ReviewMessage
    draft: Draft
    status: ReviewStatus = "pending"
    decision: Decision | None = None
    agent: str | None = None
    decided_at: datetime | None = None
    final_text: str | None = None
    final_findings: list[Finding] = Field(default_factory=list)
    reason: str | None = None
    edit_distance: float | None = Field(default=None, ge=0.0, le=1.0)
    faq_id: str | None = None
    version: int = 1
    exported_at: datetime | None = None
    exported_by: str | None = None
    suggestion: Suggestion | None = None
    draft_index: int | None = None
    reply_to: str | None = None

    @property
    def language(self) -> str:
        """The reply language (the draft's)."""
        return self.draft.language

    @property
    def tone(self) -> str:
        return self.draft.tone

    @property
    def blocking_findings(self) -> list[Finding]:
        """Blocking findings on the draft as suggested."""
        return [f for f in self.draft.findings if f.severity == "block"]


class ReviewEvent(Model):
    """One row of the append-only audit log."""

    id: int
    review_id: int
    at: datetime
    agent: str
    action: ReviewAction
    from_status: ReviewStatus | None = None
    to_status: ReviewStatus
    details: dict[str, Any] = Field(default_factory=dict)


class FindingCount(Model):
    """How many reviews in a group had a draft finding with this id."""

    id: str
    severity: str
    count: int


class StatsGroup(Model):
    """Decision counts and rates for one group of reviews (or for all of them).

    Rates divide by `decided` (approved + edited + rejected, exported ones counted under
    their decision); they are None when nothing is decided yet. `mean_edit_distance`
    averages approved (0.0) and edited replies.
    """

    key: str
    total: int
    pending: int
    decided: int
    approved: int
    edited: int
    rejected: int
    exported: int
    acceptance_rate: float | None = None
    edit_rate: float | None = None
    rejection_rate: float | None = None
    mean_edit_distance: float | None = None
    top_findings: list[FindingCount] = Field(default_factory=list)


class ReviewStats(Model):
    """Review outcomes overall and per language, tone and FAQ entry."""

    overall: StatsGroup
    by: dict[StatsDimension, list[StatsGroup]] = Field(default_factory=dict)
