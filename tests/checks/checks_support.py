"""Build drafts and check contexts in one line, for the guardrail tests."""

from __future__ import annotations

from assistant.checks import run_checks
from assistant.checks.base import Check, CheckContext
from assistant.knowledge import KnowledgeBase
from assistant.types import Analysis, Channel, Draft, Finding, Message, Sentiment
from assistant.understanding.injection import find_injection
from tests.support.brand import BRAND_LANGUAGES


def make_context(
    kb: KnowledgeBase,
    language: str,
    *,
    message: str = "Where is my order?",
    channel: Channel = "twitter",
    name: str | None = None,
    sentiment: Sentiment = "neutral",
    intent: str = "order-status",
) -> CheckContext:
    analysis = Analysis(
        language=language,
        sentiment=sentiment,
        sentiment_score=0.0,
        intent=intent,
        injection=find_injection(message),
    )
    msg = Message(text=message, channel=channel, customer_name=name)
    return CheckContext(msg, analysis, [], kb, language)


def make_draft(
    text: str, language: str, *, citations: tuple[str, ...] = (), tone: str = "friendly"
) -> Draft:
    return Draft(text=text, language=language, tone=tone, citations=list(citations))


def findings(
    check: Check,
    text: str,
    context: CheckContext,
    *,
    citations: tuple[str, ...] = (),
    tone: str = "friendly",
) -> list[Finding]:
    draft = make_draft(text, context.reply_language, citations=citations, tone=tone)
    return check.check(draft, context)


def ids(found: list[Finding]) -> list[str]:
    return [f.id for f in found]


def severities(found: list[Finding], finding_id: str) -> set[str]:
    return {f.severity for f in found if f.id == finding_id}


def all_findings(
    kb: KnowledgeBase,
    text: str,
    language: str,
    *,
    citations: tuple[str, ...] = (),
    message: str = "Where is my order?",
    channel: Channel = "twitter",
    name: str | None = None,
) -> list[Finding]:
    """Every check's findings on `text`, as `run_checks` returns them."""
    context = make_context(kb, language, message=message, channel=channel, name=name)
    return run_checks(make_draft(text, language, citations=citations), context)


#: The 15 languages of the sample brand.
LANGUAGES = BRAND_LANGUAGES
