"""Drafting backends, picked by a string id through one registry.

    get_drafter("offline")                 deterministic composer (default, no network)
    get_drafter("openai")                  ChatOpenAI with ASSISTANT_MODEL
    get_drafter("openai:gpt-4o-mini")      ChatOpenAI with that model

Built-in backends register exactly like external ones, with `register_drafter`.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.drafting.base import Drafter, DraftRequest, FunctionDrafter
from assistant.errors import ConfigError
from assistant.settings import Settings

DrafterFactory = Callable[[str | None, Settings], Drafter]
_REGISTRY: dict[str, DrafterFactory] = {}


def register_drafter(prefix: str, factory: DrafterFactory) -> None:
    """Make `prefix` (and `prefix:option`) a backend id."""
    _REGISTRY[prefix] = factory


def known_backends() -> list[str]:
    return sorted(_REGISTRY)


def get_drafter(backend_id: str, settings: Settings | None = None) -> Drafter:
    """Build the drafter for an id like "offline" or "openai:gpt-4o-mini"."""
    prefix, _, option = backend_id.partition(":")
    factory = _REGISTRY.get(prefix)
    if factory is None:
        raise ConfigError(
            f"unknown backend {backend_id!r}; known backends: {', '.join(known_backends())}"
        )
    return factory(option or None, settings or Settings())


def _offline(option: str | None, settings: Settings) -> Drafter:
    from assistant.drafting.offline import OfflineDrafter

    return OfflineDrafter()


def _openai(option: str | None, settings: Settings) -> Drafter:
    from assistant.drafting.llm import LLMDrafter  # llm_* modules alone import langchain

    return LLMDrafter.from_settings(settings, model=option)


register_drafter("offline", _offline)
register_drafter("openai", _openai)

__all__ = [
    "DraftRequest",
    "Drafter",
    "FunctionDrafter",
    "get_drafter",
    "known_backends",
    "register_drafter",
]
