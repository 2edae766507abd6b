"""Drafting backends, picked by a string id through one registry.

    get_drafter("offline")                      deterministic composer (default, no network)
    get_drafter("openai")                       OpenAI (or OPENAI_BASE_URL) with ASSISTANT_MODEL
    get_drafter("openai:gpt-4o-mini")           any provider langchain's init_chat_model knows:
    get_drafter("anthropic:claude-haiku-4-5")   anthropic, google_genai, ollama...
    get_drafter("ollama:llama3.1")              (each provider's package is an optional extra)

Built-in backends register exactly like external ones, with `register_drafter`.
`suggestion_scope(drafter)` opens the time budget one suggestion's drafts share.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from assistant.drafting.base import Drafter, DraftRequest, FunctionDrafter
from assistant.errors import ConfigError
from assistant.settings import Settings

DrafterFactory = Callable[[str | None, Settings], Drafter]
_REGISTRY: dict[str, DrafterFactory] = {}
#: LLM providers registered as backends (the table itself is in llm_providers).
LLM_PROVIDERS = ("openai", "anthropic", "google_genai", "ollama")


def register_drafter(prefix: str, factory: DrafterFactory) -> None:
    """Make `prefix` (and `prefix:option`) a backend id."""
    _REGISTRY[prefix] = factory


def known_backends() -> list[str]:
    return sorted(_REGISTRY)


def get_drafter(backend_id: str, settings: Settings | None = None) -> Drafter:
    """Build the drafter for an id like "offline" or "anthropic:claude-haiku-4-5"."""
    prefix, _, option = backend_id.partition(":")
    factory = _REGISTRY.get(prefix)
    if factory is None:
        raise ConfigError(
            f"unknown backend {backend_id!r}; known backends: {', '.join(known_backends())}"
        )
    return factory(option or None, settings or Settings())


def suggestion_scope(drafter: Drafter) -> AbstractContextManager[Any]:
    """The budget the drafts of one suggestion share (the LLM's deadline), if any."""
    scope = getattr(drafter, "suggestion_scope", None)
    return scope() if callable(scope) else nullcontext()


def _offline(option: str | None, settings: Settings) -> Drafter:
    from assistant.drafting.offline import OfflineDrafter

    return OfflineDrafter()


def _llm(provider: str) -> DrafterFactory:
    def build(option: str | None, settings: Settings) -> Drafter:
        from assistant.drafting.llm import LLMDrafter  # llm_* modules alone import langchain

        return LLMDrafter.from_settings(settings, model=f"{provider}:{option or ''}")

    return build


register_drafter("offline", _offline)
for _provider in LLM_PROVIDERS:
    register_drafter(_provider, _llm(_provider))

__all__ = [
    "DraftRequest",
    "Drafter",
    "FunctionDrafter",
    "get_drafter",
    "known_backends",
    "register_drafter",
    "suggestion_scope",
]
