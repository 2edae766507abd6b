"""Helpers for the review tests: hand-built drafts and suggestions, a fake pipeline, the CLI."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner, Result

from assistant.review import Review
from assistant.types import (
    Analysis,
    Detection,
    Draft,
    Finding,
    Hit,
    Message,
    Suggestion,
)

AddReview = Callable[..., Review]

BLOCK = Finding(id="private-data", severity="block", message="the reply repeats a card number")
WARN = Finding(id="length", severity="warn", message="longer than the channel allows")


def make_draft(
    text: str = "Hola Ana, tu pedido está en camino.",
    language: str = "es",
    tone: str = "friendly",
    citations: tuple[str, ...] = ("order-status",),
    findings: tuple[Finding, ...] = (),
) -> Draft:
    return Draft(
        text=text,
        language=language,
        tone=tone,
        citations=list(citations),
        findings=list(findings),
    )


def make_suggestion(
    text: str = "¿Dónde está mi pedido?",
    drafts: tuple[Draft, ...] | None = None,
    language: str = "es",
    channel: str = "twitter",
    name: str | None = "Ana",
) -> Suggestion:
    drafts = drafts or (make_draft(language=language), make_draft("Hola Ana.", language, "formal"))
    return Suggestion(
        message=Message(text=text, channel=channel, customer_name=name),
        detection=Detection(language=language, script="Latn", confidence=0.9, reliable=True),
        analysis=Analysis(
            language=language, sentiment="neutral", sentiment_score=0.0, intent="order-status"
        ),
        hits=[Hit(faq_id="order-status", score=0.8)],
        drafts=list(drafts),
        reply_language=language,
        language_rule="customer",
    )


def invoke(*args: str, input: str | None = None) -> Result:
    """Run `assistant ARGS...` in-process, on a wide terminal so tables do not wrap."""
    from assistant.cli import app

    return CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": "200"})


class FakeAssistant:
    """Stands in for `assistant.pipeline.Assistant`: hand-built suggestions, scripted checks."""

    calls: ClassVar[list[dict[str, Any]]] = []

    @classmethod
    def load(cls) -> FakeAssistant:
        return cls()

    def suggest(
        self, text: str, channel: str = "twitter", customer_name: str | None = None, n: int = 3
    ) -> Suggestion:
        self.calls.append({"text": text, "channel": channel, "name": customer_name, "n": n})
        drafts = (
            make_draft(f"Hola {customer_name}, tu pedido está en camino."),
            make_draft(f"Estimado/a {customer_name}: su pedido está en camino.", tone="formal"),
            make_draft("Tu pedido está en camino.", tone="brief"),
        )[:n]
        return make_suggestion(text, drafts, channel=channel, name=customer_name)

    def recheck(self, suggestion: Suggestion, text: str, draft_index: int = 0) -> list[Finding]:
        self.calls.append({"recheck": text, "draft_index": draft_index})
        return [BLOCK] if "4111" in text else []


def install_fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> type[FakeAssistant]:
    module = types.ModuleType("assistant.pipeline")
    module.Assistant = FakeAssistant  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "assistant.pipeline", module)
    monkeypatch.setattr(FakeAssistant, "calls", [])
    return FakeAssistant
