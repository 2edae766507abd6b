"""One phrase alone is matched without compiling its boundary classes (every message
brings a new customer name): the spans must be exactly those of the bounded pattern
that a list of phrases compiles to."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import text as matcher
from assistant.text import contains_any, find_all, fold, latin_view


def _bounded(text: str, phrase: str, case: bool) -> list[tuple[int, int]]:
    """The spans the compiled pattern of `(phrase,)` finds (the multi-phrase path)."""
    cjk, other = matcher._compiled((phrase,), case)
    folded = fold(text, case)
    spans = [m.span() for m in cjk.finditer(folded.text)] if cjk else []
    spans += [m.span() for m in other.finditer(latin_view(folded.text))] if other else []
    return [folded.span(*span) for span in sorted(spans)]


CASES = [
    ("aaa aa", "aa"),  # fails the end boundary at 0 and 1, matches at 4
    ("xaa aa", "aa"),  # fails the start boundary, then matches
    ("xa-a-a ", "a-a"),  # fails at 1; the match at 3 overlaps the failed one
    ("refunds refunded refund", "refund*"),
    ("refunds refunded refund", "refund"),
    ("no   worries, no worries", "No worries"),
    ("Straße STRASSE strasse", "straße"),
    ("ఆర్డర్‌ను ఆర్డర్ ఆర్డర్", "ఆర్డర్"),
    ("番号をDMにてDMDM", "DM"),
    ("ご注文ありがとうございます", "ありがとう"),
    ("Sie sagen, Sie", "Sie"),
    ("#tag #tag#tag", "#tag"),
    ("a.b a.b.", "a.b."),
    ("", "x"),
    ("text", "   "),
    ("שלום, תודה רבה! תודהרבה", "תודה"),
    ("Բարև Անի, բարևներ", "բարև*"),
]


@pytest.mark.parametrize(("text", "phrase"), CASES)
@pytest.mark.parametrize("case", [True, False])
def test_one_phrase_finds_what_its_bounded_pattern_finds(
    text: str, phrase: str, case: bool
) -> None:
    assert find_all(text, phrase, case_sensitive=not case) == _bounded(text, phrase, case)
    if case:
        assert contains_any(text, [phrase]) == bool(_bounded(text, phrase, case))


_ALPHABET = "aAb ßs.-'*\u0301\u200cआ्त番DM"


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=_ALPHABET, max_size=24),
    phrase=st.text(alphabet=_ALPHABET, min_size=1, max_size=5),
    case=st.booleans(),
)
def test_one_phrase_matches_like_the_compiled_pattern_on_any_text(
    text: str, phrase: str, case: bool
) -> None:
    assert find_all(text, phrase, case_sensitive=not case) == _bounded(text, phrase, case)
