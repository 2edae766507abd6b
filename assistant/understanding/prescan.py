"""Cheap tests that let the private-data scanner skip a pattern that cannot match.

A pattern that starts with a look-behind or ignores case cannot skip ahead to where a
match may start: the regex engine tries it at every position (0.2-5 ms on 20,000
characters each). Most texts lack what such a pattern needs (a run of four digits, a
"-" between digits, an "@", a cue word), and a search for that runs at C speed. Each
test is a necessary condition: a pattern is skipped only when no match is possible, so
skipping changes no answer (tests/test_pii.py runs every pattern to check).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

Match = re.Match[str]

#: Characters whose `str.lower()` differs from the case folding of `re.IGNORECASE`
#: ("İ".lower() is two characters; "ſ" matches "s"): where one occurs, a lowercase
#: substring test is no proof of absence. tests/test_pii.py recomputes the list.
CASE_TRAPS = frozenset(
    "\u00b5\u0130\u0131\u017f\u0345\u0390\u03b0\u03b2\u03b5\u03b8\u03b9\u03ba\u03bc\u03c0"
    "\u03c1\u03c2\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u0432\u0434\u043e"
    "\u0441\u0442\u044a\u0463\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88\u1e61"
    "\u1e9b\u1fbe\u1fd3\u1fe3\ua64b\ufb05\ufb06"
)


@lru_cache(maxsize=64)  # a few needs per text, the same text for every finder
def may_hold(text: str, need: str) -> bool:
    """Whether the regex `need` (something every match of a pattern contains) occurs."""
    return re.search(need, text) is not None


@lru_cache(maxsize=4)
def _lowered(text: str) -> tuple[str, bool]:
    return text.lower(), not CASE_TRAPS.isdisjoint(text)


def may_hold_phrase(text: str, phrases: Iterable[str]) -> bool:
    """Whether a case-insensitive regex starting with one of `phrases` may match: one of
    them occurs in the lowercased text (or a character defeats that test)."""
    lowered, traps = _lowered(text)
    return traps or any(phrase.lower() in lowered for phrase in phrases)


def lowered(text: str) -> str:
    """`text.lower()`, computed once for the finders that test cue words."""
    return _lowered(text)[0]


#: More starts than this and the regex engine's own scan is as quick as trying each one.
_MANY_STARTS = 400


def cue_matches(pattern: re.Pattern[str], text: str, phrases: Iterable[str]) -> Iterator[Match]:
    """`pattern.finditer(text)` for a pattern every match of which starts with one of
    `phrases` (ignoring case): the pattern is tried only where one of them starts in the
    lowercased text, not at every position."""
    lowered, traps = _lowered(text)
    starts = None if traps else _starts(lowered, _shortest(frozenset(p.lower() for p in phrases)))
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for start in starts:
        match = pattern.match(text, start) if start >= end else None
        if match:
            end = max(match.end(), start + 1)
            yield match


@lru_cache(maxsize=16)
def _shortest(phrases: frozenset[str]) -> tuple[str, ...]:
    """`phrases` without those that start with another one ("passport number" starts
    where "passport" does): the same start positions, fewer searches."""
    return tuple(p for p in sorted(phrases) if not any(p.startswith(q) for q in phrases - {p}))


def _starts(lowered: str, phrases: tuple[str, ...]) -> list[int] | None:
    """Every position where one of `phrases` starts, in order; None when there are too
    many to be worth trying one by one."""
    found: set[int] = set()
    for phrase in phrases:
        at = lowered.find(phrase)
        while at >= 0:
            found.add(at)
            if len(found) > _MANY_STARTS:
                return None
            at = lowered.find(phrase, at + 1)
    return sorted(found)
