"""Rewrite a draft: shorter, more formal, friendlier, more empathetic, fixed grammar.

Offline, a rewrite recomposes the draft from the locale pack with another tone or
register (the knowledge the composer has); with an LLM drafter, the model rewrites
the text itself. A rewrite that changes nothing says so instead of pretending.
"""

from __future__ import annotations

from typing import Literal

from assistant.drafting.base import DraftRequest
from assistant.errors import ConfigError
from assistant.types import Model

Operation = Literal["shorter", "more_formal", "friendlier", "more_empathetic", "fix_grammar"]
OPERATIONS: tuple[str, ...] = (
    "shorter",
    "more_formal",
    "friendlier",
    "more_empathetic",
    "fix_grammar",
)
_OFFLINE: dict[str, dict[str, str]] = {
    "shorter": {"tone": "concise"},
    "more_formal": {"tone": "formal", "register": "formal"},
    "friendlier": {"tone": "friendly", "register": "informal"},
    "more_empathetic": {"tone": "apologetic"},
}


class RewriteResult(Model):
    operation: str
    text: str
    changed: bool
    note: str


def rewrite(
    text: str, operation: str, request: DraftRequest, *, llm: object = None
) -> RewriteResult:
    """Apply `operation` to a draft written for `request`."""
    if operation not in OPERATIONS:
        raise ConfigError(f"unknown rewrite {operation!r}; use one of: {', '.join(OPERATIONS)}")
    rewrite_text = getattr(llm, "rewrite", None)
    if callable(rewrite_text):
        new = str(rewrite_text(text, operation, request))
        return _result(operation, text, new, "rewritten by the LLM")
    if operation == "fix_grammar":
        return RewriteResult(
            operation=operation,
            text=text,
            changed=False,
            note="grammar fixing needs an LLM backend (--backend openai); the text is unchanged",
        )
    return _offline(text, operation, request)


def _offline(text: str, operation: str, request: DraftRequest) -> RewriteResult:
    from dataclasses import replace

    from assistant.drafting.offline import OfflineDrafter

    recipe = _OFFLINE[operation]
    extra = {**request.extra, **({"register": recipe["register"]} if "register" in recipe else {})}
    variant = replace(request, tone=recipe["tone"], extra=extra)
    new = OfflineDrafter().draft(variant).text
    if operation == "shorter" and len(new) >= len(text):
        return RewriteResult(
            operation=operation,
            text=text,
            changed=False,
            note="already as short as the required parts allow; unchanged",
        )
    return _result(operation, text, new, f"recomposed offline with the {recipe['tone']} tone")


def _result(operation: str, old: str, new: str, how: str) -> RewriteResult:
    if new.strip() == old.strip():
        return RewriteResult(
            operation=operation,
            text=old,
            changed=False,
            note=f"the draft already satisfies '{operation}'; unchanged",
        )
    return RewriteResult(operation=operation, text=new, changed=True, note=how)
