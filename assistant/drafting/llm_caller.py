"""One structured LLM call: bind the schema, retry within the deadline, validate the
answer, count usage and cost.

`StructuredCaller.call(prompt, schema, check)` returns the parsed reply and its `Usage`,
or raises `LLMFailure` whose `reason` is a sentence for the draft. This is the one place
where every LLM answer is validated: whatever the server sent (an HTML login page, an
event stream, `{"choices": []}`, `null`, truncated JSON, the wrong schema), the caller
gets a parsed reply or a reason, never an AttributeError or IndexError. Reasons and
logs never quote the reply itself (it may hold a card number).

Structured output goes through langchain's common `with_structured_output(...,
include_raw=True)`; the raw message is then parsed strictly here (langchain's lenient
parser would complete a truncated reply). Nothing here imports langchain at module level.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from pydantic import ValidationError

from assistant.drafting.llm_cache import cache_trace
from assistant.drafting.llm_deadline import CallTimedOut, Deadline, call_within, deadline
from assistant.drafting.llm_providers import StructuredMethod
from assistant.drafting.llm_retry import (
    RetryPolicy,
    classify,
    describe,
    retry_after,
    retryable,
    short,
)
from assistant.prompts import RenderedPrompt
from assistant.types import Model, Usage

#: USD per million (prompt, completion) tokens; the longest matching prefix wins.
#: Public list prices when written; unknown models cost 0 (the drafter notes it).
PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
    "o4-mini": (1.10, 4.40),
    "o3-mini": (1.10, 4.40),
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-sonnet-4": (3.00, 15.00),
    "claude-opus-4": (15.00, 75.00),
    "gemini-2.5-flash": (0.30, 2.50),
    "gemini-2.5-pro": (1.25, 10.00),
}

M = TypeVar("M", bound=Model)
# One logger for the whole LLM backend, named as before it was split into modules.
log = logging.getLogger("assistant.drafting.llm")
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


def price_for(model: str) -> tuple[float, float] | None:
    name = model.rsplit("/", 1)[-1]  # "openai/gpt-4o-mini" on routers
    for prefix in sorted(PRICES_PER_MILLION, key=len, reverse=True):
        if name.startswith(prefix):
            return PRICES_PER_MILLION[prefix]
    return None


class LLMFailure(Exception):
    """A call that produced no usable structured output; `reason` is a sentence."""

    def __init__(self, reason: str, usage: Usage | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.usage = usage


@dataclass
class LLMStats:
    """What a drafter or judge did so far (HTTP attempts, retries, cache hits, cost)."""

    calls: int = 0
    attempts: int = 0
    retries: int = 0
    cache_hits: int = 0
    fallbacks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CallOptions:
    """How a caller asks for structured output and how long it may take."""

    method: StructuredMethod = "json_schema"
    plain_schema: bool = True  # a JSON-schema dict rather than the pydantic class
    timeout: float | None = None  # one attempt
    deadline_s: float = 30.0  # everything, unless an outer deadline is running
    key_env: str | None = None  # named in "check ..." hints


class StructuredCaller:
    """Calls a chat model for one pydantic schema with retries; thread-safe."""

    def __init__(
        self, chat_model: Any, *, model: str, policy: RetryPolicy, options: CallOptions
    ) -> None:
        self.chat_model = chat_model
        self.model = model
        self.policy = policy
        self.options = options
        self.stats = LLMStats()
        self._lock = threading.Lock()
        self._runnables: dict[type[Model], Any] = {}
        self._price = price_for(model)
        if self._price is None:
            self.stats.notes.append(
                f"no price known for model {model!r}: cost recorded as 0 "
                "(add it to PRICES_PER_MILLION)"
            )

    def call(
        self,
        prompt: RenderedPrompt,
        schema: type[M],
        check: Callable[[M], str | None] | None = None,
    ) -> tuple[M, Usage]:
        """The parsed reply and its usage, or LLMFailure (after retries).

        `check` returns why a parsed reply is unusable (or None); such replies, like
        malformed ones, are evicted from the response cache so a rerun asks again.
        """
        try:
            runnable = self._runnable(schema)
        except (NotImplementedError, ValueError, TypeError) as error:
            raise LLMFailure(
                f"the model cannot be asked for structured output ({type(error).__name__}: "
                f"{short(error)}); try structured_method='function_calling'"
            ) from None
        with deadline(self.options.deadline_s) as budget, cache_trace() as trace:
            message = self._with_retries(runnable, prompt, budget)
        usage = self._usage(message, cached=trace.hit)
        try:
            reply = parse_reply(message, schema)
            problem = check(reply) if check is not None else None
            if problem is not None:
                raise LLMFailure(problem)
        except LLMFailure as failure:
            self._evict(trace.keys)
            raise LLMFailure(failure.reason, usage) from None
        return reply, usage

    def _evict(self, keys: list[str]) -> None:
        evict = getattr(getattr(self.chat_model, "cache", None), "evict", None)
        if keys and callable(evict):
            evict(keys)

    def _runnable(self, schema: type[Model]) -> Any:
        with self._lock:
            if schema not in self._runnables:
                self._runnables[schema] = self._bind(schema)
            return self._runnables[schema]

    def _bind(self, schema: type[Model]) -> Any:
        method = self.options.method
        spec: Any = schema
        extra: dict[str, Any] = {}
        if self.options.plain_schema:
            spec = strict_schema(schema) if method == "json_schema" else function_schema(schema)
            extra = {} if method == "json_schema" else {"strict": True}
        return self.chat_model.with_structured_output(
            spec, method=method, include_raw=True, **extra
        )

    def _with_retries(self, runnable: Any, prompt: RenderedPrompt, budget: Deadline) -> Any:
        self.count(calls=1)
        messages = prompt.messages()
        retry = 0
        while True:
            if budget.expired:
                raise LLMFailure(_deadline_reason(budget, retry))
            per_try = min(self.options.timeout or budget.seconds, budget.remaining())
            self.count(attempts=1)
            try:
                return raw_message(call_within(lambda: runnable.invoke(messages), per_try))
            except Exception as error:
                wait = self._next_wait(error, retry, budget, per_try)
            log.info("LLM call failed; retry %d in %.2f s", retry + 1, wait)
            self.policy.sleep(wait)
            retry += 1
            self.count(retries=1)

    def _next_wait(self, error: Exception, retry: int, budget: Deadline, per_try: float) -> float:
        """Seconds to wait before retrying, or LLMFailure when there is no retry."""
        kind = classify(error)
        timeout = self.options.timeout
        if isinstance(error, CallTimedOut) and (timeout is None or per_try < timeout):
            raise LLMFailure(_deadline_reason(budget, retry + 1)) from None
        reason = describe(error, kind, retry + 1, timeout, self.options.key_env)
        log.info("LLM call failed: %s (%s)", reason, type(error).__name__)
        if retry >= self.policy.max_retries or not retryable(kind):
            raise LLMFailure(reason) from None
        wait = self.policy.delay(error, retry)
        asked = retry_after(error)
        if wait >= budget.remaining():
            shown = max(wait, asked or 0.0)
            raise LLMFailure(
                f"{reason}; the next retry (in {round(shown, 1):g} s) would pass the "
                f"{budget.seconds:g} s deadline"
            ) from None
        return wait

    def _usage(self, raw: Any, *, cached: bool) -> Usage:
        prompt, completion = token_counts(raw)
        price = (0.0, 0.0) if cached or self._price is None else self._price
        cost = (prompt * price[0] + completion * price[1]) / 1_000_000
        self.count(
            cache_hits=int(cached),
            prompt_tokens=prompt,
            completion_tokens=completion,
            cost_usd=cost,
        )
        return Usage(
            prompt_tokens=prompt,
            completion_tokens=completion,
            cost_usd=round(cost, 8),
            cached=cached,
        )

    def count(self, **increments: float) -> None:
        with self._lock:
            for name, value in increments.items():
                setattr(self.stats, name, getattr(self.stats, name) + value)

    def snapshot(self) -> LLMStats:
        with self._lock:
            return replace(self.stats, notes=list(self.stats.notes))


def _deadline_reason(budget: Deadline, attempts: int) -> str:
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    return (
        f"LLM request timed out: the suggestion's {budget.seconds:g} s deadline ran out ({tries})"
    )


def token_counts(message: Any) -> tuple[int, int]:
    """(prompt, completion) tokens from langchain's common `usage_metadata`."""
    meta = getattr(message, "usage_metadata", None) or {}
    legacy = (getattr(message, "response_metadata", None) or {}).get("token_usage") or {}
    prompt = meta.get("input_tokens", legacy.get("prompt_tokens", 0))
    completion = meta.get("output_tokens", legacy.get("completion_tokens", 0))
    return _count(prompt), _count(completion)


