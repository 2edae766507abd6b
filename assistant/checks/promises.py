"""Promises the cited FAQ does not back: refunds, compensation, guarantees, free items,
deadlines ("today", "within 24 hours").

A promise is backed when the cited FAQ answer (in the reply language or English) makes
the same commitment: the refund FAQ backs "refund"; "5-10 business days" is backed by
an answer that gives 5-10 days, "24 hours" is not. Every unbacked promise blocks: an
agent must not send a refund, a free lamp or "it arrives today" that the brand never
approved.

The words that make a promise are data: the `lexicon:` of each locale pack (`refund`,
`compensation`, `guarantee`, `free`, `deadline`, `units`, `negations`...), plus the
English lists, since replies mix in English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.checks._text import (
    PhraseMatch,
    Range,
    ascii_digits,
    contains_any,
    faq_answers,
    find_any,
    locale_lines,
    mask,
    per_kb,
    sentence_of,
    sentence_spans,
)
from assistant.checks.base import CheckContext
from assistant.knowledge import KnowledgeBase
from assistant.text import CJK, MARKS, is_cjk
from assistant.types import Draft, Finding, Severity, Span


@dataclass(frozen=True)
class Family:
    key: str
    severity: Severity
    what: str


FAMILIES = (
    Family("refund", "block", "a refund"),
    Family("compensation", "block", "compensation"),
    Family("guarantee", "block", "a guarantee"),
    Family("free", "block", "something for free"),
)

_NUM = r"\d+(?:[.,]\d+)?"


def _alternation(units: list[str]) -> str:
    return "|".join(re.escape(u.rstrip("*")) for u in sorted(units, key=len, reverse=True))


def duration_pattern(units: tuple[str, ...], range_words: tuple[str, ...]) -> re.Pattern[str]:
    """Numbers (or ranges) followed by a time unit: "5-10 business days", "24 घंटे"."""
    cjk = [u for u in units if CJK.search(u)] or ["\uffff"]
    prefix = [u for u in units if u.endswith("*") and u not in cjk] or ["\uffff"]
    whole = [u for u in units if u not in cjk + prefix] or ["\uffff"]
    unit = (
        rf"(?:{_alternation(prefix)})[\w{MARKS}]*|(?:{_alternation(whole)})"
        rf"(?![\w{MARKS}])|{_alternation(cjk)}"
    )
    words = "|".join(re.escape(w) for w in sorted(set(range_words), key=len, reverse=True))
    separator = r"\s*(?:[-–—~至到]" + (rf"|\s(?:{words})\s" if words else "") + r")\s*"
    return re.compile(
        rf"(?<![\d.,])(?P<a>{_NUM})(?:{separator}(?P<b>{_NUM}))?\s{{0,3}}"
        rf"(?:[^\s\d]{{1,40}}\s{{1,3}})?(?:{unit})",
        re.IGNORECASE,
    )


def _durations(kb: KnowledgeBase) -> re.Pattern[str]:
    return per_kb(
        kb,
        "durations",
        lambda: duration_pattern(kb.all_words("units"), kb.all_words("range_words")),
    )


@dataclass
class Backing:
    """What the cited FAQ entries commit to, for one draft."""

    faq_texts: list[str]
    line_texts: list[str]
    numbers: set[str] = field(default_factory=set)
    soft_numbers: set[str] = field(default_factory=set)
    timelines: list[str] = field(default_factory=list)
    memo: dict[tuple[tuple[str, ...], bool], bool] = field(default_factory=dict)

    def backs(self, phrases: tuple[str, ...], *, soft: bool = False) -> bool:
        key = (phrases, soft)
        if key not in self.memo:
            texts = self.faq_texts + (self.line_texts if soft else [])
            self.memo[key] = any(contains_any(t, phrases) for t in texts)
        return self.memo[key]


class PromiseCheck:
    """promises.refund, .compensation, .guarantee, .free, .deadline (all block)."""

    id = "promises"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        kb, language = context.kb, context.reply_language
        harmless = find_any(draft.text, kb.words("not_promises", language))
        text = mask(draft.text, [m.span() for m in harmless])
        sentences = sentence_spans(text)
        key = ("promises", tuple(draft.citations), language, context.message.channel)
        backing = per_kb(kb, key, lambda: _backing(draft, context))
        findings: list[Finding] = []
        strong: set[Range] = set()
        for family in FAMILIES:
            phrases = kb.words(family.key, language)
            matches = _promises(text, phrases, kb, language)
            strong |= {sentence_of(sentences, m.start()) for m in matches}
            if matches and not backing.backs(phrases):
                findings += [_unbacked(family, m, draft) for m in matches]
        findings += _deadlines(text, kb, language, backing, draft, strong, sentences)
        return sorted(findings, key=lambda f: f.span.start if f.span else 0)


def _backing(draft: Draft, context: CheckContext) -> Backing:
    kb = context.kb
    durations = _durations(kb)
    faq_texts = faq_answers(kb, draft.citations, [context.reply_language, "en"])
    timelines = [t for c in draft.citations if c in kb.faq and (t := kb.faq[c].timeline)]
    backing = Backing(
        faq_texts + timelines, locale_lines(kb, context.reply_language), timelines=timelines
    )
    for text in backing.faq_texts:
        backing.numbers |= _duration_numbers(durations, text)
    backing.soft_numbers = set(backing.numbers)
    for text in backing.line_texts:
        backing.soft_numbers |= _duration_numbers(durations, text)
    target = kb.brand.response_targets.get(context.message.channel)
    if target:
        backing.soft_numbers |= {str(target)} | ({str(target // 60)} if target % 60 == 0 else set())
    return backing


def _duration_numbers(durations: re.Pattern[str], text: str) -> set[str]:
    found: set[str] = set()
    for m in durations.finditer(ascii_digits(text)):
        found |= _numbers(m)
    return found


def _numbers(match: re.Match[str]) -> set[str]:
    a, b = match.group("a"), match.group("b")
    return {_canon(a)} | ({_canon(b), f"{_canon(a)}-{_canon(b)}"} if b else set())


def _key(match: re.Match[str]) -> str:
    """The range ("5-10") when the duration is a range, else its number."""
    a, b = match.group("a"), match.group("b")
    return f"{_canon(a)}-{_canon(b)}" if b else _canon(a)


def _canon(number: str) -> str:
    whole, _, fraction = number.replace(",", ".").partition(".")
    fraction = fraction.rstrip("0")
    return (whole.lstrip("0") or "0") + (f".{fraction}" if fraction else "")


def _promises(
    text: str, phrases: tuple[str, ...], kb: KnowledgeBase, language: str
) -> list[PhraseMatch]:
    return [m for m in find_any(text, phrases) if not _negated(text, m.span(), kb, language)]


def _negated(text: str, span: Range, kb: KnowledgeBase, language: str) -> bool:
    """A negation just before the promise word (or after it, in verb-final languages);
    Han and kana negations ("ません", "不") anywhere close around it."""
    start, end = span
    negations = kb.words("negations", language)
    joined = [n for n in negations if is_cjk(n)]
    window = text[max(0, start - 3) : start] + text[end : end + 12]
    if any(n in window for n in joined):
        return True
    separate = tuple(n for n in negations if not is_cjk(n))
    before = " ".join(_clause(text[max(0, start - 60) : start]).split()[-4:])
    if contains_any(before, separate):
        return True
    if kb.locale(language).lexicon.negation_after:
        after = " ".join(_clause_head(text[end : end + 60]).split()[:3])
        return contains_any(after, separate)
    return False


def _clause(text: str) -> str:
    return re.split(r"[.!?;,।։。\n]", text)[-1]


def _clause_head(text: str) -> str:
    return re.split(r"[.!?;,।։。\n]", text)[0]


def _unbacked(family: Family, match: PhraseMatch, draft: Draft) -> Finding:
    cited = ", ".join(draft.citations)
    source = (
        f"the cited FAQ ({cited}) does not offer it"
        if cited
        else "the draft cites no FAQ entry that offers it"
    )
    return Finding(
        id=f"promises.{family.key}",
        severity=family.severity,
        span=Span(start=match.start(), end=match.end()),
        message=f"Promises {family.what} (“{match.group()}”), but {source}. "
        "Remove the promise, or answer from the FAQ entry that backs it.",
    )


def _deadlines(
    text: str,
    kb: KnowledgeBase,
    language: str,
    backing: Backing,
    draft: Draft,
    strong: set[Range],
    sentences: list[Range],
) -> list[Finding]:
    found: list[Range] = []
    for m in _promises(text, kb.words("deadline", language), kb, language):
        if not backing.backs((m.group(),), soft=True):  # "today" is backed by "today" only
            found.append(m.span())
    for duration in _durations(kb).finditer(ascii_digits(text)):
        tied = sentence_of(sentences, duration.start()) in strong
        if _key(duration) not in (backing.numbers if tied else backing.soft_numbers):
            found.append(duration.span())
    return [
        _deadline(draft.text, span, sentence_of(sentences, span[0]) in strong, backing, draft)
        for span in sorted(found)
    ]


def _deadline(text: str, span: Range, tied: bool, backing: Backing, draft: Draft) -> Finding:
    quoted = text[span[0] : span[1]]
    timeline = "; ".join(backing.timelines)
    given = f" (it gives: {timeline})" if timeline else ""
    cited = ", ".join(draft.citations) or "none"
    what = "a refund, compensation, guarantee or free item by a date" if tied else "a deadline"
    return Finding(
        id="promises.deadline",
        severity="block",
        span=Span(start=span[0], end=span[1]),
        message=f"Promises {what} (“{quoted}”) that the cited FAQ ({cited}) does not "
        f"give{given}. Use the FAQ's timeline, or drop the date.",
    )
