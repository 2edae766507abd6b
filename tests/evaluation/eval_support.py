"""Builders for the evaluation tests: items, suggestions, a fast fake assistant, a fake
embedder. Nothing here loads a model or reaches the network."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.evaluation import EvalItem
from assistant.knowledge import KnowledgeBase
from assistant.types import (
    Analysis,
    Detection,
    Draft,
    EscalationMatch,
    Finding,
    Message,
    Suggestion,
)


def make_item(item_id: str = "en-001", **fields: Any) -> EvalItem:
    data: dict[str, Any] = {
        "id": item_id,
        "text": f"where is my order? ({item_id})",
        "language": "en",
        "channel": "twitter",
        "intent": "order-status",
        "faq_id": "order-status",
        "sentiment": "neutral",
        "needs_private": False,
        "escalate": False,
        "customer_name": None,
        "reference_reply": None,
        "split": "test",
    }
    return EvalItem.model_validate({**data, **fields})


def make_items(count: int, languages: Sequence[str] = ("en", "es", "hy")) -> list[EvalItem]:
    """Items round-robin over `languages`; every fourth has no gold FAQ entry."""
    return [
        make_item(
            f"{languages[i % len(languages)]}-{i:03d}",
            language=languages[i % len(languages)],
            faq_id=None if i % 4 == 3 else "order-status",
        )
        for i in range(count)
    ]


def make_suggestion(
    item: EvalItem,
    text: str = "Hi there,\nMost orders arrive within 3-5 business days.\n– Nimbus Care",
    *,
    language: str | None = None,
    detected: str | None = None,
    citations: Sequence[str] = ("order-status",),
    findings: Sequence[Finding] = (),
    sentiment: str | None = None,
    intent: str | None = None,
    tone: str = "friendly",
    needs_escalation: bool = False,
    escalations: Sequence[str] = (),
) -> Suggestion:
    """A suggestion with one draft, as the pipeline would return it."""
    lang = language or item.language
    analysis = Analysis(
        language=detected or item.language,
        sentiment=sentiment or item.sentiment,  # type: ignore[arg-type]
        sentiment_score=0.0,
        intent=intent or item.intent,
        escalations=[
            EscalationMatch(trigger=t, team="Legal", channel="email", matched=t)
            for t in escalations
        ],
    )
    draft = Draft(
        text=text,
        language=lang,
        tone=tone,
        citations=list(citations),
        findings=list(findings),
        needs_escalation=needs_escalation,
    )
    return Suggestion(
        message=Message(text=item.text, channel=item.channel, customer_name=item.customer_name),
        detection=Detection(
            language=detected or item.language, script="Latn", confidence=0.9, reliable=True
        ),
        analysis=analysis,
        hits=[],
        drafts=[draft],
        reply_language=lang,
        language_rule="customer",
    )


class FakeDrafter:
    name = "fake"


class FakeAssistant:
    """A thread-safe stand-in for `Assistant`: scripted suggestions, failures, interrupts."""

    def __init__(
        self,
        kb: KnowledgeBase,
        items: Sequence[EvalItem],
        *,
        fail: Sequence[str] = (),
        interrupt_at: int | None = None,
        respond: Callable[[EvalItem], Suggestion] | None = None,
    ) -> None:
        self.kb = kb
        self.drafter = FakeDrafter()
        self.by_text = {item.text: item for item in items}
        self.fail = set(fail)
        self.interrupt_at = interrupt_at
        self.respond = respond or make_suggestion
        self.calls: list[str] = []
        self.nows: list[dt.datetime | None] = []
        self._lock = threading.Lock()

    def suggest(
        self,
        text_or_message: str | Message,
        channel: Any = "twitter",
        customer_name: str | None = None,
        history: list[str] | None = None,
        locale: str | None = None,
        n: int = 3,
        *,
        now: dt.datetime | None = None,
    ) -> Suggestion:
        text = text_or_message if isinstance(text_or_message, str) else text_or_message.text
        item = self.by_text[text]
        with self._lock:
            self.calls.append(item.id)
            self.nows.append(now)
            count = len(self.calls)
        if self.interrupt_at is not None and count == self.interrupt_at:
            raise KeyboardInterrupt
        if item.id in self.fail:
            raise RuntimeError(f"scripted failure on {item.id}")
        return self.respond(item)


class FakeEmbedder:
    """Deterministic unit vectors from a hash of the text (equal texts: cosine 1)."""

    id = "fake"

    def embed_query(self, text: str) -> Any:
        return self.embed_documents([text])[0]

    def embed_documents(self, texts: list[str]) -> Any:
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            vector = np.random.default_rng(seed).normal(size=16)
            rows.append(vector / np.linalg.norm(vector))
        return np.asarray(rows, dtype=np.float32)


LANGUAGE_CODE = re.compile(r'language code "([a-z]{2,3})"')


def llm_responder(
    kb: KnowledgeBase, *, rate_limit_every: int = 0, slow_every: int = 0, slow_s: float = 2.0
) -> Callable[[dict[str, Any]], Any]:
    """A scripted OpenAI-compatible model for `OpenAIServer`: drafts in the language the
    prompt asks for (the locale's clarify line), judge rubrics for judge prompts; every
    `rate_limit_every`-th request is a 429, every `slow_every`-th is late by `slow_s`."""
    from tests.support.openai_server import Reply

    counter = itertools.count(1)
    lock = threading.Lock()

    def respond(payload: dict[str, Any]) -> Any:
        with lock:
            number = next(counter)
        if rate_limit_every and number % rate_limit_every == 0:
            return Reply.error(429, retry_after=0)
        reply = _reply_for(kb, payload)
        if slow_every and number % slow_every == 0:
            return Reply.slow(slow_s, reply)
        return reply

    return respond


def _reply_for(kb: KnowledgeBase, payload: dict[str, Any]) -> dict[str, Any]:
    system = str(payload["messages"][0]["content"])
    if "strict reviewer" in system:
        mark = {"score": 4, "rationale": "Answers the question in the customer's language."}
        return {"helpfulness": mark, "tone": mark, "cultural_fit": mark, "grounding": mark}
    found = LANGUAGE_CODE.search(system)
    language = found.group(1) if found else "en"
    text = kb.locale(language).lines.clarify
    return {
        "text": text,
        "language": language,
        "tone": "friendly",
        "citations": [],
        "confidence": 0.6,
        "needs_escalation": False,
    }


def results_without_timings(run: Path) -> dict[str, Any]:
    """A run folder's results by id, latency and step timings left out (the rest of two
    runs of the same messages must be equal)."""
    lines = [json.loads(line) for line in (run / "results.jsonl").read_text("utf-8").splitlines()]
    for line in lines:
        line.pop("latency_ms")
        line["suggestion"].pop("timings_ms")
    return {line["id"]: line for line in lines}
