"""Spot instructions injected into a customer message ("ignore previous instructions").

The message is always treated as data; these markers are shown to the agent, carried
into the LLM prompt as a warning, and used by a check that flags drafts echoing them.

The phrases, in every language of the sample brand, are data
(assistant/data/injection/markers.txt, checked by assistant/knowledge/word_files.py).
They are matched on folded text, so full-width letters, zero-width characters, doubled
spaces and Cyrillic look-alikes do not hide them; every marker's span points into the original text.
"""

from __future__ import annotations

import re
from functools import cache

from assistant.knowledge.word_files import injection_markers
from assistant.types import InjectionMarker, Span
from assistant.understanding.folding import fold

#: Cyrillic and Greek letters that look like Latin ones ("ignоre" with a Cyrillic о).
LOOK_ALIKES = str.maketrans(
    "аеорсухіјѕԁһӏАВЕКМНОРСТХІЈЅαεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhlABEKMHOPCTXIJSaeiknoptuxABEHIKMNOPTYX",
)


def marker_patterns() -> dict[str, tuple[str, ...]]:
    """The marker patterns by language, from the bundled data file (validated)."""
    return injection_markers()


@cache
def _injection() -> tuple[re.Pattern[str], ...]:
    # One regex per phrase: each starts with a literal the engine skips to, which one
    # alternation of a hundred phrases would not (measured: 15 ms against 100 ms on
    # 20,000 characters).
    return tuple(
        re.compile(pattern, re.IGNORECASE)
        for patterns in marker_patterns().values()
        for pattern in patterns
    )


def find_injection(text: str) -> list[InjectionMarker]:
    """Phrases in `text` that try to instruct the assistant, with their spans, in order;
    of overlapping phrases the first and longest is kept."""
    folded = fold(text, spaces=True)
    searched = folded.text.translate(LOOK_ALIKES)
    found = sorted(
        (m.start(), -m.end()) for pattern in _injection() for m in pattern.finditer(searched)
    )
    markers: list[InjectionMarker] = []
    reached = 0
    for folded_start, negative_end in found:
        if folded_start < reached:
            continue
        reached = -negative_end
        start, end = folded.span(folded_start, reached)
        start += len(text[start:end]) - len(text[start:end].lstrip())
        if end > start:
            markers.append(InjectionMarker(text=text[start:end], span=Span(start=start, end=end)))
    return markers


def injected_instruction(text: str, marker: InjectionMarker) -> str:
    """The instruction that follows a marker, up to the end of its sentence."""
    rest = text[marker.span.end :]
    end = re.search(r"[.!?\n。！？]", rest)
    return rest[: end.start()].strip(" ,:;-") if end else rest.strip(" ,:;-")
