"""Names do not make a language: "Do you ship to Kuala Lumpur and Penang?" is English.

lingua's n-grams, the Malay/Indonesian word lists and the romanised model all read
place and brand names as words: Malaysian places pull an English question to Malay,
"Johor Bahru" to romanised Hindi, "GrabPay or Boost" to Tagalog. `detect_language`
asks this module for the text without its names (capitalised words after the first,
`without_names`) and whether what is left is plain English (`plain_english`): an
English function word, at least `_MIN_WORDS` words, and no Malay, Indonesian, Hindi or
Tagalog marker word. If so, lingua's answer on the words that are left stands.
"""

from __future__ import annotations

import re

from assistant.language import romanised
from assistant.language.scripts import HINGLISH, TAGALOG_MARKERS

__all__ = ["plain_english", "without_names"]

_FRAME = "english_frame_words.txt"
_MALAY = "manglish_markers.txt"
_MSID_FUNCTION_WORDS = "msid_function_words.txt"
_MIN_WORDS = 3
_MALAY_WEIGHT = 1.0  # a Malay marker of this weight (not "lama", "pun"...) is Malay
_FIRST_LETTER = re.compile(r"[^\W\d_]")


def without_names(window: str) -> str | None:
    """The text without its capitalised words after the first, or None if it has none."""
    pieces = window.split()
    kept = pieces[:1] + [piece for piece in pieces[1:] if not _capitalised(piece)]
    return " ".join(kept) if len(kept) < len(pieces) else None


def plain_english(tokens: list[str]) -> bool:
    """Lower-cased words with an English frame and no marker word of the languages
    names get mistaken for."""
    frame = romanised.read_weights(_FRAME)
    if len(tokens) < _MIN_WORDS or not any(token in frame for token in tokens):
        return False
    malay = romanised.read_weights(_MALAY)
    function_words = romanised.read_weights(_MSID_FUNCTION_WORDS)
    return not any(
        malay.get(token, 0.0) >= _MALAY_WEIGHT
        or token in function_words
        or token in HINGLISH
        or token in TAGALOG_MARKERS
        for token in tokens
    )


def _capitalised(word: str) -> bool:
    first = _FIRST_LETTER.search(word)
    return first is not None and first.group().isupper()
