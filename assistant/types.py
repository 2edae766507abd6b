"""The core data types, shared by every stage of the flow. No I/O here.

message -> Detection -> Analysis + Hits -> Draft(s) with Findings -> Suggestion
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Channel = Literal[
    "twitter", "facebook", "messenger", "instagram", "whatsapp", "wechat", "email", "livechat"
]
CHANNELS: tuple[str, ...] = (
    "twitter",
    "facebook",
    "messenger",
    "instagram",
    "whatsapp",
    "wechat",
    "email",
    "livechat",
)
Sentiment = Literal["negative", "neutral", "positive"]
Severity = Literal["block", "warn", "info"]
Urgency = Literal["low", "normal", "high"]
LanguageRule = Literal["customer", "fallback", "default", "forced"]


class Model(BaseModel):
    """Base of every boundary model: unknown fields are an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


class Candidate(Model):
    language: str
    confidence: float


class Detection(Model):
    """Which language a text is written in.

    `language` is ISO 639-1 (`"und"` when undetermined), `script` is ISO 15924.
    """

    language: str
    script: str
    confidence: float = Field(ge=0.0, le=1.0)
    reliable: bool
    candidates: list[Candidate] = Field(default_factory=list)
    method: str = ""


class Message(Model):
    """One customer message as it arrives from a channel."""

    text: str
    channel: Channel = "twitter"
    customer_name: str | None = None
    locale: str | None = None
    history: list[str] = Field(default_factory=list)


class Span(Model):
    start: int
    end: int


class PrivateDatum(Model):
    """Personal data found in a text (order number, email, phone, card, national id,
    date of birth, password, address)."""

    kind: Literal[
        "order_number", "email", "phone", "card", "national_id", "date_of_birth", "password",
        "address",
    ]  # fmt: skip
    text: str
    span: Span


class EscalationMatch(Model):
    trigger: str
    team: str
    channel: str
    matched: str


class InjectionMarker(Model):
    """A phrase in a customer message that tries to instruct the assistant."""

    text: str
    span: Span


class Analysis(Model):
    language: str
    sentiment: Sentiment
    sentiment_score: float = Field(ge=-1.0, le=1.0)
    emotions: list[str] = Field(default_factory=list)
    urgency: Urgency = "normal"
    intent: str
    private_data: list[PrivateDatum] = Field(default_factory=list)
    needs_private: bool = False
    escalations: list[EscalationMatch] = Field(default_factory=list)
    injection: list[InjectionMarker] = Field(default_factory=list)
    customer_register: Literal["formal", "informal"] | None = Field(
        None, description="The register the customer writes in; None when it shows none."
    )
    elapsed_days: int | None = Field(
        None, description="How long the customer says they have waited, in days."
    )
    topic_probabilities: dict[str, float] = Field(
        default_factory=dict,
        description="FAQ id (or 'none') -> the chance a good reply cites it, read by a "
        "classifier trained on labelled messages; empty without embeddings or for a brand "
        "it was not fitted for (`understanding/topic_head.py`).",
    )


class Hit(Model):
    """One FAQ entry (or guideline snippet) retrieved for a message, best first."""

    faq_id: str
    score: float
    lexical: float = 0.0
    semantic: float = 0.0
    matched_text: str = ""
    matched_language: str = ""


class Snippet(Model):
    """A guideline (brand rule, escalation rule, tone, cultural note) relevant to a message."""

    source: str = Field(description="Where it comes from, e.g. locales/de.cultural_notes.")
    text: str
    score: float


class Finding(Model):
    """What a guardrail check found wrong (or worth noting) in a draft."""

    id: str
    severity: Severity
    message: str
    span: Span | None = None


class Usage(Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cached: bool = False


class Draft(Model):
    text: str
    language: str
    tone: str
    citations: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    backend: str = "offline"
    fallback_reason: str | None = None
    confidence: float | None = None
    needs_escalation: bool = False
    usage: Usage | None = None
    prompt: str | None = Field(None, description="Prompt file and version, e.g. draft@1.")
    send_ready: bool | None = Field(
        None, description="An agent could send it unedited (None: no verdict was made)."
    )
    not_ready: list[str] = Field(
        default_factory=list, description="Why the draft is not send-ready, in plain words."
    )

    @property
    def blocked(self) -> bool:
        return any(f.severity == "block" for f in self.findings)


class Suggestion(Model):
    """Everything the assistant suggests for one message."""

    message: Message
    detection: Detection
    analysis: Analysis
    hits: list[Hit]
    guidance: list[Snippet] = Field(default_factory=list)
    drafts: list[Draft]
    reply_language: str
    language_rule: LanguageRule
    timings_ms: dict[str, float] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    native_text: str | None = Field(
        None,
        description="A romanised message (Hindi typed in Latin letters...) in its language's "
        "native script, for agents; None when the message is not romanised Indic text.",
    )
    reply_locale: str | None = Field(
        None, description="The script variant pack the drafts are written in, e.g. hi-Latn."
    )
    created_at: dt.datetime | None = Field(
        None, description="The instant the drafts were written for (support hours, away)."
    )
