"""Fixtures of the evaluation tests: the sample brand, fast fakes, no model requests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.drafting import switch
from assistant.knowledge import KnowledgeBase, load_knowledge_base
from tests.evaluation.eval_support import FakeEmbedder


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Caches in a temporary folder for module-scoped runs too (set before any of them)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSISTANT_CACHE_DIR", str(tmp_path_factory.mktemp("eval-cache")))
        yield


@pytest.fixture(autouse=True)
def _no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only LLM servers on loopback (the tests' own) may be called."""
    monkeypatch.setattr(switch, "ALLOW_MODEL_REQUESTS", False)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()
