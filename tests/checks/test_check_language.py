"""language.mismatch: the draft is in the reply language (names and links aside)."""

from __future__ import annotations

import pytest

from assistant.checks import LanguageCheck
from assistant.knowledge import KnowledgeBase
from tests.checks.checks_support import findings, make_context

CHECK = LanguageCheck()


def _reply(kb: KnowledgeBase, language: str, faq: str = "order-status") -> str:
    pack = kb.locale(language)
    closing = pack.registers[pack.register_].closing.replace("{brand}", kb.brand.sign_off)
    return (
        f"{pack.registers[pack.register_].greeting_no_name}\n{kb.answer(faq, language)}\n{closing}"
    )


@pytest.mark.parametrize("language", ["en", "de", "es", "hi", "hy", "ja", "zh", "ar", "te", "bn"])
def test_a_reply_in_the_reply_language_passes(kb: KnowledgeBase, language: str) -> None:
    # The sign-off "Nimbus Care" and the tracking URL are Latin script in every reply.
    assert findings(CHECK, _reply(kb, language), make_context(kb, language)) == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [("en", "de"), ("es", "fr"), ("hi", "bn"), ("ja", "zh"), ("hy", "en"), ("ar", "hi")],
)
def test_a_reply_in_another_language_blocks(kb: KnowledgeBase, written: str, expected: str) -> None:
    found = findings(CHECK, _reply(kb, written), make_context(kb, expected))
    assert [(f.id, f.severity) for f in found] == [("language.mismatch", "block")]
    assert f"({expected})" in found[0].message and f"({written})" in found[0].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OK!", "de"),  # too short to tell
        ("Kami faham kebimbangan anda. Sila hantar nombor pesanan anda melalui DM.", "id"),
    ],
)
def test_uncertain_detection_only_warns(kb: KnowledgeBase, text: str, expected: str) -> None:
    found = findings(CHECK, text, make_context(kb, expected))
    assert [(f.id, f.severity) for f in found] == [("language.mismatch", "warn")]


def test_an_emoji_only_reply_warns_that_the_language_is_unknown(kb: KnowledgeBase) -> None:
    found = findings(CHECK, "🙏🙏", make_context(kb, "hy"))
    assert found[0].severity == "warn" and "could not be determined" in found[0].message


def test_the_fallback_rule_is_named(kb: KnowledgeBase) -> None:
    context = make_context(kb, "es", message="Dov'è il mio ordine?")
    context = type(context)(context.message, context.analysis, [], kb, "es", "fallback")
    found = findings(CHECK, _reply(kb, "en"), context)
    assert "fallback" in found[0].message


def test_romanised_hindi_is_hindi(kb: KnowledgeBase) -> None:
    text = (
        "Namaste Ravi ji, aapka order 3-5 din mein pahunch jayega. Kripya order number DM karein."
    )
    assert findings(CHECK, text, make_context(kb, "hi")) == []


def test_a_hindi_greeting_around_an_english_answer_blocks(kb: KnowledgeBase) -> None:
    text = f"नमस्ते Ravi जी,\n{kb.answer('order-status', 'en')}\nसादर, Nimbus Care"
    found = findings(CHECK, text, make_context(kb, "hi"))
    assert [(f.id, f.severity) for f in found] == [("language.mismatch", "block")]
