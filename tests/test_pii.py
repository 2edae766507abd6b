"""Private data: order numbers, phones, emails, cards (Luhn), IBANs, addresses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.knowledge import load_knowledge_base
from assistant.understanding.private_data import find_private_data, iban_valid, luhn_valid


def found(text: str, language: str = "en") -> list[tuple[str, str]]:
    return [(d.kind, d.text) for d in find_private_data(text, language)]


@pytest.mark.parametrize(
    ("text", "language", "order"),
    [
        ("注文番号はNH-204518です", "ja", "NH-204518"),
        ("我的订单号NH204518还没到", "zh", "NH204518"),
        ("pedido NH 204518 no llega", "es", "NH 204518"),
        ("order #4829130 is late", "en", "#4829130"),
        ("ऑर्डर # 5529104 कहाँ है", "hi", "# 5529104"),
        ("my order number 48291302 please", "en", "48291302"),
    ],
)
def test_order_numbers(text: str, language: str, order: str) -> None:
    assert ("order_number", order) in found(text, language)


@pytest.mark.parametrize(
    ("text", "language", "phone"),
    [
        ("call me on +91 98765 43210", "hi", "+91 98765 43210"),
        ("నా నంబర్ 98480 12345 కి కాల్ చేయండి", "te", "98480 12345"),
        ("tolong call sy 012-345 6789", "ms", "012-345 6789"),
        ("հեռ. +374 91 234567", "hy", "+374 91 234567"),
        ("Հեռախոսս՝ 094 12 34 56", "hy", "094 12 34 56"),
        ("電話番号は090-1234-5678です", "ja", "090-1234-5678"),
        ("me liguem: (11) 98765-4321", "pt", "(11) 98765-4321"),
        ("Please call me on 0803 456 7812", "en", "0803 456 7812"),  # from abroad (NG)
    ],
)
def test_phones(text: str, language: str, phone: str) -> None:
    assert ("phone", phone) in found(text, language)


def test_emails() -> None:
    assert found("mail: kevin.leroy91@hotmail.fr merci", "fr") == [
        ("email", "kevin.leroy91@hotmail.fr")
    ]
    assert found("邮箱是 lina.wang@163.com 帮我", "zh") == [("email", "lina.wang@163.com")]


def test_cards_need_a_valid_luhn_checksum() -> None:
    assert found("card 4111 1111 1111 1111 charged twice") == [("card", "4111 1111 1111 1111")]
    assert found("ref 1234 5678 9012 3456 please") == []  # 16 digits, not Luhn
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")


def test_ibans_need_a_valid_checksum() -> None:
    assert found("IBAN DE89 3704 0044 0532 0130 00, danke", "de") == [
        ("card", "DE89 3704 0044 0532 0130 00")
    ]
    assert iban_valid("GB82WEST12345698765432")
    assert found("IBAN DE00 3704 0044 0532 0130 00", "de") == []


@pytest.mark.parametrize(
    ("text", "language", "address"),
    [
        ("ship it to 221B Baker Street please", "en", "221B Baker Street"),
        ("La nueva es Calle de Alcalá 123, 4ºB", "es", "Calle de Alcalá 123"),
        ("Nouvelle adresse : 14 rue des Lilas, 69003 Lyon", "fr", "14 rue des Lilas"),
        ("ändern auf Lindenstraße 12, 50674 Köln", "de", "Lindenstraße 12"),
        ("ճիշտը՝ Երևան, Բաղրամյան 44, բն. 12", "hy", "Բաղրամյան 44, բն. 12"),
        ("Կարո՞ղ եք փոխել Կոմիտասի 25 հասցեով", "hy", "Կոմիտասի 25"),
        ("My new address is Harbour View 7, Lagos", "en", "View 7"),
    ],
)
def test_addresses(text: str, language: str, address: str) -> None:
    assert ("address", address) in found(text, language)


@pytest.mark.parametrize(
    "text",
    [
        "Most orders arrive within 3-5 business days.",
        "charged RM189.90 twice, ₹2,499 do baar",
        "you can change the address within 1 hour of ordering",
        "bought it on 12/03/2025 at 10:30",
        "code BIENVENUE15 ne passe pas",
        "it's been 10 days",
    ],
)
def test_no_false_alarms_on_ordinary_numbers(text: str) -> None:
    assert found(text) == []


def test_no_false_alarms_on_the_sample_brand_texts() -> None:
    kb = load_knowledge_base()
    texts = [(kb.answer(f, lang) or "", lang) for f, e in kb.faq.items() for lang in e.answers]
    for lang, pack in kb.locales.items():
        for value in pack.lines.model_dump().values():
            texts += [(v, lang) for v in (value if isinstance(value, list) else [value])]
    assert [
        (t, find_private_data(t, lang)) for t, lang in texts if find_private_data(t, lang)
    ] == []


def test_spans_point_into_the_text() -> None:
    text = "order NH-482913, mail a@b.co, tel +91 98765 43210"
    data = find_private_data(text, "hi")
    assert [d.kind for d in data] == ["order_number", "email", "phone"]
    assert all(text[d.span.start : d.span.end] == d.text for d in data)


@given(st.text(max_size=400), st.sampled_from(["en", "hi", "hy", "ja", "xx"]))
def test_find_private_data_never_raises(text: str, language: str) -> None:
    for datum in find_private_data(text, language):
        assert text[datum.span.start : datum.span.end] == datum.text
