"""Facts in the draft that no approved source states: numbers, prices, percentages,
dates, durations and links.

Sources: the cited FAQ entries (answers in every language, timeline, links), the brand
file (constants, support hours, response targets), the locale pack's approved lines,
and the customer's own message (an order number they gave). Native digits (Devanagari,
Bengali, Gujarati, Telugu, Arabic-Indic, full-width) count as ASCII digits; "3-5" counts
as 3, 5 and the range 3-5. Money and percentages that no source gives block; other
facts warn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from assistant.checks._text import (
    ascii_digits,
    brand_values,
    faq_answers,
    locale_lines,
    mask,
    per_kb,
)
from assistant.checks.base import CheckContext
from assistant.checks.channel import find_links
from assistant.knowledge import KnowledgeBase, fill
from assistant.knowledge.models import PLACEHOLDER
from assistant.types import Draft, Finding, Severity, Span
from assistant.understanding.private_data import EMAIL

_NUM = r"\d+(?:[.,:/]\d+)*"
_RANGE_SIGNS = r"\s*[-–—~至到]\s*"
_CURRENCY = (
    r"[$€£¥₹₩֏৳﷼]|R\$|RM|Rp\.?|Rs\.?|USD|EUR|GBP|INR|MYR|IDR|AMD|JPY|CNY|RMB|AED|SAR|EGP|CHF|"
    r"BRL|BDT"
)
_PERCENT_SIGN = r"%"


@dataclass(frozen=True)
class FactWords:
    """Money and percent words after a number, and the words joining a range, from every
    locale pack's lexicon (`currency_words`, `percent_words`, `range_words`): a reply
    quotes prices in several languages."""

    currency: tuple[str, ...]
    percent: tuple[str, ...]
    ranges: tuple[str, ...] = ()

    @classmethod
    def of(cls, kb: KnowledgeBase) -> FactWords:
        """The brand's fact words, gathered once per knowledge base (`per_kb`)."""
        return per_kb(kb, "fact-words", lambda: cls._gather(kb))

    @classmethod
    def _gather(cls, kb: KnowledgeBase) -> FactWords:
        return cls(
            kb.all_words("currency_words"),
            kb.all_words("percent_words"),
            kb.all_words("range_words"),
        )


