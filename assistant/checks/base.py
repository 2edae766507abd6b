"""The guardrail interface: one method, `Check.check(draft, context) -> list[Finding]`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from assistant.knowledge import KnowledgeBase
from assistant.types import Analysis, Draft, Finding, Hit, LanguageRule, Message


@dataclass(frozen=True)
class CheckContext:
    """What a check may look at besides the draft itself."""

    message: Message
    analysis: Analysis
    hits: list[Hit]
    kb: KnowledgeBase
    # The locale the reply is written in: a language (hi), or its script variant (hi-Latn,
    # per the brand's `languages.reply_script`), whose pack, answers and words checks use.
    reply_language: str
    language_rule: LanguageRule = "customer"
    extra: dict[str, str] = field(default_factory=dict)


class Check(Protocol):
    """One family of guardrails. `id` prefixes the ids of its findings."""

    id: str

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]: ...
