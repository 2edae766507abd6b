"""promises.*: commitments (refund, compensation, guarantee, free, deadline) need the cited FAQ."""

from __future__ import annotations

import pytest

from assistant.checks import PromiseCheck
from assistant.knowledge import KnowledgeBase
from tests.checks.checks_support import findings, make_context

CHECK = PromiseCheck()


@pytest.mark.parametrize(
    ("language", "faq"),
    [
        ("en", "refund-status"),
        ("de", "refund-status"),
        ("hi", "refund-status"),
        ("ja", "refund-status"),
        ("hy", "refund-status"),
        ("zh", "damaged-item"),
        ("es", "damaged-item"),
        ("ar", "returns"),
        ("fr", "order-status"),
        ("te", "double-charge"),
    ],
)
def test_the_approved_answer_backs_its_own_promises(
    kb: KnowledgeBase, language: str, faq: str
) -> None:
    answer = kb.answer(faq, language)
    assert answer is not None
    assert findings(CHECK, answer, make_context(kb, language), citations=(faq,)) == []


@pytest.mark.parametrize(
    ("language", "text", "finding_id"),
    [
        ("en", "Good news: we'll give you a full refund.", "promises.refund"),
        ("de", "Wir erstatten Ihnen selbstverständlich den vollen Betrag.", "promises.refund"),
        ("hi", "हम आपको पूरा रिफंड देंगे।", "promises.refund"),
        ("ja", "全額返金いたします。", "promises.refund"),
        ("hy", "Մենք Ձեզ կտրամադրենք փոխհատուցում։", "promises.compensation"),
        ("zh", "我们会给您补偿。", "promises.compensation"),
        ("es", "Le garantizamos que llegará a tiempo.", "promises.guarantee"),
        ("pt", "Garantimos que o pedido chega amanhã.", "promises.guarantee"),
    ],
)
def test_an_unbacked_refund_compensation_or_guarantee_blocks(
    kb: KnowledgeBase, language: str, text: str, finding_id: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language), citations=("order-status",))
    assert (finding_id, "block") in [(f.id, f.severity) for f in found]
    assert "order-status" in next(f.message for f in found if f.id == finding_id)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "We'll send you a full refund within 24 hours."),
        ("de", "Sie erhalten die volle Rückerstattung innerhalb von 24 Stunden."),
        ("hi", "आपको 24 घंटे में पूरा रिफंड मिल जाएगा।"),
        ("ja", "２４時間以内に全額返金いたします。"),  # full-width digits
        ("es", "Le devolvemos el dinero hoy mismo."),
    ],
)
def test_a_refund_within_a_date_the_faq_does_not_give_blocks(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    # Acceptance: the refund FAQ says 5-10 business days, not 24 hours.
    found = findings(CHECK, text, make_context(kb, language), citations=("refund-status",))
    assert [(f.id, f.severity) for f in found] == [("promises.deadline", "block")]
    assert "5-10 business days" in found[0].message


@pytest.mark.parametrize(
    ("language", "text", "quoted"),
    [
        ("en", "Your order will arrive tomorrow.", "tomorrow"),
        ("de", "Ihre Bestellung kommt noch heute an.", "noch heute"),
        ("es", "Su pedido llegará mañana mismo.", "mañana mismo"),
        ("zh", "您的订单明天就到。", "明天"),
        ("ar", "سيصل طلبك غدًا.", "غدًا"),
        ("en", "It will be with you in 2 days.", "2 days"),
        ("bn", "২ দিনের মধ্যে পৌঁছে যাবে।", "২ দিনের"),  # Bengali digits
    ],
)
def test_an_unbacked_deadline_blocks(
    kb: KnowledgeBase, language: str, text: str, quoted: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language), citations=("order-status",))
    assert [(f.id, f.severity) for f in found] == [("promises.deadline", "block")]
    span = found[0].span
    assert span is not None and text[span.start : span.end] == quoted


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Most orders arrive within 3-5 business days."),
        ("de", "Die meisten Bestellungen kommen innerhalb von 3-5 Werktagen an."),
        ("hi", "ज़्यादातर ऑर्डर 3-5 कामकाजी दिनों में पहुँच जाते हैं।"),
        ("ja", "ほとんどのご注文は３～５営業日でお届けします。"),
        ("gu", "મોટાભાગના ઓર્ડર ૩-૫ કામકાજી દિવસમાં પહોંચી જાય છે."),  # Gujarati digits
    ],
)
def test_the_faq_timeline_in_any_digits_is_backed(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    assert findings(CHECK, text, make_context(kb, language), citations=("order-status",)) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "We'll send you a free lamp as a thank-you."),
        ("fr", "Nous vous offrons la livraison gratuite."),
        ("ja", "無料でお届けします。"),
    ],
)
def test_an_unbacked_free_item_blocks(kb: KnowledgeBase, language: str, text: str) -> None:
    found = findings(CHECK, text, make_context(kb, language), citations=("order-status",))
    assert [(f.id, f.severity) for f in found] == [("promises.free", "block")]


#: Issue 13: promises an agent could send by mistake, in six languages. Each must block.
UNBACKED = {
    "en": (
        "We'll send you a brand new lamp free of charge right away.",
        "Your order will definitely arrive today.",
        "We'll waive your next three months of Nimbus Plus.",
    ),
    "es": (
        "Le enviaremos una lámpara nueva gratis de inmediato.",
        "Su pedido llegará hoy sin falta.",
        "Le bonificamos los próximos tres meses de Nimbus Plus.",
    ),
    "de": (
        "Wir schicken Ihnen sofort kostenlos eine brandneue Lampe.",
        "Ihre Bestellung kommt heute garantiert an.",
        "Wir erlassen Ihnen die nächsten drei Monate Nimbus Plus.",
    ),
    "hi": (
        "हम आपको तुरंत एक नया लैंप मुफ़्त भेजेंगे।",
        "आपका ऑर्डर आज ही पक्का पहुँच जाएगा।",
        "हम आपके अगले तीन महीने का Nimbus Plus शुल्क माफ़ कर देंगे।",
    ),
    "ja": (
        "新品のランプをすぐに無料でお送りします。",
        "ご注文の品は本日中に必ず届きます。",
        "Nimbus Plusの次の3か月分を免除いたします。",
    ),
    "ar": (
        "سنرسل لك مصباحًا جديدًا مجانًا فورًا.",
        "سيصل طلبك اليوم بالتأكيد.",
        "سنعفيك من رسوم نيمبس بلس للأشهر الثلاثة القادمة.",
    ),
}


@pytest.mark.parametrize(
    ("language", "text"), [(lang, text) for lang, texts in UNBACKED.items() for text in texts]
)
def test_a_free_item_a_deadline_or_a_waived_fee_the_faq_does_not_back_blocks(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    found = findings(CHECK, text, make_context(kb, language), citations=("order-status",))
    assert found and {f.severity for f in found} == {"block"}, found


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Unfortunately we can't offer a refund for this order."),
        ("de", "Wir können leider keine Erstattung anbieten."),
        ("en", "Feel free to DM us any time."),
        ("hi", "इस ऑर्डर पर रिफंड नहीं मिलेगा।"),
        ("ja", "返金はできません。"),
    ],
)
def test_negations_and_set_phrases_promise_nothing(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    assert findings(CHECK, text, make_context(kb, language), citations=("order-status",)) == []


def test_without_a_cited_faq_a_refund_is_never_backed(kb: KnowledgeBase) -> None:
    found = findings(CHECK, "You'll get your refund.", make_context(kb, "en"))
    assert found[0].severity == "block" and "cites no FAQ" in found[0].message
