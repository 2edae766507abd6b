"""The guardrail interface: one method, `Check.check(draft, context) -> list[Finding]`."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from assistant.knowledge import KnowledgeBase
from assistant.types import Analysis, Draft, Finding, Hit, LanguageRule, Message
from assistant.understanding.window import reading_window

T = TypeVar("T")


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
    # What checks derive from the message, kept for the suggestion's other drafts.
    memo: dict[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per context: every draft of a suggestion shares its context,
        so what depends only on the message is worked out for the first draft only."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]  # type: ignore[no-any-return]

    @property
    def read_text(self) -> str:
        """The part of the message that was understood and answered (all of it unless
        it is long: `understanding.window`). Checks of what the message is about read
        this; checks of what the customer gave (numbers, links, instructions) read all
        of `message`."""
        return self.once("reading-window", lambda: reading_window(self.message.text))


class Check(Protocol):
    """One family of guardrails. `id` prefixes the ids of its findings."""

    id: str

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]: ...
