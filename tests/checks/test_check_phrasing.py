"""phrasing.banned (brand.yaml) and phrasing.avoid (locale pack): whole words, any script."""

from __future__ import annotations

import pytest

from assistant.checks import PhrasingCheck
from assistant.knowledge import KnowledgeBase
from tests.checks.checks_support import findings, make_context

CHECK = PhrasingCheck()


@pytest.mark.parametrize(
    ("language", "text", "phrase"),
    [
        ("en", "Please CALM DOWN, we are on it.", "CALM DOWN"),
        ("en", "No worries, it ships soon.", "No worries"),
        ("de", "Wie gesagt: per our policy geht das nicht.", "per our policy"),
        ("hi", "यह 100% guaranteed है।", "100% guaranteed"),
    ],
)
def test_a_banned_phrase_blocks(kb: KnowledgeBase, language: str, text: str, phrase: str) -> None:
    found = findings(CHECK, text, make_context(kb, language))
    assert [(f.id, f.severity) for f in found] == [("phrasing.banned", "block")]
    span = found[0].span
    assert span is not None and text[span.start : span.end] == phrase


@pytest.mark.parametrize(
    ("language", "text", "phrase"),
    [
        ("en", "Hang tight, it's a piece of cake!", "Hang tight"),
        ("de", "Kein Stress, wir melden uns.", "Kein Stress"),
        ("fr", "Pas de souci, on s'en occupe.", "Pas de souci"),
        ("hi", "यार, हम देख रहे हैं।", "यार"),
        ("hy", "Ջան, մենք կստուգենք։", "Ջան"),
        ("zh", "亲，我们马上处理。", "亲"),
        ("ms", "Tak payah risau, kami bantu.", "Tak payah risau"),
    ],
)
def test_slang_the_locale_pack_avoids_warns(
    kb: KnowledgeBase, language: str, text: str, phrase: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language))
    assert {f.severity for f in found} == {"warn"} and {f.id for f in found} == {"phrasing.avoid"}
    span = found[0].span
    assert span is not None and text[span.start : span.end] == phrase


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "We'll calmly look into your gonnabe-order."),  # no whole-word match
        ("de", "Der Alters-Nachweis? Die Sendung ist unterwegs."),  # 'Alter' inside a compound
        ("hi", "हमारे यारों ने"),  # 'यार' inside a longer word
        ("fr", "Votre commande est en route, merci de votre patience."),
        ("hy", "Ջանքեր ենք գործադրում։"),  # 'Ջան' starts a longer word
        ("ja", "ご注文の商品は発送済みです。"),
    ],
)
def test_words_inside_other_words_do_not_count(kb: KnowledgeBase, language: str, text: str) -> None:
    assert findings(CHECK, text, make_context(kb, language)) == []


def test_the_approved_answer_may_use_a_listed_word_in_its_plain_sense(kb: KnowledgeBase) -> None:
    answer = kb.answer("double-charge", "ja")
    assert answer is not None and "的な" in answer  # "一時的な" is plain Japanese
    found = findings(CHECK, answer, make_context(kb, "ja"), citations=("double-charge",))
    assert found == []
    assert findings(CHECK, "技術的な問題です。", make_context(kb, "ja"))  # not approved: flagged