def _count(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError, OverflowError):
        return 0


def raw_message(result: Any) -> Any:
    """The model's message from `with_structured_output(include_raw=True)`."""
    if isinstance(result, dict):
        if result.get("raw") is None:
            raise ValueError("no raw message in the structured output")
        return result["raw"]
    return result


def parse_reply(message: Any, schema: type[M]) -> M:
    """The reply as `schema`, or LLMFailure saying what was wrong (never the text)."""
    try:
        data = structured_output(message)
    except ValueError as exc:
        raise LLMFailure(f"LLM reply was not valid structured output ({exc})") from None
    if not isinstance(data, dict):
        kind = "null" if data is None else type(data).__name__
        raise LLMFailure(f"LLM reply was not valid structured output (a JSON {kind})")
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        detail = short(_first_error(exc))
        raise LLMFailure(f"LLM reply did not match the reply schema ({detail})") from None


def structured_output(message: Any) -> Any:
    """The JSON value in a reply: the forced tool call's arguments, or the content.

    Parsed strictly: langchain's lenient parser would complete a truncated reply.
    ValueError says what was wrong without quoting the reply.
    """
    tool_calls = getattr(message, "tool_calls", None)
    if tool_calls:
        return tool_calls[0].get("args")
    if getattr(message, "invalid_tool_calls", None):
        raise ValueError("the tool call's arguments are not JSON")
    text = _FENCE.sub("", _content_text(message).strip())
    if not text:
        raise ValueError("the reply was empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} at character {exc.pos} of {len(text)}") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _content_text(message: Any) -> str:
    content = getattr(message, "content", None)
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(
            str(block.get("text", "")) if isinstance(block, dict) else str(block)
            for block in content
            if not isinstance(block, dict) or block.get("type", "text") == "text"
        )
    raise ValueError(f"the reply had no text content ({type(content).__name__})")


def strict_schema(schema: type[Model]) -> dict[str, Any]:
    """`schema` as a strict JSON-schema response format (every field required, no extras).

    A dict, not the class: langchain-openai hands classes to the SDK's own parser,
    which raises on a bad reply before this module can validate it.
    """
    return {
        "name": schema.__name__,
        "description": _doc(schema),
        "schema": schema.model_json_schema(),
        "strict": True,
    }


def function_schema(schema: type[Model]) -> dict[str, Any]:
    """`schema` as a function (tool) definition for function-calling servers."""
    return {
        "name": schema.__name__,
        "description": _doc(schema),
        "parameters": schema.model_json_schema(),
    }


def _doc(schema: type[Model]) -> str:
    return (schema.__doc__ or schema.__name__).strip().splitlines()[0]


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc']) or 'reply'}: {err['msg']}"


def known_fields(model: type[Model], values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in model.model_fields}
