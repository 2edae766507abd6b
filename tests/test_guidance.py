"""Guideline snippets shown next to drafts: relevant, and only for the reply language."""

from __future__ import annotations

import pytest

from assistant.knowledge import KnowledgeBase, load_knowledge_base
from assistant.understanding.embeddings import default_embedder
from assistant.understanding.guidance import GuidanceIndex, guideline_entries


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def test_entries_cover_brand_rules_tones_and_cultural_notes(kb: KnowledgeBase) -> None:
    sources = {e.source.split(".")[0] for e in guideline_entries(kb)}
    assert sources == {"brand", "tones", "locales/en", *{f"locales/{x}" for x in kb.locales}}


def test_fired_escalation_rules_come_first(kb: KnowledgeBase) -> None:
    index = GuidanceIndex(kb, default_embedder())
    found = index.search(
        "Ich schalte jetzt meinen Anwalt ein!", "de", k=3, pinned=["brand.escalation.legal_threat"]
    )
    assert found[0].source == "brand.escalation.legal_threat"
    assert all(s.source.startswith(("brand", "tones", "locales/de")) for s in found)


def test_the_pipeline_attaches_guidance() -> None:
    from assistant.pipeline import Assistant

    suggestion = Assistant.load().suggest("Ich werde Sie verklagen, mein Anwalt meldet sich!")
    assert suggestion.analysis.escalations
    assert suggestion.guidance[0].source == "brand.escalation.legal_threat"


def test_lexical_mode_matches_words_and_respects_language(kb: KnowledgeBase) -> None:
    index = GuidanceIndex(kb)  # no embedder: word overlap
    found = index.search("the customer threatens legal action with a lawyer", "en", k=2)
    assert found[0].source == "brand.escalation.legal_threat"
    assert not any(
        s.source.startswith("locales/") and s.source != "locales/en.cultural_notes" for s in found
    )
    assert index.search("😡", "en") == []
