"""Private data: order numbers, phones, emails, cards (Luhn), IBANs, addresses."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.knowledge import load_knowledge_base
from assistant.understanding.private_data import (
    find_private_data,
    iban_valid,
    luhn_valid,
    mask_private_data,
)
from tests.support.brand import BRAND_LANGUAGES


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
        ("手機0912-345-678 快點退錢", "zh", "0912-345-678"),  # Taiwan
        ("打我電話 0988 123 456", "zh", "0988 123 456"),
    ],
)
def test_phones(text: str, language: str, phone: str) -> None:
    assert ("phone", phone) in found(text, language)


def test_emails() -> None:
    assert found("mail: kevin.leroy91@hotmail.fr merci", "fr") == [
        ("email", "kevin.leroy91@hotmail.fr")
    ]
    assert found("邮箱是 lina.wang@163.com 帮我", "zh") == [("email", "lina.wang@163.com")]


@pytest.mark.parametrize(
    ("text", "language", "number"),
    [
        ("commande n°640293 toujours pas reçue", "fr", "640293"),
        ("注文番号は５５８２０１です", "ja", "５５８２０１"),
        ("ऑर्डर नंबर 384027 अभी तक नहीं आया", "hi", "384027"),
        ("رقم الطلب: ٣٨٤٠٢٧", "ar", "٣٨٤٠٢٧"),
        ("Bestellnr. 4471129 vom 3.11.", "de", "4471129"),
        ("订单号是 2024113012345", "zh", "2024113012345"),
        ("meu pedido 887766 não chegou", "pt", "887766"),
    ],
)
def test_bare_order_numbers_after_an_order_phrase_of_any_language(
    text: str, language: str, number: str
) -> None:
    assert found(text, language) == [("order_number", number)]


def test_amounts_after_an_order_word_are_no_order_number() -> None:
    assert found("pedido de 15000 pesos", "es") == []
    assert found("order of 25000 units", "en") == []


def test_cards_need_a_valid_luhn_checksum() -> None:
    assert found("card 4111 1111 1111 1111 charged twice") == [("card", "4111 1111 1111 1111")]
    assert found("ref 1234 5678 9012 3456 please") == []  # 16 digits, not Luhn
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")


def test_upi_ids_beside_a_upi_word_are_payment_details() -> None:
    text = "refund mere UPI pe bhej do: rahul.sharma@okicici"
    assert found(text, "hi") == [("card", "rahul.sharma@okicici")]
    assert found("मेरा यूपीआई 9876543210@paytm है", "hi") == [("card", "9876543210@paytm")]
    assert found("UPI id: priya92@ybl.", "hi") == [("card", "priya92@ybl")]
    # an e-mail address stays one; no UPI word, no UPI id; an @handle is neither
    assert found("mail rahul@gmail.com for UPI", "hi") == [("email", "rahul@gmail.com")]
    assert found("talk to rahul@support about it", "en") == []
    assert found("@NimbusHome upi pe refund do", "hi") == []


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
        ("Deliver to Flat 12, 3 Marine Parade, Brighton pls", "en", "3 Marine Parade"),
        ("send it to Brighton BN2 1TL instead", "en", "BN2 1TL"),  # a UK postcode
        # scripts without capitals: a house number right after the cue and its colon
        ("मेरा पता: 14, शिवाजी पार्क, दादर", "hi", "14, शिवाजी"),
        ("ঠিকানা: ২৩/১ গড়িয়াহাট, কলকাতা", "bn", "২৩/১ গড়িয়াহাট"),
        ("అడ్రస్: 5-9-22, అబిడ్స్, హైదరాబాద్", "te", "5-9-22, అబిడ్స్"),
        ("એડ્રેસ બદલવું છે: ફ્લેટ 4, વૃંદાવન એપાર્ટમેન્ટ", "gu", "ફ્લેટ 4"),
        # a Taiwanese road's section, a building in a district
        ("改寄到台北市信義區信義路五段7號", "zh", "台北市信義區信義路五段7號"),
        ("送到深圳市南山区科技园南区8栋", "zh", "深圳市南山区科技园南区8栋"),
        ("地址是朝阳区望京花园3号楼1201", "zh", "朝阳区望京花园3号楼1201"),
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
        "I changed the address 3 times already",
        "एड्रेस 3 बार बदल चुका हूँ",
        "bought it on 12/03/2025 at 10:30",
        "code BIENVENUE15 ne passe pas",
        "it's been 10 days",
        "it's on the way 3 days late, I live close 2 the station",
        "MP3 player, model X2 4K",
        "el total fue 1.234.567-8 pesos",  # RUT-shaped, wrong check character
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


#: Personal data written in every language and script of the sample brand, in the
#: shapes the hostile-input probe found missed: (language, text, kind, the datum).
RECALL_SAMPLES = [
    ("en", "my card is 4111.1111.1111.1111 thanks", "card", "4111.1111.1111.1111"),
    ("en", "mail me at jane＠example.com", "email", "jane＠example.com"),
    ("en", "SSN 123-45-6789 for the warranty", "national_id", "123-45-6789"),
    ("en", "NI number AB 12 34 56 C", "national_id", "AB 12 34 56 C"),
    ("en", "my DOB is 12/03/1990", "date_of_birth", "12/03/1990"),
    ("en", "my password is hunter2!", "password", "hunter2!"),
    ("en", "passport no. K1234567, name as on it", "national_id", "K1234567"),
    ("en", "iban gb82 west 1234 5698 7654 32 please refund", "card", "gb82 west 1234 5698 7654 32"),
    (
        "es",
        "mi tarjeta ４１１１ １１１１ １１１１ １１１１",
        "card",
        "４１１１ １１１１ １１１１ １１１１",
    ),
    ("es", "DNI 12345678Z, fecha de nacimiento 03/04/1985", "national_id", "12345678Z"),
    ("es", "fecha de nacimiento: 03/04/1985", "date_of_birth", "03/04/1985"),
    ("es", "mi contraseña es Sol2024", "password", "Sol2024"),
    ("es", "envíalo a Calle Mayor 15", "address", "Calle Mayor 15"),
    ("es", "iban es9121000418450200051332", "card", "es9121000418450200051332"),
    ("es", "número de cuenta: 0049 1500 0512 3456 7892", "card", "0049 1500 0512 3456 7892"),
    ("ms", "No akaun Maybank 1642 3398 7712", "card", "1642 3398 7712"),
    ("id", "rekening saya BCA 1234567890", "card", "1234567890"),
    ("hi", "मेरा खाता नंबर 50100234567891 है", "card", "50100234567891"),
    ("en", "refund to account no. 00123456789 please", "card", "00123456789"),
    ("fr", "ma carte 4111-1111-1111-1111", "card", "4111-1111-1111-1111"),
    ("fr", "mot de passe : Lilas#2023", "password", "Lilas#2023"),
    ("fr", "date de naissance 14/07/1989", "date_of_birth", "14/07/1989"),
    ("fr", "passeport 12AB34567", "national_id", "12AB34567"),
    ("fr", "iban fr1420041010050500013m02606", "card", "fr1420041010050500013m02606"),
    ("de", "Passwort: Linde2024", "password", "Linde2024"),
    ("de", "Geburtsdatum 01.02.1975", "date_of_birth", "01.02.1975"),
    ("de", "Reisepass C01X00T47", "national_id", "C01X00T47"),
    ("de", "Kreditkarte 5500 0000 0000 0004", "card", "5500 0000 0000 0004"),
    ("de", "bitte an Berliner Straße 12 liefern", "address", "Straße 12"),
    ("pt", "meu CPF é 123.456.789-09", "national_id", "123.456.789-09"),
    ("es", "mi RUT 12.345.678-5, cel 9 8765 4321", "national_id", "12.345.678-5"),
    ("es", "CURP GOMA850101HDFRRN09 por si lo necesitan", "national_id", "GOMA850101HDFRRN09"),
    ("pt", "data de nascimento 25/12/1992", "date_of_birth", "25/12/1992"),
    ("pt", "a senha é Rio2024", "password", "Rio2024"),
    ("pt", "cartão 4111111111111111", "card", "4111111111111111"),
    ("pt", "moro na Rua Augusta 1500", "address", "Rua Augusta 1500"),
    ("ar", "رقم البطاقة ٤١١١١١١١١١١١١١١١", "card", "٤١١١١١١١١١١١١١١١"),
    ("ar", "تاريخ الميلاد 1990/05/12", "date_of_birth", "1990/05/12"),
    ("ar", "كلمة المرور هي Ahmad2024", "password", "Ahmad2024"),
    ("ar", "العنوان: شارع التحرير رقم 12", "address", "شارع التحرير رقم 12"),
    ("ar", "جواز السفر A12345678", "national_id", "A12345678"),
    ("ar", "بريدي ahmad＠example.com", "email", "ahmad＠example.com"),
    ("hi", "मेरा आधार 2345 6789 0124 है", "national_id", "2345 6789 0124"),
    ("hi", "पैन ABCPE1234F", "national_id", "ABCPE1234F"),
    ("hi", "पता: मकान नं. 12, गांधी नगर, नई दिल्ली", "address", "मकान नं. 12"),
    ("hi", "जन्म तिथि 15/08/1990", "date_of_birth", "15/08/1990"),
    ("hi", "पासवर्ड: Ram@1234", "password", "Ram@1234"),
    ("hi", "कार्ड ४१११ ११११ ११११ ११११", "card", "४१११ ११११ ११११ ११११"),
    ("bn", "কার্ড নম্বর ৪১১১১১১১১১১১১১১১", "card", "৪১১১১১১১১১১১১১১১"),
    ("bn", "জন্ম তারিখ ১২/০৩/১৯৯০", "date_of_birth", "১২/০৩/১৯৯০"),
    ("bn", "পাসওয়ার্ড: Dhaka2024", "password", "Dhaka2024"),
    ("bn", "পাসপোর্ট A01234567", "national_id", "A01234567"),
    ("bn", "ঠিকানা: ১২ গান্ধী রোড", "address", "১২ গান্ধী রোড"),
    ("gu", "કાર્ડ નંબર ૪૧૧૧ ૧૧૧૧ ૧૧૧૧ ૧૧૧૧", "card", "૪૧૧૧ ૧૧૧૧ ૧૧૧૧ ૧૧૧૧"),
    ("gu", "જન્મ તારીખ 02/10/1988", "date_of_birth", "02/10/1988"),
    ("gu", "પાસવર્ડ: Surat#99", "password", "Surat#99"),
    ("gu", "આધાર 2345 6789 0124", "national_id", "2345 6789 0124"),
    ("gu", "સરનામું: 12 ગાંધી માર્ગ", "address", "12 ગાંધી માર્ગ"),
    ("te", "కార్డ్ నంబర్ 4111 1111 1111 1111", "card", "4111 1111 1111 1111"),
    ("te", "పుట్టిన తేదీ 10/10/1991", "date_of_birth", "10/10/1991"),
    ("te", "పాస్‌వర్డ్: Hyd@2024", "password", "Hyd@2024"),
    ("te", "ఆధార్ 2345 6789 0124", "national_id", "2345 6789 0124"),
    ("te", "చిరునామా: 12 గాంధీ రోడ్", "address", "12 గాంధీ రోడ్"),
    ("hy", "քարտ 4111 1111 1111 1111", "card", "4111 1111 1111 1111"),
    ("hy", "ծննդյան ամսաթիվ 05.06.1990", "date_of_birth", "05.06.1990"),
    ("hy", "գաղտնաբառ: Ararat2024", "password", "Ararat2024"),
    ("hy", "անձնագիր AN0123456", "national_id", "AN0123456"),
    ("hy", "էլ. փոստ aram＠example.am", "email", "aram＠example.am"),
    ("ms", "kad saya 4111-1111-1111-1111", "card", "4111-1111-1111-1111"),
    ("ms", "no IC 900101-14-5678", "national_id", "900101-14-5678"),
    ("ms", "tarikh lahir 01/01/1990", "date_of_birth", "01/01/1990"),
    ("ms", "kata laluan: Kl2024!", "password", "Kl2024!"),
    ("ms", "hantar ke Jalan Ampang 5", "address", "Jalan Ampang 5"),
    ("id", "kartu 4111 1111 1111 1111", "card", "4111 1111 1111 1111"),
    ("id", "NIK 3174012345678901", "national_id", "3174012345678901"),
    ("id", "tanggal lahir 17-08-1990", "date_of_birth", "17-08-1990"),
    ("id", "kata sandi: Jkt2024", "password", "Jkt2024"),
    ("id", "kirim ke Jl. Sudirman No. 10", "address", "Jl. Sudirman No. 10"),
    ("ja", "カード番号は4111111111111111です", "card", "4111111111111111"),
    (
        "ja",
        "カード番号は４１１１１１１１１１１１１１１１です",
        "card",
        "４１１１１１１１１１１１１１１１",
    ),
    ("ja", "住所は東京都渋谷区神南1-2-3です", "address", "東京都渋谷区神南1-2-3"),
    ("ja", "生年月日は1990年3月12日です", "date_of_birth", "1990年3月12日"),
    ("ja", "パスワードはabc12345です", "password", "abc12345"),
    ("ja", "パスポート TK1234567", "national_id", "TK1234567"),
    ("ja", "メールはtaro＠example.jpです", "email", "taro＠example.jp"),
    ("zh", "卡号4111111111111111谢谢", "card", "4111111111111111"),
    ("zh", "请寄到北京市朝阳区建国路88号", "address", "北京市朝阳区建国路88号"),
    ("zh", "身份证号110101199003071234", "national_id", "11010119900307123"),
    ("zh", "出生日期1990年3月7日", "date_of_birth", "1990年3月7日"),
    ("zh", "密码是Abc12345", "password", "Abc12345"),
    ("zh", "护照E12345678", "national_id", "E12345678"),
]


def _recalled(language: str, text: str, kind: str, datum: str) -> bool:
    return any(
        d.kind == kind and (datum in d.text or d.text in datum) and len(d.text) >= len(datum) // 2
        for d in find_private_data(text, language)
    )


def test_recall_in_every_language_and_script() -> None:
    missed = [row for row in RECALL_SAMPLES if not _recalled(*row)]
    assert {row[0] for row in RECALL_SAMPLES} >= set(BRAND_LANGUAGES)
    assert len(missed) <= 0.05 * len(RECALL_SAMPLES), missed


@pytest.mark.parametrize(
    "text",
    [
        "your password is case-sensitive; reset it from Settings",
        "Forgot your password? Tap 'Reset password'.",
        "born in 1990, I love your lamps",
        "the order was placed on 12/03/2025",
        "SKU AB-1234-XY costs 45 EUR",
        "see section 123-45 of the manual",
        "彼の住所は知りません",
        "地址变更请在订单页面修改",
        "my account settings show 2 orders from 2024",
        "uang sudah masuk rekening 3 hari lalu",
    ],
)
def test_no_false_alarms_on_cue_words_without_data(text: str) -> None:
    assert found(text) == []


def test_full_width_and_cjk_spans_point_into_the_original_text() -> None:
    text = "カード番号は４１１１ １１１１ １１１１ １１１１、メールはjane＠example.comです"
    data = find_private_data(text, "ja")
    assert [(d.kind, d.text) for d in data] == [
        ("card", "４１１１ １１１１ １１１１ １１１１"),
        ("email", "jane＠example.com"),
    ]
    assert all(text[d.span.start : d.span.end] == d.text for d in data)


def test_zero_width_characters_do_not_hide_a_card() -> None:
    text = "card 4111\u200b1111\u200b1111\u200b1111 ok"
    assert [d.kind for d in find_private_data(text)] == ["card"]


def test_mask_private_data_keeps_the_kind_not_the_value() -> None:
    text = "card 4111 1111 1111 1111, mail ana@example.com, call +91 98765 43210"
    assert mask_private_data(text, "hi") == "card [card], mail [email], call [phone]"


def test_logs_never_hold_private_data(caplog: pytest.LogCaptureFixture) -> None:
    import assistant.drafting.llm  # noqa: F401  (installs the filter on its logger)

    logger = logging.getLogger("assistant.drafting.llm")
    with caplog.at_level(logging.INFO, logger="assistant.drafting.llm"):
        logger.info("LLM reply rejected: %s", "your card 4111 1111 1111 1111 is refunded")
    assert "4111" not in caplog.text and "[card]" in caplog.text


def _reference_windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Phone windows computed from the whole list of digit groups (the plain version of
    `private_data._windows`, which reads the groups only as far as it needs)."""
    import re

    if start > 0 and text[start - 1] in "+(":
        start -= 1
    if end - start <= 64:
        return [(start, end)]
    groups = [g.span() for g in re.finditer("[0-9]+", text[:end])][::1]
    groups = [g for g in groups if g[0] >= start]
    windows = []
    for i, (first, end_of_first) in enumerate(groups):
        if end_of_first - first > 24:
            continue
        first = first - 1 if text[first - 1] in "+(" else first
        last = i
        while last + 1 < len(groups) and groups[last + 1][1] - first <= 24:
            last += 1
        windows.append((first, groups[last][1]))
    return windows


