"""Offline drafts carry their known language; every other text is still detected."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from assistant.checks import LanguageCheck
from assistant.checks.composed import known_language, part_status, vouch
from assistant.drafting import FunctionDrafter
from assistant.knowledge import KnowledgeBase
from assistant.language.detect import detect_language
from assistant.pipeline import Assistant
from assistant.types import Detection
from assistant.understanding.retrieval import Retriever
from tests.checks.checks_support import make_context, make_draft

NOW = dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC)
FRENCH = "Bonjour, ma commande n'est toujours pas arrivée, vous pouvez vérifier ?"
ENGLISH = "Hi Camille! Your order is on its way and should arrive within 3-5 business days."


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(embeddings=False)


@pytest.fixture
def detections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The texts the language check detects (its per-text memory emptied first)."""
    from assistant.checks import language

    seen: list[str] = []

    def counting(text: str, hint: str | None = None) -> Detection:
        seen.append(text)
        return detect_language(text, hint=hint)

    language._detect.cache_clear()
    monkeypatch.setattr(language, "detect_language", counting)
    yield seen
    language._detect.cache_clear()


def test_an_offline_draft_is_not_detected_again(
    assistant: Assistant, detections: list[str]
) -> None:
    suggestion = assistant.suggest(FRENCH, customer_name="Camille", now=NOW)
    assert suggestion.drafts and all(d.backend == "offline" for d in suggestion.drafts)
    assert {known_language(d.text) for d in suggestion.drafts} == {"fr"}
    assert all("language.mismatch" not in [f.id for f in d.findings] for d in suggestion.drafts)
    assert detections == []  # three drafts, no detection
    assert assistant.recheck(suggestion, suggestion.drafts[0].text) == (
        suggestion.drafts[0].findings
    )
    assert detections == []  # an agent sending it unchanged: the same text


def test_an_edited_draft_is_detected(assistant: Assistant, detections: list[str]) -> None:
    suggestion = assistant.suggest(FRENCH, customer_name="Camille", now=NOW)
    edited = suggestion.drafts[0].text + " Merci pour votre patience !"
    found = assistant.recheck(suggestion, edited)
    assert len(detections) == 1 and "language.mismatch" not in [f.id for f in found]
    translated = assistant.recheck(suggestion, ENGLISH)
    assert ("language.mismatch", "block") in [(f.id, f.severity) for f in translated]


def test_a_scripted_draft_in_another_language_is_flagged(assistant: Assistant) -> None:
    scripted = Assistant(
        assistant.kb, FunctionDrafter(lambda r: ENGLISH), retriever=assistant.retriever
    )
    draft = scripted.suggest(FRENCH, now=NOW, n=1).drafts[0]
    assert known_language(draft.text) is None
    assert ("language.mismatch", "block") in [(f.id, f.severity) for f in draft.findings]


def test_a_vouched_text_checked_for_another_language_is_detected(assistant: Assistant) -> None:
    french = assistant.suggest(FRENCH, now=NOW, n=1).drafts[0].text
    assert known_language(french) == "fr"
    context = make_context(assistant.kb, "de", message="Wo ist meine Bestellung?")
    found = LanguageCheck().check(make_draft(french, "de"), context)
    assert [(f.id, f.severity) for f in found] == [("language.mismatch", "block")]


def test_a_pack_line_left_untranslated_is_foreign(kb: KnowledgeBase) -> None:
    assert part_status(kb, "fr", "Could you tell us a little more about what you need?")[0] == (
        "foreign"
    )
    assert part_status(kb, "fr", kb.locale("fr").lines.clarify)[0] == "verified"
    # A short line is sure only in a script of its own.
    assert part_status(kb, "ja", "{name}様、こんにちは。")[0] == "verified"
    assert part_status(kb, "fr", "Merci {name} !")[0] == "short"


def test_only_verified_parts_mostly_vouch_for_a_text(kb: KnowledgeBase) -> None:
    clarify, greeting = kb.locale("fr").lines.clarify, "Bonjour {name},"
    english = "Could you tell us a little more about what you need?"
    assert vouch(kb, "fr", [greeting, english], "a text with a foreign part") is None
    assert known_language("a text with a foreign part") is None
    shorts = [greeting, "Merci {name} !"]
    assert {part_status(kb, "fr", line)[0] for line in shorts} == {"short"}
    assert vouch(kb, "fr", shorts, "short parts only") is None
    assert vouch(kb, "fr", [greeting, clarify], "greeting and clarify") == "fr"
    assert known_language("greeting and clarify") == "fr"


def test_a_draft_from_an_untranslated_pack_line_is_detected(kb: KnowledgeBase) -> None:
    pack = kb.locale("fr")
    english = "Could you tell us a little more about your request so we can help you?"
    lines = pack.lines.model_copy(update={"clarify": english})
    edited = dataclasses.replace(
        kb, locales={**kb.locales, "fr": pack.model_copy(update={"lines": lines})}
    )
    assistant = Assistant.load(embeddings=False)
    assistant = Assistant(
        edited, assistant.drafter, retriever=Retriever(edited, use_embeddings=False)
    )
    drafts = assistant.suggest("Bonjour, j'ai une petite question.", now=NOW).drafts
    with_line = [d for d in drafts if english in d.text]
    assert with_line and all(known_language(d.text) is None for d in with_line)
