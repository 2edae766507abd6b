"""Text helpers shared by the checks: phrase search, digits, sentences, approved text.

Phrase search is whole-word in every script. Python's `\\w` does not cover combining
marks (Indic vowel signs and viramas, Arabic harakat) nor ZWJ/ZWNJ, so a bare `\\b`
would match "तुम" inside "तुम्हारा"; the danda (।) is punctuation, not a mark. Han and
kana are written without spaces, so phrases in them match as substrings.

A phrase ending in `*` matches as a prefix ("refund*" finds "refunds", "refunded"),
which also covers suffixing languages (Telugu "నంబర్‌ను", Armenian "օրում").
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from assistant.knowledge import KnowledgeBase, fill
from assistant.knowledge.models import PLACEHOLDER

Range = tuple[int, int]
T = TypeVar("T")

# Combining marks of the scripts the brand writes in, without the danda (U+0964/5).
MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0963\u0966-\u0dff\u0e00-\u0e7f\u1ab0-\u1aff\u200c\u200d\u3099\u309a"
)
CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f"
CJK = re.compile(f"[{CJK_RANGES}]")
_CJK_RUN = re.compile(f"[{CJK_RANGES}]+")
_BEFORE = rf"(?<![\w{MARKS}])"
_AFTER = rf"(?![\w{MARKS}])"
_REST = rf"[\w{MARKS}]*"
_WORDLIKE = re.compile(rf"[\w{MARKS}]")

# Native digits and full-width signs -> ASCII, one character for one, so spans survive.
_DIGIT_BLOCKS = (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0C66, 0x0CE6, 0x0D66, 0xFF10)
_TABLE: dict[int, str] = {start + i: str(i) for start in _DIGIT_BLOCKS for i in range(10)}
_TABLE.update(
    {
        ord(k): v
        for k, v in {
            "٪": "%",
            "％": "%",
            "٫": ".",
            "٬": ",",
            "～": "~",
            "〜": "~",
            "－": "-",
            "：": ":",
            "／": "/",
            "＄": "$",
            "￥": "¥",
            "，": ",",
            "．": ".",
        }.items()
    }
)

_SENTENCE_END = re.compile(r"(?:[.!?](?=\s|$)|[。！？։।॥؟\n])+")
_SENTENCE_START_BEFORE = set(".!?。！？։।॥؟\n:")


def ascii_digits(text: str) -> str:
    """`text` with native digits (Devanagari, Arabic-Indic, full-width...) made ASCII."""
    return text.translate(_TABLE)


@lru_cache(maxsize=8192)
def _parts(phrase: str) -> tuple[bool, str, str] | None:
    """(boundary before?, escaped body, what follows) of a phrase, or None if empty.

    What follows is "end" (a word boundary), "rest" (a prefix: the rest of the word is
    part of the match) or "" (the phrase ends in Han, kana or punctuation).
    """
    needle = phrase.strip().strip("〜~").strip()
    prefix = needle.endswith("*")
    needle = needle.rstrip("*").strip()
    if not needle:
        return None
    body = r"\s+".join(re.escape(part) for part in needle.split())
    tail = "" if not _needs_boundary(needle[-1]) else "rest" if prefix else "end"
    return _needs_boundary(needle[0]), body, tail


def _bounded(before: bool, body: str, tail: str) -> str:
    after = {"end": _AFTER, "rest": _REST, "": ""}[tail]
    return (_BEFORE if before else "") + body + after


@lru_cache(maxsize=8192)
def phrase_pattern(phrase: str, case_sensitive: bool = False) -> re.Pattern[str] | None:
    """Compiled whole-word pattern of `phrase` (`*` at the end: prefix), or None if empty.

    Search phrases without Han or kana in `latin_view(text)`, the others in `text`.
    """
    parts = _parts(phrase)
    return re.compile(_bounded(*parts), 0 if case_sensitive else re.IGNORECASE) if parts else None


def _needs_boundary(char: str) -> bool:
    return bool(_WORDLIKE.match(char)) and not CJK.match(char)


@lru_cache(maxsize=256)
def latin_view(text: str) -> str:
    """`text` with Han, kana and Hangul blanked out (same length).

    Those scripts need no spaces, so "DM" is a whole word in "番号をDMにて"; blanking
    them keeps word boundaries simple (a class "word but not Han" compiles very slowly).
    """
    return _CJK_RUN.sub(lambda m: "\x00" * len(m.group()), text)


def _is_cjk(phrase: str) -> bool:
    return CJK.search(phrase) is not None


@lru_cache(maxsize=1024)
def any_pattern(phrases: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Patterns matching any of `phrases`, longest first: (for Han/kana phrases, for others)."""

    def join(group: list[str]) -> re.Pattern[str] | None:
        # One boundary per kind of phrase, not one per phrase: the boundary classes are
        # large and slow to compile.
        kinds: dict[tuple[bool, str], list[str]] = {}
        for parts in filter(None, map(_parts, sorted(group, key=len, reverse=True))):
            kinds.setdefault((parts[0], parts[2]), []).append(parts[1])
        alternatives = [
            _bounded(before, "(?:" + "|".join(bodies) + ")", after)
            for (before, after), bodies in sorted(kinds.items(), reverse=True)
        ]
        return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None

    return join([p for p in phrases if _is_cjk(p)]), join([p for p in phrases if not _is_cjk(p)])


