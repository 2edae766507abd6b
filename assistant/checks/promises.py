"""Promises the cited FAQ does not back: refunds, compensation, guarantees, free items,
deadlines ("today", "within 24 hours").

A promise is backed when the cited FAQ answer (in the reply language or English) makes
the same commitment: the refund FAQ backs "refund"; "5-10 business days" is backed by
an answer that gives 5-10 days, "24 hours" is not. Unbacked refunds, compensation and
guarantees block; free items and deadlines warn, unless the deadline is attached to a
blocking promise in the same sentence ("a full refund within 24 hours").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.checks import _promise_words as words
from assistant.checks._text import (
    CJK,
    MARKS,
    Range,
    any_pattern,
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
from assistant.types import Draft, Finding, Severity, Span

SOV = {"hi", "bn", "gu", "te", "ja", "hy"}  # negation follows the verb
_CJK_NEGATIONS = ("ません", "できない", "いたしかねます", "不", "没有", "無理", "できかね")


@dataclass(frozen=True)
class Family:
    key: str
    lexicon: words.Lexicon
    severity: Severity
    what: str

    def phrases(self, language: str) -> tuple[str, ...]:
        return (*self.lexicon.get(language, ()), *(() if language == "en" else self.lexicon["en"]))


FAMILIES = (
    Family("refund", words.REFUND, "block", "a refund"),
    Family("compensation", words.COMPENSATION, "block", "compensation"),
    Family("guarantee", words.GUARANTEE, "block", "a guarantee"),
    Family("free", words.FREE, "warn", "something for free"),
)
DEADLINE = Family("deadline", words.DEADLINE, "warn", "a deadline")

_NUM = r"\d+(?:[.,]\d+)?"
_RANGE_SEP = r"\s*(?:[-–—~至到]|\s(?:to|bis|à|a|até|e|hingga|sampai|and|y|und|et)\s)\s*"


def _alternation(units: list[str]) -> str:
    return "|".join(re.escape(u.rstrip("*")) for u in sorted(units, key=len, reverse=True))


_CJK_UNITS = [u for u in words.UNITS if CJK.search(u)]
_PREFIX_UNITS = [u for u in words.UNITS if u.endswith("*") and u not in _CJK_UNITS]
_WHOLE_UNITS = [u for u in words.UNITS if u not in _CJK_UNITS + _PREFIX_UNITS]
_UNIT = (
    rf"(?:{_alternation(_PREFIX_UNITS)})[\w{MARKS}]*|(?:{_alternation(_WHOLE_UNITS)})"
    rf"(?![\w{MARKS}])|{_alternation(_CJK_UNITS)}"
)
DURATION = re.compile(
    rf"(?<![\d.,])(?P<a>{_NUM})(?:{_RANGE_SEP}(?P<b>{_NUM}))?\s*(?:[^\s\d]+\s+)?(?:{_UNIT})",
    re.IGNORECASE,
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
    """promises.refund, promises.compensation, promises.guarantee (block);
    promises.free, promises.deadline (warn; block when tied to a blocking promise)."""

    id = "promises"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        language = context.reply_language
        text = mask(draft.text, [m.span() for m in find_any(draft.text, words.NOT_PROMISES)])
        sentences = sentence_spans(text)
        key = ("promises", tuple(draft.citations), language, context.message.channel)
        backing = per_kb(context.kb, key, lambda: _backing(draft, context))
        findings: list[Finding] = []
        strong: set[Range] = set()
        for family in FAMILIES:
            matches = _promises(text, family.phrases(language), language)
            if family.severity == "block":
                strong |= {sentence_of(sentences, m.start()) for m in matches}
            if matches and not backing.backs(family.phrases(language)):
                findings += [_unbacked(family, m, draft) for m in matches]
        findings += _deadlines(text, language, backing, draft, strong, sentences)
        return sorted(findings, key=lambda f: f.span.start if f.span else 0)


def _backing(draft: Draft, context: CheckContext) -> Backing:
    kb = context.kb
    languages = [context.reply_language, "en"]
    faq_texts = faq_answers(kb, draft.citations, languages)
    timelines = [kb.faq[c].timeline or "" for c in draft.citations if c in kb.faq]
    backing = Backing(
        faq_texts + [t for t in timelines if t],
        locale_lines(kb, context.reply_language),
        timelines=[t for t in timelines if t],
    )
    for text in backing.faq_texts:
        backing.numbers |= _duration_numbers(text)
    target = kb.brand.response_targets.get(context.message.channel)
    backing.soft_numbers = set(backing.numbers)
    for text in backing.line_texts:
        backing.soft_numbers |= _duration_numbers(text)
    if target:
        backing.soft_numbers |= {str(target)} | ({str(target // 60)} if target % 60 == 0 else set())
    return backing


def _duration_numbers(text: str) -> set[str]:
    found: set[str] = set()
    for m in DURATION.finditer(ascii_digits(text)):
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


def _promises(text: str, phrases: tuple[str, ...], language: str) -> list[re.Match[str]]:
    return [m for m in find_any(text, phrases) if not _negated(text, m.span(), language)]


def _negated(text: str, span: Range, language: str) -> bool:
    start, end = span
    if language in ("ja", "zh"):
        window = text[max(0, start - 3) : start] + text[end : end + 12]
        return any(n in window for n in _CJK_NEGATIONS)
    pattern = any_pattern(words.NEGATIONS)[1]
    assert pattern is not None
    before = " ".join(re.split(r"\s+", _clause(text[max(0, start - 60) : start]))[-4:])
    if pattern.search(before):
        return True
    if language in SOV:
        after = " ".join(re.split(r"\s+", _clause_head(text[end : end + 60]))[:3])
        return bool(pattern.search(after))
    return False


def _clause(text: str) -> str:
    return re.split(r"[.!?;,।։。\n]", text)[-1]


def _clause_head(text: str) -> str:
    return re.split(r"[.!?;,।։。\n]", text)[0]


def _unbacked(family: Family, match: re.Match[str], draft: Draft) -> Finding:
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
    language: str,
    backing: Backing,
    draft: Draft,
    strong: set[Range],
    sentences: list[Range],
) -> list[Finding]:
    found: list[Range] = []
    for m in _promises(text, DEADLINE.phrases(language), language):
        if not backing.backs((m.group(),), soft=True):  # "today" is backed by "today" only
            found.append(m.span())
    for m in DURATION.finditer(ascii_digits(text)):
        tied = sentence_of(sentences, m.start()) in strong
        if _key(m) not in (backing.numbers if tied else backing.soft_numbers):
            found.append(m.span())
    return [
        _deadline(draft.text, span, sentence_of(sentences, span[0]) in strong, backing, draft)
        for span in sorted(found)
    ]


def _deadline(text: str, span: Range, tied: bool, backing: Backing, draft: Draft) -> Finding:
    quoted = text[span[0] : span[1]]
    timeline = "; ".join(backing.timelines)
    given = f" (it gives: {timeline})" if timeline else ""
    cited = ", ".join(draft.citations) or "none"
    what = "a refund, compensation or guarantee by a date" if tied else "a deadline"
    return Finding(
        id="promises.deadline",
        severity="block" if tied else "warn",
        span=Span(start=span[0], end=span[1]),
        message=f"Promises {what} (“{quoted}”) that the cited FAQ ({cited}) does not "
        f"give{given}. Use the FAQ's timeline, or drop the date.",
    )
