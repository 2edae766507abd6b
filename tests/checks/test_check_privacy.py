"""privacy.*: no personal data in a public reply, and requests for it move to a DM."""

from __future__ import annotations

import pytest

from assistant.checks import PrivacyCheck
from assistant.knowledge import KnowledgeBase, fill
from tests.checks.checks_support import LANGUAGES, findings, ids, make_context

CHECK = PrivacyCheck()

POSTED = [
    ("en", "Hi Anna, your order NH-204518 is on its way.", "NH-204518"),
    ("de", "Hallo, wir haben Ihre Bestellung #5532198 gefunden.", "#5532198"),
    ("ja", "NH-204518のご注文を確認しました。", "NH-204518"),
    ("hi", "आपका ऑर्डर NH-204518 भेज दिया गया है।", "NH-204518"),
    ("es", "Hola, te escribimos a ana.perez@gmail.com.", "ana.perez@gmail.com"),
    ("ms", "Kami akan hubungi anda di +60 12-345 6789 esok.", "+60 12-345 6789"),
]


@pytest.mark.parametrize(("language", "text", "datum"), POSTED)
def test_personal_data_in_a_public_reply_blocks(
    kb: KnowledgeBase, language: str, text: str, datum: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language, channel="twitter"))
    assert [(f.id, f.severity) for f in found] == [("privacy.data_in_public", "block")]
    span = found[0].span
    assert span is not None and text[span.start : span.end] == datum


@pytest.mark.parametrize(("language", "text", "datum"), POSTED)
def test_personal_data_in_a_private_reply_is_fine(
    kb: KnowledgeBase, language: str, text: str, datum: str
) -> None:
    assert findings(CHECK, text, make_context(kb, language, channel="messenger")) == []


@pytest.mark.parametrize(
    ("language", "text", "asked"),
    [
        ("en", "Can you reply with your order number and home address?", "order number"),
        ("de", "Nennen Sie uns bitte hier Ihre Bestellnummer.", "Bestellnummer"),
        ("hi", "कृपया अपना ऑर्डर नंबर यहाँ लिखें।", "ऑर्डर नंबर"),
        ("ja", "注文番号を教えてください。", "注文番号"),
        ("hy", "Խնդրում ենք գրել Ձեր պատվերի համարը։", "պատվերի համարը"),
        ("te", "దయచేసి మీ ఫోన్ నంబర్‌ను ఇక్కడ రాయండి.", "ఫోన్ నంబర్‌ను"),
    ],
)
def test_asking_for_personal_data_in_public_warns(
    kb: KnowledgeBase, language: str, text: str, asked: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language, channel="facebook"))
    assert [(f.id, f.severity) for f in found] == [("privacy.request_in_public", "warn")]
    span = found[0].span
    assert span is not None and text[span.start : span.end] == asked
    assert "DM" in found[0].message


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_take_private_and_warning_lines_are_correct_behaviour(
    kb: KnowledgeBase, language: str
) -> None:
    lines = kb.locale(language).lines
    text = " ".join(
        fill(line, {"channel": "DM"}) for line in (lines.private_data_warning, lines.take_private)
    )
    assert findings(CHECK, text, make_context(kb, language, channel="twitter")) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Could you DM us your order number?"),
        ("es", "Escríbenos por mensaje privado con tu número de pedido."),
        ("ms", "Sila hantar nombor pesanan anda melalui WhatsApp."),
        ("zh", "请通过私信把订单号发给我们。"),
        ("ar", "يرجى إرسال رقم الطلب عبر الرسائل الخاصة."),
    ],
)
def test_a_request_that_moves_to_a_private_channel_passes(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    assert findings(CHECK, text, make_context(kb, language, channel="twitter")) == []


def test_the_approved_answer_may_mention_data_and_numbers(kb: KnowledgeBase) -> None:
    for language in ("en", "hi", "de"):
        answer = kb.answer("order-status", language)
        assert answer is not None
        context = make_context(kb, language, channel="twitter")
        assert findings(CHECK, answer, context, citations=("order-status",)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Hi Ana, your password: sunshine works again – Nimbus Care",
        "Hi Ana, we wrote to jane＠example.com – Nimbus Care",
        "Hi Ana, your card ４１１１ １１１１ １１１１ １１１１ is refunded – Nimbus Care",
    ],
)
def test_private_data_without_ascii_digits_or_at_is_still_found(
    kb: KnowledgeBase, text: str
) -> None:
    found = findings(CHECK, text, make_context(kb, "en", channel="twitter"))
    assert "privacy.data_in_public" in ids(found)
