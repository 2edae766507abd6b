"""One structured LLM call: bind the schema, retry, parse strictly, count usage and cost.

`StructuredCaller.call(prompt, schema, check)` returns the parsed reply and its `Usage`,
or raises `LLMFailure` whose `reason` is a sentence for the draft. Nothing here imports
langchain or openai at module level.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

from pydantic import ValidationError

from assistant.drafting.llm_cache import cache_trace
from assistant.drafting.llm_retry import RetryPolicy, describe, is_openai_error, retryable
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
}

StructuredMethod = Literal["json_schema", "function_calling"]
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


class StructuredCaller:
    """Calls a chat model for one pydantic schema with retries; thread-safe."""

    def __init__(
        self,
        chat_model: Any,
        *,
        model: str,
        policy: RetryPolicy,
        method: StructuredMethod = "json_schema",
        timeout: float | None = None,
    ) -> None:
        self.chat_model = chat_model
        self.model = model
        self.policy = policy
        self.method = method
        self.timeout = timeout
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
        runnable = self._runnable(schema)
        with cache_trace() as trace:
            message = self._with_retries(runnable, prompt)
        usage = self._usage(message, cached=trace.hit)
        try:
            reply = _parse(message, schema)
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
                self._runnables[schema] = self._bind(strict_schema(schema))
            return self._runnables[schema]

    def _bind(self, spec: dict[str, Any]) -> Any:
        # Not with_structured_output(include_raw=True): that runs every call in a new
        # thread pool and its JSON parser completes truncated replies. Binding the same
        # request options ourselves keeps the raw message (usage) and a strict parse.
        if self.method == "function_calling":
            tool = {
                "type": "function",
                "function": {
                    "name": spec["name"],
                    "description": spec["description"],
                    "parameters": spec["schema"],
                    "strict": True,
                },
            }
            return self.chat_model.bind_tools(
                [tool], tool_choice=spec["name"], parallel_tool_calls=False, strict=True
            )
        return self.chat_model.bind(response_format={"type": "json_schema", "json_schema": spec})

    def _with_retries(self, runnable: Any, prompt: RenderedPrompt) -> Any:
        self.count(calls=1)
        retry = 0
        while True:
            self.count(attempts=1)
            try:
                return runnable.invoke(prompt.messages())
            except (ValueError, KeyError) as error:  # a body that is no chat completion
                raise LLMFailure(
                    f"LLM server sent an invalid response ({_short(error)})"
                ) from error
            except Exception as error:  # only openai errors are retried or described
                if not is_openai_error(error):
                    raise
                if retry >= self.policy.max_retries or not retryable(error):
                    raise LLMFailure(describe(error, retry + 1, self.timeout)) from error
                wait = self.policy.delay(error, retry)
                log.info("LLM call failed (%s); retry %d in %.2f s", error, retry + 1, wait)
                self.policy.sleep(wait)
                retry += 1
                self.count(retries=1)

    def _usage(self, raw: Any, *, cached: bool) -> Usage:
        meta = getattr(raw, "usage_metadata", None) or {}
        token_usage = (getattr(raw, "response_metadata", None) or {}).get("token_usage") or {}
        prompt = int(meta.get("input_tokens", token_usage.get("prompt_tokens", 0)) or 0)
        completion = int(meta.get("output_tokens", token_usage.get("completion_tokens", 0)) or 0)
        price = (0.0, 0.0) if cached or self._price is None else self._price
        cost = (prompt * price[0] + completion * price[1]) / 1_000_000
        self.count(
            cache_hits=int(cached),
            prompt_tokens=prompt,
            completion_tokens=completion,
            cost_usd=cost,
        )
        return Usage.model_validate(
            known_fields(
                Usage,
                {
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "cost_usd": round(cost, 8),
                    "cached": cached,
                },
            )
        )

    def count(self, **increments: float) -> None:
        with self._lock:
            for name, value in increments.items():
                setattr(self.stats, name, getattr(self.stats, name) + value)

    def snapshot(self) -> LLMStats:
        with self._lock:
            return replace(self.stats, notes=list(self.stats.notes))


def _parse(message: Any, schema: type[M]) -> M:
    try:
        data = structured_output(message)
    except ValueError as exc:
        raise LLMFailure(f"LLM reply was not valid structured output ({_short(exc)})") from None
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        detail = _short(_first_error(exc))
        raise LLMFailure(f"LLM reply did not match the reply schema ({detail})") from None


def structured_output(message: Any) -> Any:
    """The JSON object in a reply: the forced tool call's arguments, or the content.

    Parsed strictly: langchain's lenient parser would complete a truncated reply.
    """
    if getattr(message, "tool_calls", None):
        return message.tool_calls[0]["args"]
    if getattr(message, "invalid_tool_calls", None):
        raise ValueError(f"tool arguments are not JSON: {message.invalid_tool_calls[0]['args']}")
    content = message.content if isinstance(message.content, str) else message.text
    text = _FENCE.sub("", content.strip())
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} at character {exc.pos} of {text!r}") from None


def strict_schema(schema: type[Model]) -> dict[str, Any]:
    """`schema` as an OpenAI strict JSON schema (every field required, no extras).

    A dict, not the class: the reply stays plain JSON that the response cache can store
    and replay without reviving Python objects.
    """
    doc = (schema.__doc__ or schema.__name__).strip().splitlines()[0]
    return {
        "name": schema.__name__,
        "description": doc,
        "schema": schema.model_json_schema(),
        "strict": True,
    }


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc']) or 'reply'}: {err['msg']}"


def _short(value: object, limit: int = 120) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def known_fields(model: type[Model], values: dict[str, Any]) -> dict[str, Any]:
    # Optional fields (Usage.cached, Draft.prompt) are filled once types.py declares them.
    return {k: v for k, v in values.items() if k in model.model_fields}
