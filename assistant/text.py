"""Tokenisation that works across scripts, for lexical retrieval and cue matching.

Space-separated scripts give words (plus a short prefix, a cheap stem that helps
agglutinative languages such as Telugu, Armenian and Malay); Han and kana, written
without spaces, give overlapping character bigrams. For retrieval, `index_tokens` adds
character trigrams of longer words, which survive typos, inflection and the many
spellings of romanised Hindi, Bengali or Armenian ("pativers", "patvers").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Python's \w misses combining marks (Indic vowel signs, Arabic harakat, ZWJ/ZWNJ), which
# would split "ఆర్డర్" into pieces; MARKS adds them back to letters.
# (U+0964/U+0965, the danda, is punctuation: "धन्यवाद।" must still match "धन्यवाद".)
MARKS = (
    "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0963\u0966-\u0dff"
    "\u0e00-\u0e7f\u200c\u200d"
)
LETTER = rf"(?:[^\W\d_]|[{MARKS}])"
_WORD = re.compile(rf"{LETTER}+(?:['’]{LETTER}+)?|\d+", re.UNICODE)
_NOT_BEFORE = rf"(?<![\w{MARKS}])"
_NOT_AFTER = rf"(?![\w{MARKS}])"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
PREFIX = 5
GRAM = 3
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+|[\w.+-]+@[\w-]+\.[\w.]+|[\d+()#-][\d\s()+-]{4,}")


def searchable(text: str) -> str:
    """The text without URLs, @handles, #tags, emails and long numbers: they carry no
    intent, and an order or phone number would only pull in unrelated entries."""
    cleaned = _NOISE.sub(" ", text[:2000])
    return cleaned if cleaned.strip() else text[:2000]


def normalize(text: str) -> str:
    """NFKC + casefold: full-width forms, ligatures and case stop mattering."""
    return unicodedata.normalize("NFKC", text).casefold()


def _cjk_grams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> list[str]:
    """Lexical tokens of `text`: words, word prefixes, and CJK bigrams."""
    text = normalize(text)
    out: list[str] = []
    for run in _CJK.findall(text):
        out += _cjk_grams(run)
    for word in _WORD.findall(_CJK.sub(" ", text)):
        out.append(word)
        if len(word) > PREFIX + 1 and not word.isdigit():
            out.append(word[:PREFIX] + "~")
    return out


def index_tokens(text: str) -> list[str]:
    """`tokens` plus `#`-marked character trigrams of words of four letters or more."""
    out = tokens(text)
    for word in _WORD.findall(_CJK.sub(" ", normalize(text))):
        if len(word) > GRAM and not word.isdigit():
            out += ["#" + word[i : i + GRAM] for i in range(len(word) - GRAM + 1)]
    return out


def contains_phrase(text: str, phrase: str) -> bool:
    """Whole-word (or, for CJK, substring) match of `phrase` in `text`, case-insensitive."""
    text, phrase = normalize(text), normalize(phrase).strip()
    if not phrase:
        return False
    if _CJK.search(phrase):
        return phrase in text
    return re.search(rf"{_NOT_BEFORE}{re.escape(phrase)}{_NOT_AFTER}", text) is not None


def find_phrase(text: str, phrase: str) -> tuple[int, int] | None:
    """Span of the first whole-word match of `phrase` in `text` (same length after casefold)."""
    needle = phrase.strip()
    if not needle:
        return None
    pattern = (
        re.escape(needle)
        if _CJK.search(needle)
        else rf"{_NOT_BEFORE}{re.escape(needle)}{_NOT_AFTER}"
    )
    match = re.search(pattern, text, flags=re.IGNORECASE)
    return (match.start(), match.end()) if match else None


class PhraseMatcher:
    """Many phrases matched at once, with `contains_phrase` rules (one compiled regex).

    Checking a message against hundreds of cue words one `re.search` at a time costs
    milliseconds and thrashes the `re` cache; one alternation costs microseconds.
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        cleaned = {normalize(p).strip() for p in phrases}
        ordered = sorted((p for p in cleaned if p), key=len, reverse=True)  # longest wins
        words = "|".join(re.escape(p) for p in ordered if not _CJK.search(p))
        cjk = "|".join(re.escape(p) for p in ordered if _CJK.search(p))
        parts = ([f"{_NOT_BEFORE}(?:{words}){_NOT_AFTER}"] if words else []) + (
            [f"(?:{cjk})"] if cjk else []
        )
        self._pattern = re.compile("|".join(parts)) if parts else None

    def found(self, text: str) -> set[str]:
        """The distinct phrases (normalised) that occur in `text`."""
        if self._pattern is None:
            return set()
        return {m.group() for m in self._pattern.finditer(normalize(text))}

    def count(self, text: str) -> int:
        return len(self.found(text))
