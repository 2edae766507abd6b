"""register.mixed (du + Sie, tu + vous, aap + tum...) and register.non_default."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.checks import RegisterCheck
from assistant.checks.register import find_markers
from assistant.knowledge import KnowledgeBase
from tests.checks.checks_support import findings, make_context

CHECK = RegisterCheck()

MIXED = [
    ("de", "Hallo Anna, können Sie uns kurz schreiben? Dann melden wir uns bei dir.", "dir"),
    ("fr", "Bonjour, pouvez-vous nous écrire ? Merci pour ton message.", "ton"),
    ("hi", "आप हमें DM करें, हम तुम्हारी मदद करेंगे।", "तुम्हारी"),
    ("hy", "Բարև, խնդրում ենք ուղարկել Ձեր պատվերի համարը, իսկ քո հարցին կպատասխանենք։", "քո"),
    ("es", "Hola, usted puede escribirnos cuando quiera; te respondemos enseguida.", "te"),
    ("zh", "您好！你的订单已经发货了。", "你"),
    ("bn", "আপনার অর্ডার পাঠানো হয়েছে, তোমার কোনো প্রশ্ন থাকলে জানাও।", "তোমার"),
]


@pytest.mark.parametrize(("language", "text", "wrong"), MIXED)
def test_mixing_registers_blocks(kb: KnowledgeBase, language: str, text: str, wrong: str) -> None:
    found = findings(CHECK, text, make_context(kb, language), tone="formal")
    assert [(f.id, f.severity) for f in found] == [("register.mixed", "block")]
    span = found[0].span
    # The span points at a form of the register to rewrite (not the tone's register).
    assert span is not None and text[span.start : span.end] == wrong


def test_acceptance_a_german_reply_mixing_du_and_sie(kb: KnowledgeBase) -> None:
    text = "Hallo Jonas,\nwir haben Ihre Nachricht erhalten. Schick uns bitte deine Bestellnummer."
    found = findings(CHECK, text, make_context(kb, "de"))
    assert [(f.id, f.severity) for f in found] == [("register.mixed", "block")]
    assert "Sie" in found[0].message or "Ihre" in found[0].message


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # German "Sie"/"Ihr" at the start of a sentence may be "she/they/her": no formal evidence.
        ("de", "Hi Anna, danke dir! Sie ist schon unterwegs. Ihr Paket, äh, das Paket kommt bald."),
        ("de", "Hallo, sie haben das Paket gestern abgeschickt. Melde dich gern bei uns."),
        ("fr", "Bonjour, votre commande est en route. Merci pour votre patience."),
        ("hi", "नमस्ते, आपका ऑर्डर भेज दिया गया है। आपकी मदद करके खुशी हुई।"),
        ("ja", "ご注文の商品は発送済みです。ご確認ください。"),
        ("hy", "Բարև Ձեզ։ Ձեր պատվերը ճանապարհին է։"),
    ],
)
def test_one_register_passes(kb: KnowledgeBase, language: str, text: str) -> None:
    assert [
        f for f in findings(CHECK, text, make_context(kb, language)) if f.id == "register.mixed"
    ] == []


@pytest.mark.parametrize(
    ("language", "text", "marker"),
    [
        ("de", "Hi, magst du uns kurz schreiben?", "du"),
        ("fr", "Salut, tu peux nous écrire ?", "tu"),
        ("hi", "हाय, तुम हमें DM करो।", "तुम"),
        ("en", "Hi there, thanks!", None),  # English has no register markers
    ],
)
def test_only_the_non_default_register_is_a_note(
    kb: KnowledgeBase, language: str, text: str, marker: str | None
) -> None:
    found = findings(CHECK, text, make_context(kb, language))
    if marker is None:
        assert found == []
        return
    assert [(f.id, f.severity) for f in found] == [("register.non_default", "info")]
    assert f"“{marker}”" in found[0].message


def test_a_tone_that_forces_a_register_is_respected(kb: KnowledgeBase) -> None:
    # es defaults to tú; the "formal" tone asks for usted, so usted is expected there.
    text = "Hola, usted puede escribirnos por DM."
    assert findings(CHECK, text, make_context(kb, "es"), tone="formal") == []
    assert [f.id for f in findings(CHECK, text, make_context(kb, "es"))] == ["register.non_default"]


def test_a_formal_reply_to_a_formal_customer_is_no_note(kb: KnowledgeBase) -> None:
    # es defaults to tú; a customer who writes formally is answered with usted.
    text = "Hola, usted puede escribirnos por DM."
    context = make_context(kb, "es")
    formal = replace(
        context, analysis=context.analysis.model_copy(update={"customer_register": "formal"})
    )
    assert findings(CHECK, text, formal) == []
    assert [f.id for f in findings(CHECK, "Hola, ¿puedes escribirnos?", formal)] == [
        "register.non_default"
    ]


def test_capitalised_markers_count_only_mid_sentence() -> None:
    text = "Sie können. Ihre Daten, die Sie uns senden: Ihr Paket. sie kommt."
    hits = find_markers(text, ["Sie", "Ihr", "Ihre"])
    assert [h[2] for h in hits] == ["Sie"]
