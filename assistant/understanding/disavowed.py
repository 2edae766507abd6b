"""Topics a customer names only to say they are not what they want.

"not after a refund or anything, genuinely just want to know where my rug is" asks
where the order is; read whole, "refund" ranks the refund entry first. A clause
opened by a disavowal word (`before`: "not after a", "no quiero devolver", "ga
minta") or closed by one in a verb-final language (`after`: "refund vaddu",
"Վերադարձնել ... չեմ ուզում") is blanked for retrieval, when a "just / only" word of
the same language (`only`) follows within the next clause: the "not X, just Y" shape.
Without it the disavowal may itself be the ask ("Plus vaddu" = cancel it), so nothing
is blanked. Blanks keep the text's length, so spans found later stay valid.

Data: data/understanding/disavowals.json (every language's cues are tried: the cue and
its "only" word must both be of one language).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from assistant.resources import data_json
from assistant.text import PhraseMatcher, find_any

DISAVOWALS_FILE = ("understanding", "disavowals.json")
#: Characters that end a clause (Latin, Arabic, Devanagari, CJK punctuation).
_BOUNDARY = frozenset(".,;:!?…\n،؛؟।。，、！？")
#: The "only" word must occur within this many characters after the clause.
REACH = 120
#: A disavowed clause is never longer than this (no boundary: nothing is blanked).
LONGEST = 90


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]:
    table: dict[str, dict[str, list[str]]] = data_json(*DISAVOWALS_FILE)["words"]
    return tuple((tuple(c["before"]), tuple(c["after"]), tuple(c["only"])) for c in table.values())


def _is_boundary(ch: str) -> bool:
    return ch in _BOUNDARY or unicodedata.category(ch) == "So"


def _clause_end(text: str, start: int) -> int | None:
    for i in range(start, min(len(text), start + LONGEST)):
        if _is_boundary(text[i]):
            return i
    return len(text) if len(text) - start <= LONGEST else None


def _clause_start(text: str, end: int) -> int | None:
    for i in range(end - 1, max(-1, end - 1 - LONGEST), -1):
        if _is_boundary(text[i]):
            return i + 1
    return 0 if end <= LONGEST else None


def disavowed_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each disavowed clause of `text` (see the module doc)."""
    spans: list[tuple[int, int]] = []
    for before, after, only in _cues():
        found = [
            (m.start(), end)
            for m in (find_any(text, before) if before else [])
            if (end := _clause_end(text, m.end())) is not None
        ]
        found += [
            (start, m.end())
            for m in (find_any(text, after) if after else [])
            if (start := _clause_start(text, m.start())) is not None
        ]
        spans += [s for s in found if _only(only).count(text[s[1] : s[1] + REACH])]
    return spans


@lru_cache(maxsize=64)
def _only(words: tuple[str, ...]) -> PhraseMatcher:
    return PhraseMatcher(words)


def without_disavowed(text: str) -> str:
    """`text` with its disavowed clauses blanked (same length)."""
    spans = disavowed_spans(text)
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
