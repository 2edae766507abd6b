"""Boundary models of the review workflow: what the store returns. No I/O here."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from assistant.types import Channel, Draft, Finding, Model, Suggestion

ReviewStatus = Literal["pending", "approved", "edited", "rejected", "exported"]
Decision = Literal["approved", "edited", "rejected"]
ReviewAction = Literal["add", "approve", "edit", "reject", "export", "override"]
StatsDimension = Literal["language", "script", "tone", "faq", "snippet", "channel", "source"]
#: Where decisions came from: our own desk (CLI, notebook, API) or a helpdesk's sent replies.
SourceFilter = Literal["all", "desk", "helpdesk"]
EditedKind = Literal["faq", "snippet"]

STATUSES: tuple[ReviewStatus, ...] = ("pending", "approved", "edited", "rejected", "exported")
DIMENSIONS: tuple[StatsDimension, ...] = (
    "language", "script", "tone", "faq", "snippet", "channel", "source"
)  # fmt: skip
SOURCE_FILTERS: tuple[SourceFilter, ...] = ("all", "desk", "helpdesk")
#: `source` of a review decided in our own desk; a helpdesk's is its adapter name.
DESK = "desk"


class ReviewMessage(Model):
    """The customer message a review answers, with its detected language."""

    text: str
    channel: Channel = "twitter"
    customer_name: str | None = None
    language: str = "und"


class ShownSnippet(Model):
    """A guideline snippet shown beside the drafts; `id` is its source and a hash of its
    text, so an edited guideline counts as a new snippet."""

    id: str
    source: str
    text: str


class Review(Model):
    """One draft reply waiting for, or carrying, an agent's decision.

    `draft` keeps the draft exactly as suggested, its findings included; `final_findings`
    are the findings on `final_text` at decision time. `version` grows with every change
    and is what makes two agents' concurrent decisions safe. `suggestion` (with
    `draft_index`) is the whole suggestion the draft came from, when it was added from one:
    rechecking an edited text needs its analysis and retrieved FAQ entries. `reply_to` is
    the conversation or post id the reply goes to, when the channel gave one. `source` is
    where the decision was taken: "desk" (CLI, notebook, API) or the helpdesk adapter
    whose sent reply it was learned from ("chatwoot"); `script` is the script the customer
    wrote in; `snippets` are the guideline snippets shown with the suggestion.
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
    source: str = DESK
    script: str | None = None
    snippets: list[ShownSnippet] = Field(default_factory=list)

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
    label: str | None = Field(None, description="What the key stands for (a snippet's text).")
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
    """Review outcomes overall and per group (language, script, tone, FAQ entry, ...), and
    the FAQ entries and guideline snippets whose drafts agents edited most.

    `source` says which decisions were counted: all, the desk's, or the helpdesks'.
    `most_edited` ranks groups by edited replies, then edit rate.
    """

    source: SourceFilter = "all"
    overall: StatsGroup
    by: dict[StatsDimension, list[StatsGroup]] = Field(default_factory=dict)
    most_edited: dict[EditedKind, list[StatsGroup]] = Field(default_factory=dict)
