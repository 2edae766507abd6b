"""Multilingual reply assistant for social customer service.

    from assistant import Assistant, detect_language

    detect_language("mera order abhi tak nahi aaya").language     # 'hi'
    suggestion = Assistant.load().suggest("Որտե՞ղ է իմ պատվերը")  # offline, sample brand
    suggestion.drafts[0].citations                                # ['order-status']

Names are imported lazily so `assistant detect` does not pay for retrieval or LLM code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.drafting import Drafter, DraftRequest, FunctionDrafter, get_drafter
    from assistant.errors import (
        AssistantError,
        BackendError,
        ConfigError,
        GuidelinesError,
        InputError,
        PromptError,
        TranslationUnavailable,
        UserError,
    )
    from assistant.knowledge import KnowledgeBase, load_knowledge_base
    from assistant.language import detect_language
    from assistant.pipeline import Assistant
    from assistant.types import (
        Analysis,
        Detection,
        Draft,
        Finding,
        Hit,
        Message,
        Suggestion,
    )
    from assistant.understanding.analysis import analyze

_EXPORTS = {
    "Assistant": "assistant.pipeline",
    "detect_language": "assistant.language",
    "analyze": "assistant.understanding.analysis",
    "load_knowledge_base": "assistant.knowledge",
    "KnowledgeBase": "assistant.knowledge",
    "Drafter": "assistant.drafting",
    "DraftRequest": "assistant.drafting",
    "FunctionDrafter": "assistant.drafting",
    "get_drafter": "assistant.drafting",
    "Analysis": "assistant.types",
    "Detection": "assistant.types",
    "Draft": "assistant.types",
    "Finding": "assistant.types",
    "Hit": "assistant.types",
    "Message": "assistant.types",
    "Suggestion": "assistant.types",
    "AssistantError": "assistant.errors",
    "UserError": "assistant.errors",
    "GuidelinesError": "assistant.errors",
    "PromptError": "assistant.errors",
    "ConfigError": "assistant.errors",
    "InputError": "assistant.errors",
    "BackendError": "assistant.errors",
    "TranslationUnavailable": "assistant.errors",
}

__all__ = [
    "Analysis",
    "Assistant",
    "AssistantError",
    "BackendError",
    "ConfigError",
    "Detection",
    "Draft",
    "DraftRequest",
    "Drafter",
    "Finding",
    "FunctionDrafter",
    "GuidelinesError",
    "Hit",
    "InputError",
    "KnowledgeBase",
    "Message",
    "PromptError",
    "Suggestion",
    "TranslationUnavailable",
    "UserError",
    "analyze",
    "detect_language",
    "get_drafter",
    "load_knowledge_base",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