HOSTILE = [
    unit * (20_000 // len(unit))
    for unit in ("1.", "1 ", "a-", "カカ", "a.", "aa", "1-", "12.", "123 ", "1234-", "a1")
] + [
    "ref 12 4111 1111 1111 1111 and 555-123-4567 555-765-4321 " * 40,
    "1.1.1.1.1 4111 1111 1111 1111 " + "+44 (0) 20 7946 0958, " * 60,
    "order" + " " * 2000 + "48291302",
    "order #48291 and NH-20451, order no. 12345",
    "NH-204518 #4829130 DE89 3704 0044 0532 0130 00 jane@example.com 123-45-6789 " * 30,
    "Kaiserrİng 5, Berlin",  # İ: the lowercase test cannot rule "ring" out
    "ROSENWEG 12 und Lindenstraße 4",
    "東京都渋谷区神南1-2-3 建国路88号 〒150-0041 pin code 560001",
    "passport no. K1234567, DOB: 12/03/1990, password: x7!kz9, address: Baker Street 221",
    "PASSPORT No. K1234567; Date of Birth: 3 March 1990; PASSWORD IS hunter22 " * 120,
    "Password: abc123! " * 500,  # too many cue starts: the regex engine scans itself
    "idididid " * 2000 + "ID number 123456789",
    "my address is Baker Street 221, Lindenstraße 12, 12 MG Road " * 50,
    "пароль: x7!kz9, паспорт 4510 123456, Lindenstraße 12",
    "Իմ հասցեն՝ Բաղրամյան 44, բն. 12, Բաղրամյան 44 հասցե; my address: Baker Street 221",
]


def test_skipping_patterns_that_cannot_match_changes_no_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pattern is skipped when a cheap search shows it cannot match (no digit, no "@",
    no cue word), a pattern that starts with a cue is tried only where a cue starts, and
    card checks skip groups of one or two digits: on every dataset message and on
    hostile shapes, running every pattern everywhere finds the same."""
    import json
    import re

    from assistant.evaluation.dataset import DEFAULT_DATASET
    from assistant.understanding import prescan, private_data

    rows = [
        json.loads(line) for line in DEFAULT_DATASET.read_text(encoding="utf-8").split("\n") if line
    ]
    texts = [row["text"] for row in rows] + HOSTILE
    skipping = [find_private_data(text, language) for text in texts for language in ("en", "ja")]
    monkeypatch.setattr(prescan, "may_hold", lambda text, need: True)
    monkeypatch.setattr(prescan, "may_hold_phrase", lambda text, phrases: True)
    monkeypatch.setattr(private_data, "_CHAIN", re.compile(".+", re.DOTALL))
    monkeypatch.setattr(prescan, "cue_matches", lambda pattern, text, _: pattern.finditer(text))
    every = [find_private_data(text, language) for text in texts for language in ("en", "ja")]
    assert every == skipping
    assert sum(map(len, skipping[-2 * 13 :])) >= 20  # the tricky texts hold private data


@pytest.mark.parametrize("text", HOSTILE)
def test_phone_windows_read_digit_groups_lazily_but_give_the_same_windows(text: str) -> None:
    from assistant.understanding.private_data import PHONE_RUN, _windows

    for run in PHONE_RUN.finditer(text):
        start, end = run.start(), run.end()
        assert list(_windows(text, start, end)) == _reference_windows(text, start, end)


def test_the_case_traps_are_every_character_lowercasing_misjudges() -> None:
    """Characters whose `str.lower()` differs from the case folding of re.IGNORECASE
    (simple lowercase, and the extra cases of re._casefix) are listed in CASE_TRAPS."""
    import _sre
    import re._casefix as casefix  # type: ignore[import-not-found]

    from assistant.understanding.prescan import CASE_TRAPS

    traps = {chr(c) for k, v in casefix._EXTRA_CASES.items() for c in (k, *v) if c > 127}
    traps |= {
        chr(c)
        for c in range(0x110000)
        if not 0xD800 <= c < 0xE000 and chr(c).lower() != chr(_sre.unicode_tolower(c))
    }
    assert traps == CASE_TRAPS


def test_folding_is_needed_exactly_when_a_character_says_so() -> None:
    """`_needs_folding` searches with a regex (C speed) what was a test of every
    character in Python: \\s and \\d are str.isspace and str.isdecimal, over all of Unicode."""
    import re

    from assistant.understanding.folding import INVISIBLE, _needs_folding

    space, digit = re.compile(r"\s"), re.compile(r"\d")
    assert all(
        bool(space.fullmatch(c)) == c.isspace() and bool(digit.fullmatch(c)) == c.isdecimal()
        for c in map(chr, range(0x110000))
        if not 0xD800 <= ord(c) < 0xE000
    )

    import unicodedata

    def per_character(text: str, spaces: bool) -> bool:
        if not (text.isascii() or unicodedata.is_normalized("NFKC", text)):
            return True
        if spaces and ("  " in text or any(c.isspace() and c != " " for c in text)):
            return True
        return not text.isascii() and any(
            c in INVISIBLE or (c.isdecimal() and not c.isascii()) for c in text
        )

    texts = [
        *HOSTILE,
        "a b",
        "a  b",
        "a\tb",
        "a\u00a0b",
        "a\u2028b",
        "カ\u200bカ",
        "カ৪",
        "カ4",
        "é",
    ]
    for text in texts:
        for spaces in (False, True):
            assert _needs_folding(text, False, spaces) == per_character(text, spaces), text


#: The patterns as they were written before their look-behinds moved after the first
#: character (so that the regex engine can skip to that character at C speed).
_LOOK_BEHIND_FIRST = {
    "ssn": r"(?<![0-9])(?!000|666|9)[0-9]{3}-(?!00)[0-9]{2}-(?!0000)[0-9]{4}(?![0-9])",
    "aadhaar": r"(?<![0-9])[2-9][0-9]{3}[ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9])",
    "uk_ni": r"(?i)(?<![A-Za-z0-9])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?![A-Za-z0-9])",
    "pan": r"(?<![A-Za-z0-9])[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z](?![A-Za-z0-9])",
    "mykad": r"(?<![0-9])[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])-[0-9]{2}-[0-9]{4}"
    r"(?![0-9])",
    "cpf": r"(?<![0-9])[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}(?![0-9])",
    "china": r"(?<![0-9])[0-9]{17}[0-9Xx](?![A-Za-z0-9])",
    "email": r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}",
    "digit_run": r"(?<![0-9])(?<![0-9][ .-])[0-9](?:[ .-]?[0-9]){12,}",
    "iban": r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}"
    r"(?:[ ]?[A-Za-z0-9]{1,4})?(?![A-Za-z0-9])",
}


def test_look_behinds_after_the_first_character_find_the_same() -> None:
    import json
    import re

    from assistant.evaluation.dataset import DEFAULT_DATASET
    from assistant.understanding import cued_data, private_data

    ids = [pattern for pattern, _ in cued_data._IDS]
    now = dict(zip(["ssn", "aadhaar", "uk_ni", "pan", "mykad", "cpf"], ids[:6], strict=True))
    now |= {"china": cued_data._IDS[-1][0], "email": private_data.EMAIL}
    now |= {"digit_run": private_data.DIGIT_RUN, "iban": private_data.IBAN}
    rows = DEFAULT_DATASET.read_text(encoding="utf-8").split("\n")
    texts = [json.loads(line)["text"] for line in rows if line] + HOSTILE
    texts += [
        "1123-45-6789 123-45-6789 000-12-3456 666-12-3456 912-12-3456 a123-45-6789\n123-45-6789",
        "2234 5678 9012 12234 5678 9012 x2234-5678-9012 AB 12 34 56 C bg123456a XAB123456C",
        "QQ123456C gb123456a Ab123456d ABCPE1234F aABCPE1234F ABCPE1234Fa 1ABCPE1234F",
        "900101-14-5678 1900101-14-5678 123.456.789-09 1123.456.789-09 a123.456.789-09",
        "11010519491231002X 111010519491231002X 11010519491231002Xa a.b@c.de .a@b.cd x@y.zz",
        "4111 1111 1111 1111 1 4111 1111 1111 1111 12 4111111111111111 DE89370400440532013000",
        "aDE89370400440532013000 1DE89 3704 0044 0532 0130 00 de89 3704 0044 0532 0130 00",
    ]
    for name, before in _LOOK_BEHIND_FIRST.items():
        for text in texts:
            spans = [m.span() for m in re.finditer(before, text)]
            assert [m.span() for m in now[name].finditer(text)] == spans, (name, text[:80])


def test_a_cue_is_found_by_one_search_exactly_when_one_of_its_phrases_occurs() -> None:
    import json

    from assistant.evaluation.dataset import DEFAULT_DATASET
    from assistant.understanding.cued_data import cues, has_cue

    rows = DEFAULT_DATASET.read_text(encoding="utf-8").split("\n")
    texts = [json.loads(line)["text"] for line in rows if line] + HOSTILE
    for kinds in [("passport", "id"), *((kind,) for kind in cues())]:
        phrases = [p.lower() for kind in kinds for p in cues()[kind]]
        for text in texts:
            assert has_cue(text, *kinds) == any(p in text.lower() for p in phrases), kinds


@pytest.mark.parametrize(
    ("text", "language", "kind", "value"),
    [
        ("mi DNI 30.123.456, gracias", "es", "national_id", "30.123.456"),  # Argentina
        ("mi cédula 1.020.304.050", "es", "national_id", "1.020.304.050"),  # Colombia
        ("o meu NIF é 234 567 890", "pt", "national_id", "234 567 890"),  # Portugal
        ("mi celular 310 123 4567", "es", "phone", "310 123 4567"),  # Colombia
        ("cel 11 15-2345-6789", "es", "phone", "11 15-2345-6789"),  # Argentina
    ],
)
def test_ids_and_phones_as_spanish_and_portuguese_speakers_write_them(
    text: str, language: str, kind: str, value: str
) -> None:
    regions = load_knowledge_base().phone_regions(language)
    assert (kind, value) in [(d.kind, d.text) for d in find_private_data(text, language, regions)]
