"""The drafter contract (tests/drafting/contract.py), run with the LLM drafter on two
providers' real langchain clients: langchain-openai against a local OpenAI-compatible
server and langchain-anthropic against a local Anthropic-compatible one.

The sample brand, the full pipeline, and a local server answering like a well-behaved
model (`faithful_draft`). Every draft must come from the LLM: a fallback to the offline
drafter would hide a broken LLM path.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.drafting import llm
from assistant.drafting.offline import OfflineDrafter
from assistant.pipeline import Assistant
from assistant.settings import Settings
from tests.drafting.contract import DrafterContract
from tests.support.anthropic_server import AnthropicServer
from tests.support.openai_server import OpenAIServer, ScriptedServer, faithful_draft


def _assistant(server: ScriptedServer, backend: str) -> Iterator[tuple[Assistant, llm.LLMDrafter]]:
    settings = Settings(
        openai_base_url=server.base_url,
        llm_base_url=server.base_url,
        llm_cache=False,
        max_retries=0,
    )
    with llm.LLMDrafter.from_settings(settings, model=backend, fallback=OfflineDrafter()) as d:
        yield Assistant.load(backend=d, settings=settings, embeddings=False), d


class _NoFallback(DrafterContract):
    @pytest.fixture
    def pair(self) -> tuple[Assistant, llm.LLMDrafter]:  # pragma: no cover - overridden
        raise NotImplementedError

    @pytest.fixture
    def assistant(self, pair: tuple[Assistant, llm.LLMDrafter]) -> Iterator[Assistant]:
        assistant, drafter = pair
        before = drafter.stats.fallbacks
        yield assistant
        assert drafter.stats.fallbacks == before, "a draft fell back to the offline drafter"


@pytest.fixture(scope="module")
def openai_pair() -> Iterator[tuple[Assistant, llm.LLMDrafter]]:
    with OpenAIServer(faithful_draft) as server:
        yield from _assistant(server, "openai:gpt-4o-mini")


@pytest.fixture(scope="module")
def anthropic_pair() -> Iterator[tuple[Assistant, llm.LLMDrafter]]:
    with AnthropicServer(faithful_draft) as server:
        yield from _assistant(server, "anthropic:claude-haiku-4-5")


class TestOpenAIContract(_NoFallback):
    @pytest.fixture
    def pair(
        self, openai_pair: tuple[Assistant, llm.LLMDrafter]
    ) -> tuple[Assistant, llm.LLMDrafter]:
        return openai_pair


class TestAnthropicContract(_NoFallback):
    @pytest.fixture
    def pair(
        self, anthropic_pair: tuple[Assistant, llm.LLMDrafter]
    ) -> tuple[Assistant, llm.LLMDrafter]:
        assert anthropic_pair[1].name == "anthropic:claude-haiku-4-5"
        return anthropic_pair
