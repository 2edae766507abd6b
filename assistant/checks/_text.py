"""What the checks compare drafts with: approved answers, locale lines, their spans.

Matching itself (whole words in every script, prefixes, sentences, digits) is the one
matcher in `assistant.text`; its names are re-exported here for the checks.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.knowledge import KnowledgeBase, fill
from assistant.knowledge.cache import per_kb
from assistant.knowledge.models import PLACEHOLDER
from assistant.text import (
    CJK,
    MARKS,
    PhraseMatch,
    Range,
    ascii_digits,
    contains_any,
    find_all,
    find_any,
    is_sentence_start,
    mask,
    sentence_of,
    sentence_spans,
)

__all__ = [
    "CJK",
    "MARKS",
    "PhraseMatch",
    "Range",
    "approved_passages",
    "approved_spans",
    "ascii_digits",
    "brand_values",
    "contains_any",
    "faq_answers",
    "find_all",
    "find_any",
    "is_sentence_start",
    "locale_lines",
    "mask",
    "per_kb",
    "placeholders",
    "sentence_of",
    "sentence_spans",
    "spans_of",
]


def placeholders(text: str) -> list[Range]:
    return [m.span() for m in PLACEHOLDER.finditer(text)]


def faq_answers(
    kb: KnowledgeBase, faq_ids: Iterable[str], languages: Iterable[str] | None
) -> list[str]:
    """Approved answers of the FAQ entries (in `languages`, or all), constants filled;
    their register variants (`register_answers`) too."""
    wanted = set(languages) if languages is not None else None
    constants = kb.constants()
    return [
        fill(text, constants)
        for faq_id in faq_ids
        if faq_id in kb.faq
        for answers in (kb.faq[faq_id].answers, *kb.faq[faq_id].register_answers.values())
        for language, text in answers.items()
        if wanted is None or language in wanted
    ]


def locale_lines(kb: KnowledgeBase, language: str) -> list[str]:
    """Every approved line of a locale pack (empathy, take-private, hours...), unfilled."""
    pack = kb.locale(language)
    lines = pack.lines
    out = [*lines.empathy, *lines.apology, *lines.thanks]
    out += [
        lines.take_private,
        lines.private_data_warning,
        lines.hours,
        lines.away,
        lines.clarify,
        lines.escalate,
        lines.praise,
        lines.ai_disclosure,
    ]
    for forms in pack.registers.values():
        out += [forms.greeting, forms.greeting_no_name, forms.closing]
    return out


def brand_values(kb: KnowledgeBase, channel: str) -> dict[str, str]:
    """Values the drafters put into `{placeholders}` that do not depend on the message."""
    policy = kb.channels.get(channel)
    return {**kb.constants(), "channel": (policy.private_alternative if policy else None) or "DM"}


def approved_passages(
    kb: KnowledgeBase, citations: Iterable[str], language: str, channel: str
) -> list[str]:
    """Approved text a draft may repeat word for word: the sentences of the cited FAQ
    answers in `language` and the locale pack's lines, constants filled."""
    values = brand_values(kb, channel)
    passages = [fill(line, values) for line in locale_lines(kb, language)]
    for answer in faq_answers(kb, citations, [language]):
        passages += [answer[start:end] for start, end in sentence_spans(answer)]
    return passages


def spans_of(text: str, passages: Iterable[str]) -> list[Range]:
    """Where the passages (copied verbatim, end punctuation aside) sit in `text`."""
    spans: list[Range] = []
    for passage in passages:
        passage = passage.strip().rstrip(".。!！।։")
        start = text.find(passage) if passage else -1
        while start >= 0:
            spans.append((start, start + len(passage)))
            start = text.find(passage, start + len(passage))
    return spans


def approved_spans(
    text: str, kb: KnowledgeBase, citations: list[str], language: str, channel: str
) -> list[Range]:
    """Spans of `text` copied from approved passages (cached per brand and citations)."""
    key = ("approved", tuple(citations), language, channel)
    passages = per_kb(kb, key, lambda: approved_passages(kb, citations, language, channel))
    return spans_of(text, passages)
