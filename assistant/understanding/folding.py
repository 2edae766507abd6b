"""Fold look-alike writing into one form before pattern matching, keeping the way back.

Hostile or merely unusual text hides what patterns look for: full-width letters and
digits ("ｉｇｎｏｒｅ", "４１１１"), the full-width at sign ("jane＠example.com"),
zero-width and bidi characters inside words ("ig\u200bnore"), digits of other scripts
("৪১১১"), and runs of spaces or line breaks. `fold()` returns the folded text with, for
every folded character, the span of the original characters it came from (the
`Folded` of `assistant.text`, whose own `fold` normalises case and vowel points for
phrase matching), so a match in the folded text maps back to what the customer wrote.

Folding is one linear pass; text that needs none is returned as is without a copy.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache

from assistant.text import Folded

#: Invisible characters removed outright: zero-width space/joiners, word joiner,
#: bidi marks and embeddings, soft hyphen, BOM, Mongolian vowel separator.
INVISIBLE = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


def _fold_char(char: str, casefold: bool) -> str:
    if char in INVISIBLE:
        return ""
    if char.isdecimal() and not char.isascii():
        return str(unicodedata.decimal(char))
    folded = unicodedata.normalize("NFKC", char)
    return folded.casefold() if casefold else folded


def _needs_folding(text: str, casefold: bool, spaces: bool) -> bool:
    if casefold or not (text.isascii() or unicodedata.is_normalized("NFKC", text)):
        return True
    if spaces and _SPACES.search(text):  # a doubled space, or white space other than " "
        return True
    return not text.isascii() and _SPECIAL.search(text) is not None


_CHUNK = 128
#: Characters a chunk must not hold to be copied as is: invisible ones, digits of other
#: scripts (and, when spaces are folded, doubled or non-" " white space).
_SPECIAL = re.compile("[" + "".join(sorted(INVISIBLE)) + r"]|[^\D0-9]")
_SPACES = re.compile(r"\s\s|[^\S ]")


@lru_cache(maxsize=16)  # a suggestion folds the same message and drafts many times
def fold(text: str, *, casefold: bool = False, spaces: bool = False) -> Folded:
    """NFKC, ASCII digits and no invisible characters; `casefold` and `spaces` (every
    run of white space becomes one " ", or one line break if it holds one) on request.

    Chunks that need nothing are copied whole, so ordinary text of any script folds at
    C speed; only the characters around something to fold go through Python.
    """
    if not _needs_folding(text, casefold, spaces):
        return Folded(text)
    out: list[str] = []
    starts: array[int] = array("i")
    ends: array[int] = array("i")
    for offset in range(0, len(text), _CHUNK):
        chunk = text[offset : offset + _CHUNK]
        if _plain(chunk, casefold, spaces, out):
            out.append(chunk)
            starts.extend(range(offset, offset + len(chunk)))
            ends.extend(range(offset + 1, offset + len(chunk) + 1))
        else:
            _fold_chars(chunk, offset, casefold, spaces, (out, starts, ends))
    return Folded("".join(out), starts, ends)


def _plain(chunk: str, casefold: bool, spaces: bool, out: list[str]) -> bool:
    if casefold or _SPECIAL.search(chunk) or not unicodedata.is_normalized("NFKC", chunk):
        return False
    joins_a_space = chunk[:1] == " " and bool(out) and out[-1][-1:] in " \n"
    return not (spaces and (_SPACES.search(chunk) or joins_a_space))


def _fold_chars(
    chunk: str,
    offset: int,
    casefold: bool,
    spaces: bool,
    into: tuple[list[str], array[int], array[int]],
) -> None:
    out, starts, ends = into
    for index, char in enumerate(chunk, start=offset):
        piece = _fold_char(char, casefold)
        if spaces and piece.isspace():
            piece = "\n" if "\n" in piece else " "
            last = out[-1][-1:] if out else ""
            if last and last in " \n":
                merged = "\n" if "\n" in (last, piece) else " "
                out[-1] = out[-1][:-1] + merged
                ends[-1] = index + 1
                continue
        for part in piece:
            out.append(part)
            starts.append(index)
            ends.append(index + 1)
