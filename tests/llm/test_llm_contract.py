"""The drafter contract (tests/drafting/contract.py), run with the LLM drafter.

The sample brand, the full pipeline, the real langchain + openai clients, and a local
server answering like a well-behaved model (`faithful_draft`). Every draft must come
from the LLM: a fallback to the offline drafter would hide a broken LLM path.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from drafting.contract import DrafterContract
from support.openai_server import OpenAIServer, faithful_draft

from assistant.drafting import llm
from assistant.drafting.offline import OfflineDrafter
from assistant.pipeline import Assistant
from assistant.settings import Settings


@pytest.fixture(scope="module")
def llm_assistant() -> Iterator[tuple[Assistant, llm.LLMDrafter]]:
    with OpenAIServer(faithful_draft) as server:
        settings = Settings(openai_base_url=server.base_url, llm_cache=False, max_retries=0)
        with llm.LLMDrafter.from_settings(settings, fallback=OfflineDrafter()) as drafter:
            yield Assistant.load(backend=drafter, settings=settings, embeddings=False), drafter


class TestLLMContract(DrafterContract):
    @pytest.fixture
    def assistant(self, llm_assistant: tuple[Assistant, llm.LLMDrafter]) -> Iterator[Assistant]:
        assistant, drafter = llm_assistant
        before = drafter.stats.fallbacks
        yield assistant
        assert drafter.stats.fallbacks == before, "a draft fell back to the offline drafter"
