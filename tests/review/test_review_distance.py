"""Normalised Levenshtein distance by code point, against a plain dynamic programme."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.review import edit_distance
from assistant.review.distance import levenshtein


def reference(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            substitution = previous[j - 1] + (char_a != char_b)
            current.append(min(previous[j] + 1, current[j - 1] + 1, substitution))
        previous = current
    return previous[-1]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("", "", 0.0),
        ("abc", "abc", 0.0),
        ("abc", "", 1.0),
        ("", "xyz", 1.0),
        ("kitten", "sitting", 3 / 7),
        ("flaw", "lawn", 2 / 4),
        ("你好世界", "你好", 2 / 4),  # one CJK character is one edit
        ("您的订单已发货", "你的订单已发货", 1 / 7),
        ("Բարև", "Բարի", 1 / 4),  # Armenian, one letter substituted
        ("Ձեր պատվերը ճանապարհին է", "Ձեր պատվերը ճանապարհին է։", 1 / 25),
        ("ধন্যবাদ", "ধন্যবাদ!", 1 / 8),  # Bengali with combining vowel signs
        ("😀 ok", "😃 ok", 1 / 4),  # astral-plane code points count once
    ],
)
def test_known_values(a: str, b: str, expected: float) -> None:
    assert edit_distance(a, b) == pytest.approx(expected)


def test_canonically_equal_texts_are_identical() -> None:
    composed = "café"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert edit_distance(composed, decomposed) == 0.0


def test_symmetric_and_bounded() -> None:
    assert edit_distance("Hola Ana", "Hola, Ana!") == edit_distance("Hola, Ana!", "Hola Ana")
    assert 0.0 <= edit_distance("a" * 300, "b" * 5) <= 1.0


def test_long_texts_beyond_a_machine_word() -> None:
    a = "Ձեր պատվերը ճանապարհին է. " * 40
    b = a.replace("ճանապարհին", "առաքված", 7)
    assert levenshtein(a, b) == reference(a, b)


@given(st.text(alphabet="abéå你ب ", max_size=20), st.text(alphabet="abéå你ب ", max_size=20))
def test_matches_reference(a: str, b: str) -> None:
    assert levenshtein(a, b) == reference(a, b)
