"""The LLM drafter: any chat-model provider through langchain, with the offline
drafter as the fallback. The public entry point of the LLM backend, split by job:

    llm            LLMDrafter: draft, rewrite, reply checks, fallback
    llm_prompt     the prompt's variables: the offline composer's decisions and parts
    llm_client     LLMClient: a chat model from settings and a backend id, the switch
    llm_providers  the provider table and langchain's init_chat_model
    llm_caller     one structured call: binding, retries, the one answer validator, cost
    llm_retry      error classification on langchain's exception types, backoff
    llm_deadline   the total time budget of one suggestion
    llm_cache      the SQLite response cache

Only these modules import langchain, and only inside functions, so `import assistant`
stays light. The LLM judge lives in `assistant.evaluation.judge`.

    drafter = LLMDrafter.from_settings(get_settings(), model="anthropic:claude-haiku-4-5")
    draft = drafter.draft(request)     # never raises for a backend failure:
    draft.fallback_reason              # "LLM reply was in fr, expected de; used the ..."

Every reply is structured (`LLMReply`) and checked: reply language, citations only from
the retrieved FAQ entries, not empty, fits the channel, and every guardrail check
(`run_checks`): a blocking finding rejects it. Timeouts, rate limits, server errors
(retried first, within the suggestion's deadline), malformed output and rejected
replies all fall back to the fallback drafter (offline by default), and the draft says
why, without quoting the rejected reply.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Literal, get_args

from assistant.checks.base import CheckContext
from assistant.drafting.base import Drafter, DraftRequest
from assistant.drafting.llm_cache import ResponseStore, sqlite_cache
from assistant.drafting.llm_caller import (
    PRICES_PER_MILLION,
    LLMFailure,
    LLMStats,
    StructuredCaller,
    known_fields,
    parse_reply,
    price_for,
    strict_schema,
    structured_output,
)
from assistant.drafting.llm_client import LLMClient
from assistant.drafting.llm_deadline import Deadline, deadline
from assistant.drafting.llm_prompt import draft_variables, rewrite_variables
from assistant.drafting.llm_providers import DUMMY_API_KEY, MISSING_KEY, OPENAI_URL, PROVIDERS
from assistant.drafting.llm_retry import RetryPolicy, retry_after, short
from assistant.drafting.switch import check_allowed, is_loopback
from assistant.errors import BackendError, ConfigError
from assistant.prompts import LLMReply, RewriteReply, load_prompt, neutralise
from assistant.types import Draft, Finding, LanguageRule, Usage
from assistant.understanding.private_data import MaskPrivateData

__all__ = [
    "DUMMY_API_KEY",
    "MISSING_KEY",
    "OPENAI_URL",
    "PRICES_PER_MILLION",
    "PROVIDERS",
    "REWRITE_OPERATIONS",
    "Checker",
    "Detector",
    "LLMDrafter",
    "LLMFailure",
    "LLMStats",
    "ResponseStore",
    "RetryPolicy",
    "RewriteOperation",
    "StructuredCaller",
    "check_allowed",
    "detected_language",
    "draft_variables",
    "is_loopback",
    "parse_reply",
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
#: The guardrails a reply must pass: (draft, context) -> findings (`run_checks`).
Checker = Callable[[Draft, CheckContext], list[Finding]]
log = logging.getLogger(__name__)
log.addFilter(MaskPrivateData())  # a fallback reason may quote a reply with a card number
_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}$")


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
        checks: Checker | None = None,
        **options: Any,
    ) -> None:
        super().__init__(chat_model, model=model, **options)
        self.fallback = fallback if fallback is not None else _offline_drafter()
        self.detect = detect or detected_language
        self.checks = checks or _run_checks
        self.prompt = load_prompt("draft", self.prompts_dir)
        self.rewrite_prompt = load_prompt("rewrite", self.prompts_dir)

    def suggestion_scope(self) -> AbstractContextManager[Deadline]:
        """One deadline for every draft of a suggestion (ASSISTANT_DEADLINE_S)."""
        return deadline(self.deadline_s)

    def draft(self, request: DraftRequest) -> Draft:
        with self.suggestion_scope() as budget:
            if budget.expired:
                reason = f"the suggestion's {budget.seconds:g} s deadline had run out"
                return self._fall_back(request, reason, None)
            rendered = self.prompt.render(**draft_variables(request))
            try:
                reply, usage = self._call(rendered, LLMReply, lambda r: self._problem(r, request))
            except LLMFailure as failure:
                return self._fall_back(request, failure.reason, failure.usage)
        return self._to_draft(reply, request, usage)

    def _to_draft(self, reply: LLMReply, request: DraftRequest, usage: Usage | None) -> Draft:
        fields = {
            "text": reply.text.strip(),
            "language": request.language,
            "tone": request.tone,
            "citations": list(dict.fromkeys(reply.citations)),
            "backend": self.name,
            "confidence": reply.confidence,
            "needs_escalation": reply.needs_escalation or bool(request.analysis.escalations),
            "usage": usage,
            "prompt": self.prompt.id,
        }
        return Draft.model_validate(known_fields(Draft, fields))

    def _problem(self, reply: LLMReply, request: DraftRequest) -> str | None:
        problem = reply_problem(reply, request, self.detect)
        if problem is not None:
            return problem
        return blocking_problem(
            self.checks(self._to_draft(reply, request, None), _context(request))
        )

    def rewrite(self, text: str, operation: str, request: DraftRequest) -> str:
        """`text` rewritten by `operation` (one of REWRITE_OPERATIONS), facts kept.

        Raises BackendError when the LLM fails or the rewrite breaks a rule (language,
        length, or any blocking guardrail check); the caller keeps the original then.
        """
        if operation not in REWRITE_OPERATIONS:
            raise ConfigError(
                f"unknown rewrite operation {operation!r}; use one of: "
                f"{', '.join(REWRITE_OPERATIONS)}"
            )
        rendered = self.rewrite_prompt.render(
            operation=operation, draft=neutralise(text), **rewrite_variables(request)
        )
        try:
            with self.suggestion_scope():
                reply, _ = self._call(
                    rendered, RewriteReply, lambda r: self._rewrite_problem(r, request)
                )
        except LLMFailure as failure:
            raise BackendError(f"{failure.reason}; the draft was not rewritten") from None
        return reply.text.strip()

    def _rewrite_problem(self, reply: RewriteReply, request: DraftRequest) -> str | None:
        problem = _text_problem(reply.text, reply.language, request, self.detect)
        if problem is not None:
            return problem
        draft = Draft(
            text=reply.text.strip(),
            language=request.language,
            tone=request.tone,
            citations=request.retrieved_ids[:1],
            backend=self.name,
        )
        return blocking_problem(self.checks(draft, _context(request)))

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


def _run_checks(draft: Draft, context: CheckContext) -> list[Finding]:
    from assistant.checks import run_checks

    return run_checks(draft, context)


def _context(request: DraftRequest) -> CheckContext:
    rule = request.extra.get("language_rule", "customer")
    language_rule: LanguageRule = (
        rule if rule in ("customer", "fallback", "default", "forced") else "customer"  # type: ignore[assignment]
    )
    return CheckContext(
        request.message,
        request.analysis,
        request.hits,
        request.kb,
        request.language,
        language_rule,
        dict(request.extra),
    )


def blocking_problem(findings: list[Finding]) -> str | None:
    """Why a reply with these findings may not be used (blocking ones only), or None."""
    blocks = [f for f in findings if f.severity == "block"]
    if not blocks:
        return None
    ids = ", ".join(dict.fromkeys(f.id for f in blocks))
    return f"LLM reply failed the guardrail checks ({ids}: {short(blocks[0].message, 160)})"


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
            cited = short(faq_id, 40)
            return f"LLM reply cited '{cited}', which was not retrieved (retrieved: {allowed})"
    return None


def _text_problem(text: str, language: str, request: DraftRequest, detect: Detector) -> str | None:
    expected = request.language
    said = language if _LANGUAGE_CODE.match(language) else "an invalid language code"
    if not text.strip():
        return "LLM reply text was empty"
    if said != language or _primary(language) != _primary(expected):
        return f"LLM reply was in {said}, expected {expected}"
    detected = detect(text, request)
    if detected is not None and detected != _primary(expected):
        return f"LLM reply reads as {detected} although it says {said}, expected {expected}"
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
