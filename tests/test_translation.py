"""Translation for agents: cached, and honest when offline. No test reaches the network."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
import yaml

from assistant.errors import TranslationUnavailable
from assistant.knowledge import load_knowledge_base
from assistant.translation import (
    CachedTranslator,
    DeepTranslator,
    fill_missing_answers,
    translate_suggestion,
)
from assistant.types import Analysis, Detection, Draft, Message, Suggestion

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


class FakeTranslator:
    id = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str | None]] = []

    def translate(self, text: str, target: str, source: str | None = None) -> str:
        self.calls.append((text, target, source))
        return f"[{source}->{target}] {text}"


def test_offline_translation_is_unavailable_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> socket.socket:
        raise OSError("network is unreachable")

    monkeypatch.setattr(socket, "create_connection", no_network)
    with pytest.raises(TranslationUnavailable, match="cannot be reached"):
        DeepTranslator().translate("hola", "en")


def test_cache_translates_each_text_once(tmp_path: Path) -> None:
    fake = FakeTranslator()
    cached = CachedTranslator(fake, tmp_path / "t.sqlite3")
    try:
        assert cached.translate("Wo ist meine Bestellung?", "en", "de") == (
            "[de->en] Wo ist meine Bestellung?"
        )
        cached.translate("Wo ist meine Bestellung?", "en", "de")
        cached.translate("Wo ist meine Bestellung?", "fr", "de")
    finally:
        cached.close()
    assert len(fake.calls) == 2


def test_translate_suggestion_for_the_agent() -> None:
    suggestion = Suggestion(
        message=Message(text="Որտե՞ղ է իմ պատվերը"),
        detection=Detection(language="hy", script="Armn", confidence=1.0, reliable=True),
        analysis=Analysis(
            language="hy", sentiment="neutral", sentiment_score=0.0, intent="order-status"
        ),
        hits=[],
        drafts=[Draft(text="Բարև Ձեզ", language="hy", tone="formal")],
        reply_language="hy",
        language_rule="customer",
    )
    result = translate_suggestion(suggestion, "en", FakeTranslator())
    assert result["message"] == "[hy->en] Որտե՞ղ է իմ պատվերը"
    assert result["drafts"] == ["[hy->en] Բարև Ձեզ"]


def test_fill_missing_answers_marks_them_for_review(tmp_path: Path) -> None:
    root = tmp_path / "guidelines"
    shutil.copytree(MINIMAL, root)
    brand = root / "brand.yaml"
    brand.write_text(brand.read_text().replace("supported: [en]", "supported: [en, fr]"))
    shutil.copy(MINIMAL / "locales" / "en.yaml", root / "locales" / "fr.yaml")
    pack = root / "locales" / "fr.yaml"
    pack.write_text(pack.read_text().replace("language: en", "language: fr"))
    for faq in (root / "faq").glob("*.yaml"):
        assert fill_missing_answers(faq, ["en", "fr"], FakeTranslator()) == ["fr"]
        assert fill_missing_answers(faq, ["en", "fr"], FakeTranslator()) == []
    doc = yaml.safe_load((root / "faq" / "order-status.yaml").read_text())
    assert doc["machine_translated"] == ["fr"]
    assert doc["answers"]["fr"].startswith("[en->fr] ")
    kb = load_knowledge_base(root)
    assert {str(w).split(": ", 2)[1] for w in kb.warnings} >= {"machine_translated"}
    assert (root / "faq" / "order-status.yaml").read_text().startswith("# yaml-language-server")