def find_all(text: str, phrase: str, *, case_sensitive: bool = False) -> list[Range]:
    """Spans of every whole-word match of `phrase` in `text`."""
    pattern = phrase_pattern(phrase, case_sensitive)
    if pattern is None:
        return []
    target = text if _is_cjk(phrase) else latin_view(text)
    return [m.span() for m in pattern.finditer(target)]


def find_any(text: str, phrases: Iterable[str]) -> list[re.Match[str]]:
    """Matches of any of `phrases` in `text`, left to right."""
    cjk, other = any_pattern(tuple(phrases))
    found = list(cjk.finditer(text)) if cjk else []
    found += list(other.finditer(latin_view(text))) if other else []
    return sorted(found, key=lambda m: m.start())


def contains_any(text: str, phrases: Iterable[str]) -> bool:
    cjk, other = any_pattern(tuple(phrases))
    return bool((cjk and cjk.search(text)) or (other and other.search(latin_view(text))))


def sentence_spans(text: str) -> list[Range]:
    """Spans of the sentences (and lines) of `text`, end punctuation included."""
    spans: list[Range] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start and text[start : match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def sentence_of(spans: list[Range], position: int) -> Range:
    """The sentence span that contains `position` (spans from `sentence_spans`)."""
    return next((s for s in spans if s[0] <= position < s[1]), (position, position))


def is_sentence_start(text: str, position: int) -> bool:
    """True when only spaces, quotes or brackets separate `position` from a sentence end."""
    i = position - 1
    while i >= 0 and ((text[i].isspace() and text[i] != "\n") or text[i] in "\"'«»“”„‘’([¿¡"):
        i -= 1
    return i < 0 or text[i] in _SENTENCE_START_BEFORE


def mask(text: str, spans: Iterable[Range]) -> str:
    """`text` with each span replaced by spaces (positions of the rest unchanged)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def placeholders(text: str) -> list[Range]:
    return [m.span() for m in PLACEHOLDER.finditer(text)]


def faq_answers(
    kb: KnowledgeBase, faq_ids: Iterable[str], languages: Iterable[str] | None
) -> list[str]:
    """Approved answers of the FAQ entries (in `languages`, or all), constants filled."""
    wanted = set(languages) if languages is not None else None
    constants = kb.constants()
    return [
        fill(text, constants)
        for faq_id in faq_ids
        if faq_id in kb.faq
        for language, text in kb.faq[faq_id].answers.items()
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


_CACHE: dict[tuple[int, Hashable], tuple[weakref.ref[Any], Any]] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_MAX = 4096


def per_kb(kb: KnowledgeBase, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per knowledge base and key (a loaded KnowledgeBase is not edited).

    Keyed by identity and held weakly, so a new or reloaded knowledge base starts afresh.
    """
    slot = (id(kb), key)
    with _CACHE_LOCK:
        cached = _CACHE.get(slot)
    if cached is not None and cached[0]() is kb:
        return cached[1]  # type: ignore[no-any-return]
    value = compute()
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[slot] = (weakref.ref(kb), value)
    return value
