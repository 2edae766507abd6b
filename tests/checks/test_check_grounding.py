"""grounding.*: numbers, money, percentages, dates and links must come from a source."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.checks import GroundingCheck
from assistant.checks.grounding import FactWords, canon, facts, values
from assistant.knowledge import KnowledgeBase
from tests.checks.checks_support import findings, make_context

CHECK = GroundingCheck()


@pytest.mark.parametrize(
    ("language", "faq"),
    [
        ("en", "order-status"),
        ("de", "returns"),
        ("hi", "refund-status"),
        ("ja", "password-reset"),
        ("ar", "international-shipping"),
        ("bn", "double-charge"),
        ("zh", "change-address"),
    ],
)
def test_the_cited_answer_is_grounded_in_every_language(
    kb: KnowledgeBase, language: str, faq: str
) -> None:
    answer = kb.answer(faq, language)
    assert answer is not None
    assert findings(CHECK, answer, make_context(kb, language), citations=(faq,)) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Most orders arrive within ३-५ business days."),  # Devanagari digits
        ("hi", "ज़्यादातर ऑर्डर ३-५ कामकाजी दिनों में पहुँच जाते हैं।"),
        ("ar", "تصل معظم الطلبات خلال ٣-٥ أيام عمل."),  # Arabic-Indic digits
        ("ja", "ほとんどのご注文は３～５営業日でお届けします。"),  # full-width digits
        ("te", "చాలా ఆర్డర్లు ౩-౫ పని దినాల్లో డెలివరీ అవుతాయి."),  # Telugu digits
        ("gu", "મોટાભાગના ઓર્ડર ૩ થી ૫ દિવસમાં આવે છે; 5 દિવસ."),  # a range end on its own
    ],
)
def test_native_digits_and_range_ends_are_grounded(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    assert findings(CHECK, text, make_context(kb, language), citations=("order-status",)) == []


def test_support_hours_response_targets_and_the_customers_numbers_are_sources(
    kb: KnowledgeBase,
) -> None:
    context = make_context(kb, "de", message="Bestellung 7731 seit 12 Tagen unterwegs!")
    text = (
        "Wir sind Mo–Fr 08:00–19:00 da und antworten in 60 Minuten. Zu Bestellung 7731 (12 Tage):"
    )
    assert findings(CHECK, text, context) == []


@pytest.mark.parametrize(
    ("language", "text", "finding_id", "severity", "quoted"),
    [
        ("en", "You'll get 20% off your next order.", "grounding.percent", "block", "20%"),
        ("de", "Sie erhalten 15 € Gutschrift.", "grounding.money", "block", "15 €"),
        ("fr", "Un bon de 10 euros vous attend.", "grounding.money", "block", "10 euros"),
        ("hi", "आपको ₹५०० वापस मिलेंगे।", "grounding.money", "block", "₹५००"),
        ("ar", "خصم ٢٠٪ على طلبك القادم.", "grounding.percent", "block", "٢٠٪"),
        ("zh", "我们给您打8折，再送您50元。", "grounding.money", "block", "50元"),
        ("en", "It ships on 2026-12-24.", "grounding.number", "warn", "2026-12-24"),
        ("es", "Llegará en 2-4 días.", "grounding.number", "warn", "2-4"),
        ("hy", "Պատվերը կհասնի 2 օրում։", "grounding.number", "warn", "2"),
    ],
)
def test_an_ungrounded_fact_is_flagged(
    kb: KnowledgeBase, language: str, text: str, finding_id: str, severity: str, quoted: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language), citations=("order-status",))
    match = [f for f in found if f.id == finding_id]
    assert match and match[0].severity == severity
    span = match[0].span
    assert span is not None and text[span.start : span.end] == quoted


def test_a_range_not_in_the_source_is_flagged_even_if_its_ends_are(kb: KnowledgeBase) -> None:
    # order-status gives 3-5 days; "3-10" is a new claim although 3 occurs in the answer.
    found = findings(
        CHECK,
        "Orders arrive within 3-10 days.",
        make_context(kb, "en"),
        citations=("order-status",),
    )
    assert [f.id for f in found] == ["grounding.number"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Track it at https://nimbushome.example/tracking-page"),
        ("ja", "詳しくは https://help.nimbushome.example/faq/123 をご覧ください。"),
        ("pt", "Veja nimbushome.example/ofertas"),
    ],
)
def test_a_link_no_source_gives_warns(kb: KnowledgeBase, language: str, text: str) -> None:
    found = findings(CHECK, text, make_context(kb, language), citations=("order-status",))
    assert [(f.id, f.severity) for f in found] == [("grounding.url", "warn")]


def test_links_of_the_faq_and_brand_constants_are_grounded(kb: KnowledgeBase) -> None:
    text = "See https://help.nimbushome.example/refunds or https://help.nimbushome.example."
    assert findings(CHECK, text, make_context(kb, "en"), citations=("refund-status",)) == []


def test_fact_extraction(kb: KnowledgeBase) -> None:
    words = FactWords.of(kb)
    assert canon("08:00") == "800" and canon("1.000") == canon("1,000") == "1000"
    found = facts("Refunds take 5–10 days, cost $4.99 or 20 % and ship by 24.12.2026.", words)
    assert [(f.kind, f.key) for f in found] == [
        ("number", "5-10"),
        ("money", "499"),
        ("percent", "20"),
        ("number", "24122026"),
    ]
    assert values(["३-५ दिन"], words) == {"3-5", "3", "5"}
    assert facts("see https://x.example/123 or mail a1@b.example", words) == []
    money = facts("20 रुपये, 5 euros, 3 円, 7 reais; 10 प्रतिशत, 4 por ciento", words)
    assert [f.kind for f in money] == ["money"] * 4 + ["percent"] * 2


def test_range_words_come_from_the_locale_packs(kb: KnowledgeBase) -> None:
    """ "3 bis 5" is one range because de.yaml lists `bis`; without range words it is two
    numbers."""
    words = FactWords.of(kb)
    assert "bis" in words.ranges
    assert [f.key for f in facts("3 bis 5 Werktage", words)] == ["3-5"]
    bare = FactWords(words.currency, words.percent, ())
    assert [f.key for f in facts("3 bis 5 Werktage", bare)] == ["3", "5"]


def test_hours_converted_for_the_customer_are_grounded_per_message(kb: KnowledgeBase) -> None:
    """The composer states the region's hours in the customer's time zone (East Asia's
    09:00-18:00 Tokyo is 08:00-17:00 in Shanghai, the zh pack's home country, and in
    Taipei); an hour the customer's zone does not give is still flagged. The approved
    numbers are kept per brand, so a customer seen earlier must not ground another's."""
    line = "我们的客服服务时间为：周一–周五 08:00–17:00 (Shanghai)。"
    for locale in (None, "zh-TW", "zh-CN"):
        context = make_context(kb, "zh", message="几点有人工客服？")
        context.message.locale = locale
        assert findings(CHECK, line, context, citations=("support-hours",)) == [], locale
    in_japan = make_context(kb, "zh", message="几点有人工客服？")
    in_japan.message.locale = "zh-JP"  # Tokyo: the region's own hours, not 08:00
    found = findings(CHECK, line, in_japan, citations=("support-hours",))
    assert [f.id for f in found] == ["grounding.number"]


def test_support_hours_on_the_customers_clock_are_grounded(kb: KnowledgeBase) -> None:
    """The hours line moves the region's hours into the customer's time zone (Europe's
    08:00-19:00 in Madrid reads 07:00-18:00 in Lisbon); only for that customer."""
    text = "O nosso horário de atendimento é seg.–sex. 07:00–18:00 (Lisbon)."
    plain = make_context(kb, "pt")
    lisbon = replace(plain, message=plain.message.model_copy(update={"locale": "pt-PT"}))
    assert findings(CHECK, text, lisbon) == []
    assert [f.id for f in findings(CHECK, text, make_context(kb, "pt"))] == ["grounding.number"]
