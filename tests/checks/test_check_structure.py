"""structure.greeting, structure.sign_off (warn) and structure.ai_disclosure (block)."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.checks import StructureCheck
from assistant.knowledge import KnowledgeBase
from tests.checks.checks_support import LANGUAGES, findings, ids, make_context

CHECK = StructureCheck()


def _templates(kb: KnowledgeBase, language: str, name: str) -> list[tuple[str, str]]:
    pack = kb.locale(language)
    return [
        (
            forms.greeting.replace("{name}", name),
            forms.closing.replace("{brand}", kb.brand.sign_off),
        )
        for forms in pack.registers.values()
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_packs_greetings_and_closings_pass_in_both_registers(
    kb: KnowledgeBase, language: str
) -> None:
    answer = kb.answer("order-status", language)
    for greeting, closing in _templates(kb, language, "Nour Haddad"):
        text = f"{greeting}\n{answer}\n{closing}"
        assert findings(CHECK, text, make_context(kb, language)) == [], text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Good morning Sam! Your order ships today. Kind regards, Nimbus Care"),
        ("de", "Sehr geehrte Frau Weber, Ihre Bestellung ist unterwegs. Viele Grüße\nNimbus Care"),
        ("ja", "佐藤様、ご連絡ありがとうございます。Nimbus Care"),  # "<name>様、" is a greeting
        ("hy", "Ողջույն, Արամ։ Պատվերը ճանապարհին է։ Nimbus Care"),
    ],
)
def test_other_usual_greetings_and_the_brand_name_pass(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    assert findings(CHECK, text, make_context(kb, language)) == []


@pytest.mark.parametrize(
    ("language", "text", "missing"),
    [
        ("en", "Your order ships today.\n– Nimbus Care", ["structure.greeting"]),
        ("de", "Hallo Anna,\nIhre Bestellung ist unterwegs.", ["structure.sign_off"]),
        ("hi", "आपका ऑर्डर भेज दिया गया है।", ["structure.greeting", "structure.sign_off"]),
        ("zh", "您的订单已发货。", ["structure.greeting", "structure.sign_off"]),
        ("en", "Hi Anna, your order ships soon – see you", ["structure.sign_off"]),
    ],
)
def test_a_missing_greeting_or_sign_off_warns(
    kb: KnowledgeBase, language: str, text: str, missing: list[str]
) -> None:
    found = findings(CHECK, text, make_context(kb, language))
    assert ids(found) == missing and {f.severity for f in found} == {"warn"}


def test_nothing_is_required_when_the_brand_does_not_ask(kb: KnowledgeBase) -> None:
    requires = kb.brand.requires.model_copy(update={"greeting": False, "sign_off": False})
    brand = kb.brand.model_copy(update={"requires": requires})
    relaxed = dataclasses.replace(kb, brand=brand)
    assert findings(CHECK, "Your order ships today.", make_context(relaxed, "en")) == []


@pytest.mark.parametrize("language", ["en", "de", "hi", "ja", "ar"])
def test_the_ai_disclosure_line_is_required_when_configured(
    kb: KnowledgeBase, language: str
) -> None:
    disclosing = dataclasses.replace(kb, brand=kb.brand.model_copy(update={"ai_disclosure": True}))
    greeting, closing = _templates(kb, language, "Sam")[0]
    body = kb.answer("order-status", language)
    line = kb.locale(language).lines.ai_disclosure
    context = make_context(disclosing, language)
    assert findings(CHECK, f"{greeting}\n{body} {line}\n{closing}", context) == []
    found = findings(CHECK, f"{greeting}\n{body}\n{closing}", context)
    assert [(f.id, f.severity) for f in found] == [("structure.ai_disclosure", "block")]
    assert line in found[0].message
    assert findings(CHECK, f"{greeting}\n{body}\n{closing}", make_context(kb, language)) == []
