"""Helpers shared by the checks: whole words in every script, digits, sentences."""

from __future__ import annotations

import pytest

from assistant.checks._text import (
    ascii_digits,
    contains_any,
    find_all,
    is_sentence_start,
    sentence_spans,
)


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("धन्यवाद।", "धन्यवाद", [(0, 7)]),  # the danda is punctuation, not part of the word
        ("तुम्हारा", "तुम", []),  # a virama continues the word
        ("ఆర్డర్‌ను", "ఆర్డర్", []),  # so does ZWNJ
        ("ఆర్డర్‌ను", "ఆర్డర్*", [(0, 9)]),  # a prefix takes the rest of the word
        ("ご注文番号をDMにて", "DM", [(6, 8)]),  # Han and kana are not letters of "DM"
        ("ADMIN", "DM", []),
        ("no  worries", "No worries", [(0, 11)]),  # any run of spaces
        ("亲爱的", "亲", [(0, 1)]),  # Han matches as a substring
    ],
)
def test_whole_word_search_in_every_script(
    text: str, phrase: str, expected: list[tuple[int, int]]
) -> None:
    assert find_all(text, phrase) == expected


def test_case_sensitive_search() -> None:
    assert find_all("Sie und sie", "Sie", case_sensitive=True) == [(0, 3)]
    assert contains_any("SORRY!", ("sorry",)) and not contains_any("sorryful", ("sorry",))


def test_native_digits_become_ascii_one_for_one() -> None:
    text = "३-५ ৩ ૩ ౩ ٣٫٥٪ ３～５"
    assert ascii_digits(text) == "3-5 3 3 3 3.5% 3~5"
    assert len(ascii_digits(text)) == len(text)


def test_sentences_and_sentence_starts() -> None:
    text = "Hallo Anna,\nwir sind da. Sie auch? 4.99 € — ok。次"
    starts = [text[s:e].strip() for s, e in sentence_spans(text)]
    assert starts == ["Hallo Anna,", "wir sind da.", "Sie auch?", "4.99 € — ok。", "次"]
    assert is_sentence_start(text, text.index("Sie")) and is_sentence_start(text, 0)
    assert not is_sentence_start(text, text.index("Anna"))
