"""Languages are data: Italian added to a brand with YAML only, then the drafter contract.

`tests/fixtures/italian/` is the minimal brand plus `locales/it.yaml` written in Italian
(lines, cues and the checks' lexicon), Italian FAQ answers and escalation keywords. No
Python knows Italian: if this passes, a content lead can add a language.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.checks import PromiseCheck
from assistant.checks.base import CheckContext
from assistant.knowledge import load_knowledge_base
from assistant.pipeline import Assistant
from assistant.types import Analysis, Draft, Message
from assistant.understanding.analysis import analyze
from assistant.understanding.private_data import find_private_data
from tests.drafting import contract
from tests.drafting.contract import NOW, DrafterContract

ITALIAN = Path(__file__).parent / "fixtures" / "italian"
MESSAGE = "Buongiorno, dov'è il mio ordine? È passata una settimana"


@pytest.fixture(scope="module")
def italian() -> Assistant:
    return Assistant.load(guidelines=ITALIAN, backend="offline")


def test_the_italian_brand_loads_clean() -> None:
    kb = load_knowledge_base(ITALIAN)
    assert kb.languages == ["en", "it"] and kb.warnings == []
    assert "rimbors*" in kb.words("refund", "it") and "refund*" in kb.words("refund", "it")


class TestItalianContract(DrafterContract):
    """The shared drafter contract, run in Italian (its English cases run as they are)."""

    @pytest.fixture
    def assistant(self, italian: Assistant, monkeypatch: pytest.MonkeyPatch) -> Assistant:
        monkeypatch.setitem(contract.MESSAGES, "it", MESSAGE)
        return italian

    @pytest.mark.parametrize("language", ["it", "en"])
    def test_reply_is_in_the_customers_language(self, assistant: Assistant, language: str) -> None:
        super().test_reply_is_in_the_customers_language(assistant, language)

    @pytest.mark.parametrize("language", ["it"])
    def test_cites_only_retrieved_entries(self, assistant: Assistant, language: str) -> None:
        super().test_cites_only_retrieved_entries(assistant, language)

    @pytest.mark.parametrize("channel", ["twitter", "instagram", "wechat", "email"])
    @pytest.mark.parametrize("language", ["it"])
    def test_fits_the_channel(self, assistant: Assistant, channel: str, language: str) -> None:
        super().test_fits_the_channel(assistant, channel, language)

    @pytest.mark.parametrize("language", ["it", "en"])
    def test_no_unfilled_placeholder(self, assistant: Assistant, language: str) -> None:
        super().test_no_unfilled_placeholder(assistant, language)


def test_italian_drafts_answer_from_the_italian_faq(italian: Assistant) -> None:
    suggestion = italian.suggest(MESSAGE, channel="twitter", customer_name="Giulia", now=NOW)
    draft = suggestion.drafts[0]
    assert draft.citations == ["order-status"]
    assert "3-5 giorni lavorativi" in draft.text and draft.text.startswith("Buongiorno Giulia")
    assert not [f for f in draft.findings if f.severity == "block"], draft.findings


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Le faremo un rimborso completo.", "promises.refund"),
        ("Le spediamo una lampada nuova in omaggio.", "promises.free"),
        ("Il Suo ordine arriverà oggi stesso.", "promises.deadline"),
    ],
)
def test_the_checks_read_italian_from_the_lexicon(text: str, finding: str) -> None:
    kb = load_knowledge_base(ITALIAN)
    analysis = Analysis(language="it", sentiment="neutral", sentiment_score=0.0, intent="x")
    context = CheckContext(Message(text="dov'è il mio ordine?"), analysis, [], kb, "it")
    draft = Draft(text=text, language="it", tone="friendly", citations=["order-status"])
    found = PromiseCheck().check(draft, context)
    assert [(f.id, f.severity) for f in found] == [(finding, "block")]
    negated = Draft(text="Purtroppo non possiamo offrire un rimborso.", language="it", tone="x")
    assert PromiseCheck().check(negated, context) == []


def test_italian_counts_and_phone_regions_come_from_the_lexicon() -> None:
    """Phone regions, number, day and contact words of Italian are the pack's data: an
    Italian landline is found only with the pack's regions (IT), "quattro giorni" is four
    days and "il terzo messaggio" is a repeated contact."""
    kb = load_knowledge_base(ITALIAN)
    text = "Chiamatemi allo 06 6982 1234, aspetto da quattro giorni"
    assert find_private_data(text, "it", ()) == []
    analysis = analyze(text, kb, language="it")
    assert [(d.kind, d.text) for d in analysis.private_data] == [("phone", "06 6982 1234")]
    assert analysis.elapsed_days == 4
    escalations = analyze("È il terzo messaggio che scrivo", kb, language="it").escalations
    assert [(e.trigger, e.matched) for e in escalations] == [
        ("repeated_contact", "terzo messaggio")
    ]
