"""Tokenisation that works across scripts, for lexical retrieval and cue matching.

Space-separated scripts give words (plus a short prefix, a cheap stem that helps
agglutinative languages such as Telugu, Armenian and Malay); Han and kana, written
without spaces, give overlapping character bigrams.
"""

from __future__ import annotations

import re
import unicodedata

# Python's \w misses combining marks (Indic vowel signs, Arabic harakat, ZWJ/ZWNJ), which
# would split "ఆర్డర్" into pieces; MARKS adds them back to letters.
MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff\u0e00-\u0e7f\u200c\u200d"
LETTER = rf"(?:[^\W\d_]|[{MARKS}])"
_WORD = re.compile(rf"{LETTER}+(?:['’]{LETTER}+)?|\d+", re.UNICODE)
_NOT_BEFORE = rf"(?<![\w{MARKS}])"
_NOT_AFTER = rf"(?![\w{MARKS}])"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
PREFIX = 5


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
    pattern = (re.escape(needle) if _CJK.search(needle)
               else rf"{_NOT_BEFORE}{re.escape(needle)}{_NOT_AFTER}")
    match = re.search(pattern, text, flags=re.IGNORECASE)
    return (match.start(), match.end()) if match else None
