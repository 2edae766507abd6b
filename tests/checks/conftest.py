"""The sample brand (15 languages), loaded once for all guardrail tests."""

from __future__ import annotations

import pytest

from assistant.knowledge import KnowledgeBase, load_knowledge_base


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base()
