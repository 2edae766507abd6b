"""The drafting interface: one method, `Drafter.draft(request) -> Draft`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from assistant.knowledge import KnowledgeBase
from assistant.types import Analysis, Draft, Hit, Message, Snippet
from assistant.understanding.window import reading_window


@dataclass(frozen=True)
class DraftRequest:
    """Everything a drafter needs to write one reply.

    `hits` are the retrieved FAQ entries that passed the "good match" threshold, best
    first; an empty list means no FAQ entry fits and the reply must not cite one.
    """

    message: Message
    analysis: Analysis
    hits: list[Hit]
    language: str
    tone: str
    kb: KnowledgeBase
    now: dt.datetime | None = None
    variant: int = 0
    extra: dict[str, str] = field(default_factory=dict)
    guidance: tuple[Snippet, ...] = ()  # the guideline snippets the agent sees
    # The locale pack to write in when it is a script variant of `language` (hi-Latn for
    # romanised Hindi, per the brand's `languages.reply_script`); "" means `language`.
    reply_locale: str = ""

    @property
    def retrieved_ids(self) -> list[str]:
        return [h.faq_id for h in self.hits]

    @property
    def read_text(self) -> str:
        """The part of the message the reply answers: all of it unless it is long, then
        its head and tail (`understanding.window`), as the analysis read it."""
        return reading_window(self.message.text)


@runtime_checkable
class Drafter(Protocol):
    """Writes one reply for a request. Implementations: OfflineDrafter, LLMDrafter."""

    name: str

    def draft(self, request: DraftRequest) -> Draft: ...


class FunctionDrafter:
    """A drafter scripted by a function: the one-line test double.

    >>> drafter = FunctionDrafter(lambda request: "Hi! Your order is on its way.")
    """

    name = "function"

    def __init__(self, fn: Callable[[DraftRequest], str | Draft]) -> None:
        self.fn = fn

    def draft(self, request: DraftRequest) -> Draft:
        result = self.fn(request)
        if isinstance(result, Draft):
            return result
        citations = request.retrieved_ids[:1]
        return Draft(
            text=result,
            language=request.language,
            tone=request.tone,
            citations=citations,
            backend=self.name,
        )
