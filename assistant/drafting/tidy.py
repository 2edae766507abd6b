"""No sentence or ask twice in one reply.

    distinct(parts)     # drops a part that repeats an earlier one

Two parts repeat each other when their text is the same, or when they are both
feelings lines (elapsed time, empathy, apology) that open with the same words
("Sentimos muito que…" twice), or both ask for the same thing (take-private and
clarify lines are asks; only the first stays).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol, TypeVar

from assistant.text import normalize, tokens

FEELINGS = frozenset({"elapsed", "empathy", "apology"})
OPENING_WORDS = 2
OPENING_CHARS = 6  # scripts written without spaces: compare the first characters


class _Part(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def text(self) -> str: ...


P = TypeVar("P", bound=_Part)


@lru_cache(maxsize=2048)
def opening(text: str) -> str:
    """The first words (or, in CJK, characters) of a line, normalised (kept: every draft
    of a suggestion opens the same lines and answers again)."""
    words = [t for t in tokens(text) if not t.endswith("~")]
    if len(words) >= OPENING_WORDS and all(len(w) > 2 for w in words[:OPENING_WORDS]):
        return " ".join(words[:OPENING_WORDS])
    return normalize(text).replace(" ", "")[:OPENING_CHARS]


def distinct(parts: Sequence[P]) -> list[P]:
    """`parts` without the ones that repeat an earlier part (see the module doc)."""
    seen_text: set[str] = set()
    # A feelings line that opens like another part (the answer's own "Sentimos muito")
    # repeats it, wherever that part stands.
    seen_openings = {opening(p.text) for p in parts if p.key not in FEELINGS and p.text}
    kept: list[P] = []
    for part in parts:
        text = normalize(part.text).strip()
        if text and text in seen_text:
            continue
        if part.key in FEELINGS:
            start = opening(part.text)
            if start in seen_openings:
                continue
            seen_openings.add(start)
        seen_text.add(text)
        kept.append(part)
    return kept
