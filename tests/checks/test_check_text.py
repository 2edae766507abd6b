"""The one text matcher (assistant.text): whole words in every script the brands write,
spans in the original text, digits, sentences. Analysis and checks both use it."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from assistant.checks import _text as checks_text
from assistant.text import (
    PhraseMatcher,
    ascii_digits,
    contains_any,
    contains_phrase,
    find_all,
    find_any,
    fold,
    is_sentence_start,
    sentence_spans,
)


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        # Latin, with case, full-width letters, ß and runs of spaces
        ("ＲＥＦＵＮＤ now", "refund", [(0, 6)]),
        ("Straße 12", "STRASSE", [(0, 6)]),
        ("no  worries", "No worries", [(0, 11)]),
        ("ADMIN", "DM", []),
        ("refunded twice", "refund*", [(0, 8)]),
        # Devanagari: the danda is punctuation, a virama continues the word
        ("धन्यवाद।", "धन्यवाद", [(0, 7)]),
        ("तुम्हारा", "तुम", []),
        ("फ़्री", "फ़्री", [(0, 5)]),  # nukta precomposed (U+095E) vs decomposed
        # Bengali: a vowel sign continues the word; split vowel signs compose
        ("মোবাইল", "মোবা", []),
        ("ধন্যবাদ।", "ধন্যবাদ", [(0, 7)]),
        ("\u0995\u09c7\u09be", "\u0995\u09cb", [(0, 3)]),  # ে + া written apart is ো
        # Gujarati and Telugu: ZWNJ continues the word, a prefix takes the rest
        ("આભાર!", "આભાર*", [(0, 4)]),
        ("ఆర్డర్‌ను", "ఆర్డర్", []),
        ("ఆర్డర్‌ను", "ఆర్డర్*", [(0, 9)]),
        # Armenian
        ("Շնորհակալություն", "շնորհակալ*", [(0, 16)]),
        ("Բարև Անի", "բարև", [(0, 4)]),
        # Arabic: harakat and tatweel are optional
        ("شكراً جزيلاً", "شكرا", [(0, 5)]),
        ("طلـــبك", "طلبك", [(0, 7)]),
        ("مع السلامة", "سلام", []),
        # Arabic letter variants: the alif with or without hamza, final yaa, taa marbuta
        ("ينفع أرجعه؟", "ارجعه", [(5, 10)]),
        ("ابي ارجعه", "أرجعه", [(4, 9)]),
        ("وصلت مكسوره", "مكسورة", [(5, 11)]),
        ("فى الطريق", "في", [(0, 2)]),
        # Hebrew: niqqud is optional, letters inside a longer word do not match
        ("שלום, תודה רבה!", "תודה", [(6, 10)]),
        ("תּוֹדָה רבה", "תודה", [(0, 7)]),
        ("תודהרבה", "תודה", []),
        # Cyrillic
        ("Спасибо большое", "спасибо", [(0, 7)]),
        ("Спасибочки", "спасибо", []),
        ("возврат денег", "возврат*", [(0, 7)]),
        ("Пре\u0483дмет", "пре", []),  # a combining titlo is part of the word
        # Han and kana (full and half width) match as substrings
        ("亲爱的", "亲", [(0, 1)]),
        ("ご注文番号をDMにて", "DM", [(6, 8)]),  # Han and kana are not letters of "DM"
        ("ｶｽﾀﾏｰｻﾎﾟｰﾄ", "サポート", [(5, 10)]),  # spans count the half-width characters
        ("ｺﾞ注文", "ゴ注文", [(0, 4)]),  # the voiced mark composes with its kana
        ("返金はﾑﾘです", "無理", []),
    ],
)
def test_whole_word_search_in_every_script(
    text: str, phrase: str, expected: list[tuple[int, int]]
) -> None:
    assert find_all(text, phrase) == expected
    assert contains_phrase(text, phrase) == bool(expected)


def test_spans_point_into_the_original_text() -> None:
    text = "Ｔｈａｎｋｓ ｶﾞﾝﾊﾞﾘます and شكراً"
    found = find_any(text, ("thanks", "ガンバリ", "شكرا"))
    assert [m.group() for m in found] == ["Ｔｈａｎｋｓ", "ｶﾞﾝﾊﾞﾘ", "شكراً"]
    folded = fold(text)
    assert len(folded.text) < len(text)  # voiced marks compose, harakat go


def test_traditional_chinese_matches_simplified_words_and_keeps_spans() -> None:
    """Hong Kong and Taiwan customers write Traditional Han: a Simplified cue or topic
    word finds it (and the reverse), and the span is the customer's own characters."""
    text = "請問需要另外付關稅嗎？"
    assert contains_phrase(text, "关税")
    assert contains_phrase("需要付关税吗", "關稅")
    start, end = find_all(text, "关税")[0]
    assert text[start:end] == "關稅"
    assert not contains_phrase("需要付关税吗", "运费")


def test_a_han_phrase_opening_with_a_digit_matches_after_kana() -> None:
    """'2回' and '2次' are written straight after kana or Han ("金額が2回計上"): only a
    digit or letter of another script before or after them is a word boundary."""
    assert contains_phrase("同じ金額が2回計上されております", "2回")
    assert contains_phrase("扣了2次钱", "2次")
    assert not contains_phrase("12回払い", "2回")
    assert not contains_phrase("a2回", "2回")
    assert [m.group() for m in find_any("が2回と3天", ("2回", "3天"))] == ["2回", "3天"]


def test_case_sensitive_search() -> None:
    assert find_all("Sie und sie", "Sie", case_sensitive=True) == [(0, 3)]
    assert contains_any("SORRY!", ("sorry",)) and not contains_any("sorryful", ("sorry",))


def test_analysis_and_checks_share_the_matcher() -> None:
    assert checks_text.find_any is find_any and checks_text.contains_any is contains_any
    phrases = ["fed up", "refund*", "شكرا", "サポート", "תודה", "спасибо"]
    text = "FED  UP, refunds? شكراً ｻﾎﾟｰﾄ תּוֹדָה Спасибо"
    assert PhraseMatcher(phrases).found(text) == {
        "fed up",
        "refund",
        "شكرا",
        "サポート",
        "תודה",
        "спасибо",
    }
    assert {p for p in phrases if contains_phrase(text, p)} == set(phrases)


@pytest.mark.parametrize(
    "text",
    ["a." * 10_000, "refun" * 4_000, "ｶﾞ" * 10_000, "ــ" * 10_000, "ab " * 6_666],
)
def test_matching_is_linear_on_adversarial_text(text: str) -> None:
    """Ten times the text takes about ten times as long (a quadratic shape: a hundred).

    A ratio of two timings taken in the same run, best of three, so a busy machine slows
    both alike; speed itself is measured in benchmarks, not here.
    """
    phrases = ("refund*", "a a a", "money back", "ガ", "شكرا", "order number*")
    find_any(text[:10], phrases)  # compile once
    tenth = _best_time(lambda: find_any(text[: len(text) // 10], phrases))
    whole = _best_time(lambda: find_any(text, phrases))
    assert whole / max(tenth, 5e-3) < 40  # floor: a tenth can take under a millisecond


def _best_time(call: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


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