def _alternation(words: Iterable[str]) -> str:
    """Literal words, longest first; `word*` takes any ending."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "".join(
        f"|{re.escape(w[:-1])}\\w*" if w.endswith("*") else f"|{re.escape(w)}" for w in ordered
    )


@cache
def fact_pattern(words: FactWords) -> re.Pattern[str]:
    """Dates, numbers and ranges, with a currency or percent before or after them."""
    currency_word = _CURRENCY + _alternation(words.currency)
    percent_word = _PERCENT_SIGN + _alternation(words.percent)
    spaced = _alternation(words.ranges)[1:]  # "5 to 10", "5 bis 10", "5 hingga 10"
    joiner = _RANGE_SIGNS + (rf"|\s(?:{spaced})\s" if spaced else "")
    return re.compile(
        rf"(?P<date>\d{{4}}-\d{{1,2}}-\d{{1,2}})"
        rf"|(?:(?P<money_pre>{_CURRENCY})\s?|(?P<pct_pre>%|百分之)\s?)?"
        rf"(?<![\d.,:/])(?P<a>{_NUM})(?:(?:{joiner})(?P<b>{_NUM}))?(?![\d])"
        rf"(?:\s?(?P<money_post>{currency_word})(?!\w)|\s?(?P<pct_post>{percent_word}))?",
        re.IGNORECASE,
    )


@dataclass(frozen=True)
class Fact:
    kind: str  # money | percent | number
    key: str  # canonical value ("5-10" for a range)
    text: str
    start: int
    end: int

    @property
    def severity(self) -> Severity:
        return "block" if self.kind in ("money", "percent") else "warn"


def canon(number: str) -> str:
    """Digits only, no leading zeros: "08:00" -> "800", "1.000" -> "1000", "4,99" -> "499"."""
    return re.sub(r"\D", "", number).lstrip("0") or "0"


_DIGIT = re.compile(r"\d")


def facts(text: str, words: FactWords) -> list[Fact]:
    """Numbers, ranges, money and percentages in `text` (URLs and e-mails ignored)."""
    if not _DIGIT.search(text):
        return []  # every fact has a digit (the pattern scans each position: ~0.2 ms)
    clean = ascii_digits(mask(text, _unreadable(text)))
    found: list[Fact] = []
    for m in fact_pattern(words).finditer(clean):
        if m.group("date"):
            found.append(Fact("number", canon(m.group("date")), m.group(), *m.span()))
            continue
        kind = (
            "money"
            if m.group("money_pre") or m.group("money_post")
            else "percent"
            if m.group("pct_pre") or m.group("pct_post")
            else "number"
        )
        a, b = canon(m.group("a")), m.group("b")
        key = f"{a}-{canon(b)}" if b else a
        found.append(Fact(kind, key, text[m.start() : m.end()].strip(), *m.span()))
    return found


def _unreadable(text: str) -> list[tuple[int, int]]:
    spans = [(s.start, s.end) for _, s in find_links(text)]
    spans += [m.span() for m in EMAIL.finditer(text)]
    return spans + [m.span() for m in PLACEHOLDER.finditer(text)]


def values(texts: Iterable[str], words: FactWords) -> set[str]:
    """Every canonical number and range the texts state (a range also gives its ends).

    Amounts and percentages are also kept as "money:15" and "percent:20": a price is
    grounded by a price, not by a response time of 15 minutes.
    """
    out: set[str] = set()
    for text in texts:
        for fact in facts(text, words):
            keys = {fact.key, *fact.key.split("-")}
            out |= keys
            if fact.kind != "number":
                out |= {f"{fact.kind}:{key}" for key in keys}
    return out


@lru_cache(maxsize=128)
def _said(texts: tuple[str, ...], words: FactWords) -> tuple[frozenset[str], frozenset[str]]:
    """The numbers and link keys the customer stated. Cached: every draft of a suggestion
    is checked against the same message (a 20,000-character one took 40 ms a draft)."""
    urls = frozenset(url_key(link) for text in texts for link, _ in find_links(text))
    return frozenset(values(texts, words)), urls


def grounded(fact: Fact, known: set[str] | frozenset[str]) -> bool:
    return (fact.key if fact.kind == "number" else f"{fact.kind}:{fact.key}") in known


def url_key(url: str) -> str:
    key = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower())
    return key.rstrip("/")


class GroundingCheck:
    """grounding.money, grounding.percent (block); grounding.number, grounding.url (warn)."""

    id = "grounding"

    def check(self, draft: Draft, context: CheckContext) -> list[Finding]:
        numbers, urls = per_kb(
            context.kb,
            (
                "grounding",
                tuple(draft.citations),
                context.reply_language,
                context.message.channel,
                context.message.locale,  # the hours as the customer's clock reads them
            ),
            lambda: _approved(draft, context),
        )
        words = FactWords.of(context.kb)
        stated = [f for f in facts(draft.text, words) if not grounded(f, numbers)]
        links = [(link, span) for link, span in find_links(draft.text) if url_key(link) not in urls]
        if stated or links:  # only then read what the customer said (it may be long)
            message = context.message
            said = (message.text, *message.history, message.customer_name or "")
            said_numbers, said_urls = _said(said, words)
            stated = [f for f in stated if not grounded(f, said_numbers)]
            links = [(link, span) for link, span in links if url_key(link) not in said_urls]
        findings = [_fact_finding(f, draft) for f in stated]
        findings += [_url_finding(link, span, draft) for link, span in links]
        return sorted(findings, key=lambda f: f.span.start if f.span else 0)


Known = tuple[frozenset[str], frozenset[str]]  # numbers, link keys


def _approved(draft: Draft, context: CheckContext) -> Known:
    """Numbers and links of the approved sources (FAQ, brand file, locale lines).

    Each source is read once per brand: an entry (answers in every language, links,
    timeline) per channel, the locale lines per language and channel; a new combination
    of citations only joins them (reading every answer of an entry took ~2 ms)."""
    kb, channel, language = context.kb, context.message.channel, context.reply_language
    parts = [_entry_known(kb, faq_id, channel) for faq_id in draft.citations]
    key = ("grounding-lines", language, channel)
    parts.append(per_kb(kb, key, lambda: _lines_known(kb, language, channel)))
    numbers = frozenset().union(*(n for n, _ in parts)) | _brand_numbers(context)
    return numbers, frozenset().union(*(u for _, u in parts))


def _known(texts: list[str], words: FactWords) -> Known:
    urls = {url_key(link) for text in texts for link, _ in find_links(text)}
    return frozenset(values(texts, words)), frozenset(urls)


def _entry_known(kb: KnowledgeBase, faq_id: str, channel: str) -> Known:
    key = ("grounding-faq", faq_id, channel)
    return per_kb(kb, key, lambda: _read_entry(kb, faq_id, channel))


def _read_entry(kb: KnowledgeBase, faq_id: str, channel: str) -> Known:
    texts = faq_answers(kb, [faq_id], None)
    entry = kb.faq.get(faq_id)
    if entry is not None:
        constants = brand_values(kb, channel)
        texts += [fill(link, constants) for link in entry.links]
        texts += [entry.timeline] if entry.timeline else []
    return _known(texts, FactWords.of(kb))


def _lines_known(kb: KnowledgeBase, language: str, channel: str) -> Known:
    constants = brand_values(kb, channel)
    texts = [fill(line, constants) for line in locale_lines(kb, language)]
    return _known([*texts, *constants.values(), kb.brand.sign_off], FactWords.of(kb))


def _brand_numbers(context: CheckContext) -> set[str]:
    """The brand's hours, also as the customer's clock reads them (the hours line moves
    them into the time zone of the customer's locale: Europe's 08:00-19:00 in Madrid is
    07:00-18:00 in Lisbon), and this channel's response target."""
    from assistant.drafting.hours import local_hours  # deferred: drafting imports checks

    brand = context.kb.brand
    out: set[str] = set()
    for region in brand.support_hours:
        for hours in (region, local_hours(region, context.message.locale)):
            opening, closing = canon(hours.open), canon(hours.close)
            out |= {opening, closing, f"{opening}-{closing}"}
    minutes = brand.response_targets.get(context.message.channel)
    if minutes:  # this channel's only: livechat's "2" must not ground "2 days"
        out |= {str(minutes)} | ({str(minutes // 60)} if minutes % 60 == 0 else set())
    return out


def _cited(draft: Draft) -> str:
    return f"the cited FAQ ({', '.join(draft.citations)})" if draft.citations else "any cited FAQ"


def _fact_finding(fact: Fact, draft: Draft) -> Finding:
    what = {"money": "amount", "percent": "percentage"}.get(fact.kind, "number")
    return Finding(
        id=f"grounding.{fact.kind}",
        severity=fact.severity,
        span=Span(start=fact.start, end=fact.end),
        message=f"The {what} “{fact.text}” is not in {_cited(draft)}, the brand "
        "file or the customer's message. Use the approved figure, or remove it.",
    )


def _url_finding(link: str, span: Span, draft: Draft) -> Finding:
    return Finding(
        id="grounding.url",
        severity="warn",
        span=span,
        message=f"The link {link} is not in {_cited(draft)} or the brand file; "
        "check that the page exists, or use the FAQ's link.",
    )
