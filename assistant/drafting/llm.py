"""The LLM drafter: langchain's ChatOpenAI over the official openai client.

Works with any OpenAI-compatible server through a base URL (Ollama, vLLM, llama.cpp,
Azure). The public entry point of the LLM backend, split by job:

    llm          LLMDrafter: draft, rewrite, reply validation, fallback; the switch
    judge        LLMJudge: scores drafts for the evaluation library
    llm_client   ChatOpenAI from settings, the loopback guard, the shared client base
    llm_caller   one structured call: schema binding, strict parsing, usage and cost
    llm_retry    backoff honouring Retry-After, failure descriptions
    llm_cache    the SQLite response cache

Only the llm_* modules import langchain and openai, and only inside functions, so
`import assistant` stays light. Names from the others are re-exported here.

    drafter = LLMDrafter.from_settings(get_settings(), model="gpt-4o-mini")
    draft = drafter.draft(request)     # never raises for a backend failure:
    draft.fallback_reason              # "LLM reply was in fr, expected de; used the ..."

Every reply is structured (`LLMReply`) and checked: reply language, citations only from
the retrieved FAQ entries, not empty, fits the channel. Timeouts, rate limits, server
errors (retried first, with backoff honouring Retry-After), malformed output and failed
checks all fall back to the fallback drafter (offline by default), and the draft says so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal, get_args

from assistant.drafting.base import Drafter, DraftRequest
from assistant.drafting.judge import LLMJudge
from assistant.drafting.llm_cache import ResponseStore, sqlite_cache
from assistant.drafting.llm_caller import (
    PRICES_PER_MILLION,
    LLMFailure,
    LLMStats,
    StructuredCaller,
    StructuredMethod,
    known_fields,
    price_for,
    strict_schema,
    structured_output,
)
from assistant.drafting.llm_client import (
    DUMMY_API_KEY,
    MISSING_KEY,
    OPENAI_URL,
    LLMClient,
    api_key_for,
    check_allowed,
    is_loopback,
)
from assistant.drafting.llm_retry import RetryPolicy, retry_after
from assistant.errors import BackendError, ConfigError
from assistant.prompts import (
    LLMReply,
    RewriteReply,
    brand_context,
    channel_context,
    faq_context,
    hours_context,
    language_context,
    load_prompt,
    locale_context,
    neutralise,
    tone_context,
)
from assistant.types import Draft, Usage

__all__ = [
    "DUMMY_API_KEY",
    "MISSING_KEY",
    "OPENAI_URL",
    "PRICES_PER_MILLION",
    "REWRITE_OPERATIONS",
    "Detector",
    "LLMDrafter",
    "LLMFailure",
    "LLMJudge",
    "LLMStats",
    "ResponseStore",
    "RetryPolicy",
    "RewriteOperation",
    "StructuredCaller",
    "StructuredMethod",
    "api_key_for",
    "check_allowed",
    "detected_language",
    "draft_variables",
    "is_loopback",
    "price_for",
    "reply_problem",
    "retry_after",
    "sqlite_cache",
    "strict_schema",
    "structured_output",
]

RewriteOperation = Literal["shorter", "more_formal", "friendlier", "more_empathetic", "fix_grammar"]
REWRITE_OPERATIONS: tuple[str, ...] = get_args(RewriteOperation)
#: (reply text, request) -> the reply's language when detection is sure, else None.
Detector = Callable[[str, DraftRequest], str | None]
log = logging.getLogger(__name__)


# -- The drafter -----------------------------------------------------------------------
class LLMDrafter(LLMClient):
    """Drafts with an LLM; falls back to `fallback` (offline) whenever the LLM fails.

    Thread-safe: the evaluation runner calls `draft` from many threads at once.
    """

    def __init__(
        self,
        chat_model: Any,
        *,
        model: str,
        fallback: Drafter | None = None,
        detect: Detector | None = None,
        **options: Any,
    ) -> None:
        super().__init__(chat_model, model=model, **options)
        self.fallback = fallback if fallback is not None else _offline_drafter()
        self.detect = detect or detected_language
        self.prompt = load_prompt("draft", self.prompts_dir)
        self.rewrite_prompt = load_prompt("rewrite", self.prompts_dir)

    def draft(self, request: DraftRequest) -> Draft:
        rendered = self.prompt.render(**draft_variables(request))
        try:
            reply, usage = self._call(
                rendered, LLMReply, lambda reply: reply_problem(reply, request, self.detect)
            )
        except LLMFailure as failure:
            return self._fall_back(request, failure.reason, failure.usage)
        escalate = reply.needs_escalation or bool(request.analysis.escalations)
        fields = {
            "text": reply.text.strip(),
            "language": request.language,
            "tone": request.tone,
            "citations": list(dict.fromkeys(reply.citations)),
            "backend": self.name,
            "confidence": reply.confidence,
            "needs_escalation": escalate,
            "usage": usage,
            "prompt": self.prompt.id,
        }
        return Draft.model_validate(known_fields(Draft, fields))

    def rewrite(self, text: str, operation: str, request: DraftRequest) -> str:
        """`text` rewritten by `operation` (one of REWRITE_OPERATIONS), facts kept.

        Raises BackendError when the LLM fails or breaks a rule (language, length);
        the caller keeps the original draft then.
        """
        if operation not in REWRITE_OPERATIONS:
            raise ConfigError(
                f"unknown rewrite operation {operation!r}; use one of: "
                f"{', '.join(REWRITE_OPERATIONS)}"
            )
        variables = draft_variables(request)
        rendered = self.rewrite_prompt.render(
            operation=operation,
            draft=neutralise(text),
            **{k: variables[k] for k in ("brand", "language", "locale", "channel")},
        )
        try:
            reply, _ = self._call(
                rendered,
                RewriteReply,
                lambda reply: _text_problem(reply.text, reply.language, request, self.detect),
            )
        except LLMFailure as failure:
            raise BackendError(f"{failure.reason}; the draft was not rewritten") from None
        return reply.text.strip()

    def _fall_back(self, request: DraftRequest, reason: str, usage: Usage | None) -> Draft:
        self.caller.count(fallbacks=1)
        log.info("%s: %s", self.name, reason)
        draft = self.fallback.draft(request)
        return draft.model_copy(
            update={
                "backend": f"{draft.backend} (fallback from {self.name})",
                "fallback_reason": f"{reason}; used the {draft.backend} draft",
                "usage": usage,
            }
        )


def _offline_drafter() -> Drafter:
    from assistant.drafting.offline import OfflineDrafter

    return OfflineDrafter()


def draft_variables(request: DraftRequest) -> dict[str, Any]:
    """The variables of prompts/draft.yaml for one request."""
    kb, message, analysis = request.kb, request.message, request.analysis
    tone = tone_context(kb, request.tone)
    register = request.extra.get("register") or tone["register"]
    return {
        "brand": brand_context(kb),
        "language": language_context(kb, request.language),
        "locale": locale_context(kb, request.language, register, message.customer_name),
        "channel": channel_context(kb, message.channel),
        "tone": tone,
        "customer_name": message.customer_name or "",
        "analysis": {
            "sentiment": analysis.sentiment,
            "emotions": analysis.emotions,
            "urgency": analysis.urgency,
            "intent": analysis.intent,
            "needs_private": analysis.needs_private,
            "injection": bool(analysis.injection),
            "escalations": [
                e.model_dump(include={"trigger", "team", "channel"}) for e in analysis.escalations
            ],
        },
        "support_hours": hours_context(kb, request.language),
        "faq": faq_context(kb, request.retrieved_ids, request.language),
        "message": neutralise(message.text),
        "history": [neutralise(turn) for turn in message.history],
    }


def reply_problem(
    reply: LLMReply, request: DraftRequest, detect: Detector | None = None
) -> str | None:
    """Why a structured reply may not be used (a sentence), or None when it is fine."""
    problem = _text_problem(reply.text, reply.language, request, detect or detected_language)
    if problem is not None:
        return problem
    retrieved = request.retrieved_ids
    for faq_id in reply.citations:
        if faq_id not in retrieved:
            allowed = ", ".join(retrieved) or "none"
            return f"LLM reply cited {faq_id!r}, which was not retrieved (retrieved: {allowed})"
    return None


def _text_problem(text: str, language: str, request: DraftRequest, detect: Detector) -> str | None:
    expected = request.language
    if not text.strip():
        return "LLM reply text was empty"
    if _primary(language) != _primary(expected):
        return f"LLM reply was in {language}, expected {expected}"
    detected = detect(text, request)
    if detected is not None and detected != _primary(expected):
        return f"LLM reply reads as {detected} although it says {language}, expected {expected}"
    channel = request.kb.channel(request.message.channel)
    if len(text.strip()) > channel.max_length:
        return (
            f"LLM reply has {len(text.strip())} characters, over the "
            f"{channel.max_length} limit of {channel.label}"
        )
    return None


def _primary(code: str) -> str:
    return code.strip().replace("_", "-").split("-")[0].lower()


def detected_language(text: str, request: DraftRequest) -> str | None:
    """The reply's language when detection is sure of it, else None."""
    from assistant.language import detect_language

    detection = detect_language(text, languages=request.kb.languages, hint=request.language)
    return _primary(detection.language) if detection.reliable else None
