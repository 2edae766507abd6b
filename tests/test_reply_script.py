"""The reply-script policy: romanised messages answered in the brand's chosen script.

brand.yaml `languages.reply_script: {hi: customer}` (the sample) answers Hinglish in Roman
Hindi from locales/hi-Latn.yaml; `native` answers it in Devanagari; a `customer` policy
without a pack (gu-Latn) answers in the native script and says why. A check holds
drafts to that script, the LLM is told it, and agents see the message in native script.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.checks.base import CheckContext
from assistant.checks.script import ScriptCheck
from assistant.cli import app
from assistant.drafting import DraftRequest, FunctionDrafter
from assistant.drafting.llm_prompt import script_context
from assistant.language import detect_language
from assistant.language.scripts import count_scripts
from assistant.pipeline import Assistant
from assistant.resources import sample_guidelines
from assistant.translation import to_native_script
from assistant.types import Suggestion
from tests.drafting.contract import NOW

HINGLISH = "bhai mera refund kab milega? 2 hafte ho gaye"
ROMAN_GUJARATI = "mane haju sudhi refund nathi malyu, kyare aavshe?"


def _script(text: str) -> str:
    counts = count_scripts(text.replace("Nimbus Care", ""))
    return max(counts, key=lambda s: counts[s])


def _brand(tmp_path: Path, policy: str) -> Path:
    """The sample brand with `languages.reply_script` set to `policy` (YAML lines)."""
    root = tmp_path / "guidelines"
    shutil.copytree(sample_guidelines(), root)
    brand = root / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    assert "  reply_script:" in text and "    hi: customer\n" in text
    brand.write_text(text.replace("    hi: customer\n", policy, 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sample() -> Assistant:
    return Assistant.load(backend="offline")


def test_hinglish_with_a_customer_policy_gets_a_roman_hindi_draft(sample: Assistant) -> None:
    suggestion = sample.suggest(HINGLISH, channel="whatsapp", now=NOW, n=2)
    assert (suggestion.detection.language, suggestion.detection.script) == ("hi", "Latn")
    assert suggestion.reply_language == "hi"
    assert suggestion.reply_locale == "hi-Latn"
    answer = sample.kb.answer("refund-status", "hi-Latn")
    assert answer is not None
    for draft in suggestion.drafts:
        assert draft.language == "hi"
        assert _script(draft.text) == "Latn", draft.text
        assert detect_language(draft.text, languages=sample.kb.languages).language == "hi"
        assert draft.citations == ["refund-status"]
        assert answer.split(".")[0] in draft.text  # the Roman Hindi answer, not a translation
        assert not [f for f in draft.findings if f.severity == "block"], draft.findings
        assert not [r for r in draft.not_ready if "script" in r or "language" in r]
    assert not [n for n in suggestion.notes if "Latin letters" in n]


def test_hinglish_with_a_native_policy_gets_a_devanagari_draft(tmp_path: Path) -> None:
    assistant = Assistant.load(_brand(tmp_path, "    hi: native\n"), "offline", embeddings=False)
    suggestion = assistant.suggest(HINGLISH, channel="whatsapp", now=NOW, n=2)
    assert suggestion.reply_locale is None
    for draft in suggestion.drafts:
        assert draft.language == "hi"
        assert _script(draft.text) == "Deva", draft.text
        assert not [f for f in draft.findings if f.id.startswith("script")]
    assert any("reply_script: hi: native" in note for note in suggestion.notes)


def test_romanised_gujarati_without_a_pack_is_answered_in_gujarati_and_says_why(
    tmp_path: Path,
) -> None:
    root = _brand(tmp_path, "    hi: customer\n    gu: customer\n")
    assistant = Assistant.load(root, "offline", embeddings=False)
    suggestion = assistant.suggest(ROMAN_GUJARATI, channel="whatsapp", now=NOW, n=2)
    assert (suggestion.detection.language, suggestion.detection.script) == ("gu", "Latn")
    assert suggestion.reply_locale is None
    for draft in suggestion.drafts:
        assert draft.language == "gu"
        assert _script(draft.text) == "Gujr", draft.text
        assert not [f for f in draft.findings if f.id.startswith("script")]
        assert not [r for r in draft.not_ready if "script" in r], draft.not_ready
    assert (
        "the customer wrote gu in Latin letters; no locale pack for gu-Latn: replying in "
        "gu's native script" in suggestion.notes
    )


def test_the_script_check_flags_a_devanagari_draft_when_the_policy_says_latin(
    sample: Assistant,
) -> None:
    suggestion = sample.suggest(HINGLISH, channel="whatsapp", now=NOW, n=1)
    devanagari = sample.kb.answer("refund-status", "hi") or ""
    findings = sample.recheck(suggestion, f"नमस्ते, {devanagari}\nसादर, Nimbus Care")
    flagged = [f for f in findings if f.id == "script.policy"]
    assert [f.severity for f in flagged] == ["block"]
    assert "Devanagari" in flagged[0].message and "Latin" in flagged[0].message
    # the Roman Hindi draft itself passes
    assert not [
        f for f in sample.recheck(suggestion, suggestion.drafts[0].text) if f.id == "script.policy"
    ]


def test_the_script_check_flags_a_roman_draft_when_the_policy_is_native(tmp_path: Path) -> None:
    assistant = Assistant.load(_brand(tmp_path, "    hi: native\n"), "offline", embeddings=False)
    suggestion = assistant.suggest(HINGLISH, channel="whatsapp", now=NOW, n=1)
    roman = assistant.kb.answer("refund-status", "hi-Latn") or ""
    flagged = [f.id for f in assistant.recheck(suggestion, f"Namaste, {roman}")]
    assert "script.policy" in flagged


def test_the_script_check_leaves_ordinary_replies_alone(sample: Assistant) -> None:
    suggestion = sample.suggest("मेरा ऑर्डर अभी तक नहीं आया, कब आएगा?", now=NOW, n=1)
    assert suggestion.reply_locale is None
    assert not ScriptCheck().check(
        suggestion.drafts[0],
        _context(sample, suggestion),
    )


def _context(assistant: Assistant, suggestion: Suggestion) -> CheckContext:
    return CheckContext(
        suggestion.message,
        suggestion.analysis,
        suggestion.hits,
        assistant.kb,
        suggestion.reply_language,
        suggestion.language_rule,
    )


def test_drafters_and_the_llm_prompt_are_told_the_reply_script(sample: Assistant) -> None:
    seen: list[DraftRequest] = []

    def write(request: DraftRequest) -> str:
        seen.append(request)
        return "Namaste, aapka refund 5-10 business days mein aa jayega. Saadar, Nimbus Care"

    assistant = Assistant(sample.kb, FunctionDrafter(write), retriever=sample.retriever)
    assistant.suggest(HINGLISH, channel="whatsapp", now=NOW, n=1)
    assert seen[0].language == "hi" and seen[0].reply_locale == "hi-Latn"
    assert script_context(seen[0]) == {"reply": "Latn", "customer": "Latn"}


@pytest.mark.parametrize(
    ("text", "language", "native"),
    [
        ("mera order abhi tak nahi aaya, kab aayega?", "hi", "मेरा ऑर्डर अभी तक नहीं आया, कब आएगा?"),
        ("bhai mera refund kab milega?", "hi", "भाई मेरा रिफ़ंड कब मिलेगा?"),  # milega: by rule
        ("mane haju sudhi refund nathi malyu", "gu", "મને હજુ સુધી રિફંડ નથી મળ્યું"),
        ("maro order kyare aavshe? 3 divas thaya", "gu", "મારો ઓર્ડર ક્યારે આવશે? 3 દિવસ થયા"),
    ],
)
def test_romanised_hindi_and_gujarati_are_shown_in_native_script(
    text: str, language: str, native: str
) -> None:
    assert to_native_script(text, language) == native


def test_languages_without_an_indic_script_are_not_transliterated() -> None:
    assert to_native_script("barev, inchpes es?", "hy") is None
    assert to_native_script("where is my order", "en") is None


def test_the_suggestion_and_the_draft_command_show_the_native_script(sample: Assistant) -> None:
    suggestion = sample.suggest(HINGLISH, channel="whatsapp", now=NOW, n=1)
    assert suggestion.native_text == "भाई मेरा रिफ़ंड कब मिलेगा? 2 हफ़्ते हो गये"
    assert sample.suggest("where is my order??", now=NOW, n=1).native_text is None
    result = CliRunner().invoke(app, ["draft", HINGLISH, "--channel", "whatsapp", "--n", "1"])
    assert result.exit_code == 0, result.output
    assert "native script" in result.output and "भाई मेरा" in result.output
    assert "hi-Latn" in result.output
