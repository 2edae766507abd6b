"""The LLM drafter: langchain's ChatOpenAI over the official openai client.

The only module that imports langchain and openai, and only inside functions, so
`import assistant` stays light. Works with any OpenAI-compatible server through a base
URL (Ollama, vLLM, llama.cpp, Azure).

    drafter = LLMDrafter.from_settings(get_settings(), model="gpt-4o-mini")
    draft = drafter.draft(request)     # never raises for a backend failure:
    draft.fallback_reason              # "LLM reply was in fr, expected de; used the ..."

Every reply is structured (`LLMReply`) and checked: reply language, citations only from
the retrieved FAQ entries, not empty, fits the channel. Timeouts, rate limits, server
errors (retried first, with backoff honouring Retry-After), malformed output and failed
checks all fall back to the fallback drafter (offline by default), and the draft says so.
"""

from __future__ import annotations

import contextvars
import hashlib
import ipaddress
import json
import logging
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, TypeVar, get_args
from urllib.parse import urlsplit

from pydantic import ValidationError

from assistant.drafting.base import Drafter, DraftRequest
from assistant.errors import BackendError, ConfigError
from assistant.knowledge import KnowledgeBase
from assistant.prompts import (
    JudgeRubric,
    JudgeScores,
    LLMReply,
    RenderedPrompt,
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
from assistant.settings import Settings
from assistant.types import Draft, Message, Model, Usage

#: Switched off by the test suite: then only loopback servers (127.0.0.0/8, localhost,
#: ::1) may be called, and anything else is a ConfigError before any request.
ALLOW_MODEL_REQUESTS = True

OPENAI_URL = "https://api.openai.com/v1"
DUMMY_API_KEY = "not-needed"  # local servers ignore the key, the openai client wants one
MISSING_KEY = (
    "OPENAI_API_KEY is not set. Set it, or set OPENAI_BASE_URL for a local "
    "OpenAI-compatible server (Ollama, vLLM), or use --backend offline."
)

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

RewriteOperation = Literal["shorter", "more_formal", "friendlier", "more_empathetic", "fix_grammar"]
REWRITE_OPERATIONS: tuple[str, ...] = get_args(RewriteOperation)
StructuredMethod = Literal["json_schema", "function_calling"]
#: (reply text, request) -> the reply's language when detection is sure, else None.
Detector = Callable[[str, DraftRequest], str | None]
log = logging.getLogger(__name__)
M = TypeVar("M", bound=Model)


# -- Guard rails on configuration ------------------------------------------------------
def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_allowed(base_url: str | None) -> None:
    """Refuse non-loopback servers while ALLOW_MODEL_REQUESTS is off (the test suite)."""
    if ALLOW_MODEL_REQUESTS or base_url is None or is_loopback(base_url):
        return
    raise ConfigError(
        f"model requests are switched off (assistant.drafting.llm.ALLOW_MODEL_REQUESTS is "
        f"False): only servers on 127.0.0.1, localhost or ::1 may be called, not {base_url}. "
        "Start a local OpenAI-compatible server or use --backend offline."
    )


def api_key_for(settings: Settings) -> str:
    if settings.openai_api_key:
        return settings.openai_api_key
    if settings.openai_base_url:
        return DUMMY_API_KEY
    raise ConfigError(MISSING_KEY)


def price_for(model: str) -> tuple[float, float] | None:
    name = model.rsplit("/", 1)[-1]  # "openai/gpt-4o-mini" on routers
    for prefix in sorted(PRICES_PER_MILLION, key=len, reverse=True):
        if name.startswith(prefix):
            return PRICES_PER_MILLION[prefix]
    return None


# -- Calling the model: retries, usage, cache hits -------------------------------------
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


@dataclass
class RetryPolicy:
    """Exponential backoff with seeded jitter; Retry-After wins when the server sends it."""

    max_retries: int = 2
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    max_retry_after_s: float = 30.0
    seed: int = 0
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def delay(self, error: Exception, retry: int) -> float:
        """Seconds to wait before retry number `retry` (0-based)."""
        after = retry_after(error)
        if after is not None:
            return min(max(after, 0.0), self.max_retry_after_s)
        cap = min(self.max_delay_s, self.base_delay_s * 2**retry)
        with self._lock:
            return self._rng.uniform(cap / 2, cap)


def retry_after(error: Exception) -> float | None:
    """The server's Retry-After (seconds or HTTP date; retry-after-ms first), if any."""
    headers = getattr(getattr(error, "response", None), "headers", None)
    if headers is None:
        return None
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return float(ms) / 1000
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            return parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError):
        return None


def _retryable(error: Exception) -> bool:
    import openai

    if isinstance(error, openai.APIStatusError):
        return error.status_code == 429 or error.status_code >= 500
    return isinstance(error, openai.APIConnectionError)  # timeouts included


def _describe(error: Exception, attempts: int, timeout: float | None) -> str:
    import openai

    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    if isinstance(error, openai.APITimeoutError):
        return f"LLM request timed out after {timeout or '?'} s ({tries})"
    if isinstance(error, openai.APIConnectionError):
        return f"could not connect to the LLM server ({tries})"
    if isinstance(error, openai.APIStatusError):
        return _describe_status(error, tries)
    if isinstance(error, openai.LengthFinishReasonError):
        return "LLM reply was cut off at the token limit"
    if isinstance(error, openai.ContentFilterFinishReasonError):
        return "LLM reply was blocked by the provider's content filter"
    return f"LLM request failed ({type(error).__name__}: {error})"


def _describe_status(error: Any, tries: str) -> str:
    status = error.status_code
    if status == 429:
        return f"LLM server kept rate-limiting (HTTP 429) after {tries}"
    if status >= 500:
        return f"LLM server error (HTTP {status}) after {tries}"
    hint = {
        401: "; check OPENAI_API_KEY",
        403: "; check OPENAI_API_KEY",
        404: "; check ASSISTANT_MODEL and OPENAI_BASE_URL",
    }.get(status, "")
    return f"LLM server refused the request (HTTP {status}: {error.message}){hint}"


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


@dataclass
class _CacheTrace:
    """What the response cache did during one call (in a ContextVar: thread-safe)."""

    hit: bool = False
    keys: list[str] = field(default_factory=list)


_CACHE_TRACE: contextvars.ContextVar[_CacheTrace] = contextvars.ContextVar("llm_cache_trace")


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
        trace = _CacheTrace()
        token = _CACHE_TRACE.set(trace)
        try:
            message = self._with_retries(runnable, prompt)
        finally:
            _CACHE_TRACE.reset(token)
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
                if not _is_openai_error(error):
                    raise
                if retry >= self.policy.max_retries or not _retryable(error):
                    raise LLMFailure(_describe(error, retry + 1, self.timeout)) from error
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
            _known_fields(
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


def _is_openai_error(error: Exception) -> bool:
    import openai

    return isinstance(error, openai.OpenAIError)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc']) or 'reply'}: {err['msg']}"


def _short(value: object, limit: int = 120) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _known_fields(model: type[Model], values: dict[str, Any]) -> dict[str, Any]:
    # Optional fields (Usage.cached, Draft.prompt) are filled once types.py declares them.
    return {k: v for k, v in values.items() if k in model.model_fields}


# -- The on-disk response cache --------------------------------------------------------
class ResponseStore:
    """Key -> JSON text in one SQLite file; a connection per operation, so thread-safe."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS responses "
                "(key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL)"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock, closing(sqlite3.connect(self.path, timeout=30)) as db, db:
            yield db

    def get(self, key: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, value: str) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?)", (key, value, time.time())
            )

    def delete(self, keys: list[str] | None = None) -> None:
        """Forget `keys`, or everything."""
        with self._connect() as db:
            if keys is None:
                db.execute("DELETE FROM responses")
            else:
                db.executemany("DELETE FROM responses WHERE key = ?", [(k,) for k in keys])


def sqlite_cache(path: Path, namespace: str = "") -> Any:
    """A langchain `BaseCache` over a `ResponseStore` (passed to the model as `cache=`).

    Replies are stored as plain message JSON (nothing is revived as Python objects) and
    keyed by `namespace` (the server URL) besides langchain's prompt and model string.
    Hits and writes are reported to the current call, which prices hits at 0 and
    evicts replies that failed its checks.
    """
    from langchain_core.caches import BaseCache
    from langchain_core.messages import message_to_dict, messages_from_dict
    from langchain_core.outputs import ChatGeneration

    store = ResponseStore(path)

    def key_of(prompt: str, llm_string: str) -> str:
        key = hashlib.sha256("\0".join((namespace, llm_string, prompt)).encode()).hexdigest()
        if (trace := _CACHE_TRACE.get(None)) is not None:
            trace.keys.append(key)
        return key

    class SQLiteResponseCache(BaseCache):
        def lookup(self, prompt: str, llm_string: str) -> Any:
            value = store.get(key_of(prompt, llm_string))
            if value is None:
                return None
            if (trace := _CACHE_TRACE.get(None)) is not None:
                trace.hit = True
            items = json.loads(value)
            messages = messages_from_dict([item["message"] for item in items])
            return [
                ChatGeneration(message=m, generation_info=item.get("info"))
                for m, item in zip(messages, items, strict=True)
            ]

        def update(self, prompt: str, llm_string: str, return_val: Any) -> None:
            items = [
                {"message": message_to_dict(g.message), "info": g.generation_info}
                for g in return_val
                if isinstance(g, ChatGeneration)
            ]
            store.put(key_of(prompt, llm_string), json.dumps(items, default=str))

        def clear(self, **kwargs: Any) -> None:
            store.delete()

        def evict(self, keys: list[str]) -> None:
            store.delete(keys)

    return SQLiteResponseCache()


# -- Shared by the drafter and the judge -----------------------------------------------
class _LLMClient:
    """A chat model plus retry policy, stats and the HTTP client it owns."""

    def __init__(
        self,
        chat_model: Any,
        *,
        model: str,
        base_url: str | None = None,
        max_retries: int = 2,
        timeout: float | None = None,
        structured_method: StructuredMethod = "json_schema",
        seed: int = 0,
        sleep: Callable[[float], None] = time.sleep,
        max_retry_after_s: float = 30.0,
        prompts_dir: str | Path | None = None,
        http_client: Any = None,
    ) -> None:
        self.model = model
        self.name = f"openai:{model}"
        self.base_url = base_url if base_url is not None else _endpoint_of(chat_model)
        check_allowed(self.base_url)
        self.prompts_dir = prompts_dir
        policy = RetryPolicy(
            max_retries=max_retries, seed=seed, sleep=sleep, max_retry_after_s=max_retry_after_s
        )
        self.caller = StructuredCaller(
            chat_model, model=model, policy=policy, method=structured_method, timeout=timeout
        )
        self._http_client = http_client

    @classmethod
    def from_settings(cls, settings: Settings, model: str | None = None, **options: Any) -> Self:
        """Build on ChatOpenAI from settings (key, base URL, timeout, retries, cache)."""
        model = model or settings.model
        api_key = api_key_for(settings)
        check_allowed(settings.openai_base_url or OPENAI_URL)
        chat_model, http_client = _chat_openai(settings, model, api_key)
        options.setdefault("max_retries", settings.max_retries)
        return cls(
            chat_model,
            model=model,
            base_url=settings.openai_base_url or OPENAI_URL,
            timeout=settings.timeout_s,
            http_client=http_client,
            **options,
        )

    @property
    def stats(self) -> LLMStats:
        return self.caller.snapshot()

    def _call(
        self,
        prompt: RenderedPrompt,
        schema: type[M],
        check: Callable[[M], str | None] | None = None,
    ) -> tuple[M, Usage]:
        check_allowed(self.base_url)  # the switch may have been turned off since
        return self.caller.call(prompt, schema, check)

    def close(self) -> None:
        """Close the HTTP connections this object opened."""
        if self._http_client is not None:
            self._http_client.close()
            self._http_client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _endpoint_of(chat_model: Any) -> str | None:
    """The URL a langchain OpenAI model calls; None for models that call nothing known."""
    if not hasattr(chat_model, "openai_api_base"):
        return None
    return str(chat_model.openai_api_base or OPENAI_URL)


def _chat_openai(settings: Settings, model: str, api_key: str) -> tuple[Any, Any]:
    import openai
    from langchain_openai import ChatOpenAI

    http_client = openai.DefaultHttpxClient()
    cache: Any = False  # False, not None: never fall back to a process-global cache
    if settings.llm_cache:
        cache = sqlite_cache(
            settings.cache_dir / "llm.sqlite3", namespace=settings.openai_base_url or OPENAI_URL
        )
    chat_model = ChatOpenAI(
        model=model,
        api_key=api_key,
        base_url=settings.openai_base_url,
        timeout=settings.timeout_s,
        max_retries=0,  # retries are ours: they honour Retry-After and are counted
        http_client=http_client,
        use_responses_api=False,  # chat completions: what every compatible server speaks
        cache=cache,
    )
    return chat_model, http_client


# -- The drafter -----------------------------------------------------------------------
class LLMDrafter(_LLMClient):
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
        return Draft.model_validate(_known_fields(Draft, fields))

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


# -- The judge -------------------------------------------------------------------------
class LLMJudge(_LLMClient):
    """Scores drafts with prompts/judge.yaml; used by the evaluation library."""

    def __init__(self, chat_model: Any, *, model: str, **options: Any) -> None:
        super().__init__(chat_model, model=model, **options)
        self.prompt = load_prompt("judge", self.prompts_dir)

    def score(
        self, message: Message | str, draft: Draft, kb: KnowledgeBase, reference: str | None = None
    ) -> JudgeScores:
        """Scores from 1 to 5 with rationales; BackendError when the judge fails."""
        msg = message if isinstance(message, Message) else Message(text=message)
        language, tone = draft.language, tone_context(kb, draft.tone)
        rendered = self.prompt.render(
            brand=brand_context(kb),
            language=language_context(kb, language),
            locale=locale_context(kb, language, tone["register"], msg.customer_name),
            channel=channel_context(kb, msg.channel),
            tone=tone,
            faq=faq_context(kb, draft.citations, language),
            message=neutralise(msg.text),
            draft=neutralise(draft.text),
            citations=draft.citations,
            reference=neutralise(reference) if reference else "",
        )
        try:
            rubric, usage = self._call(rendered, JudgeRubric)
        except LLMFailure as failure:
            raise BackendError(f"{failure.reason}; the draft was not judged") from None
        return JudgeScores(
            **rubric.model_dump(), judge=self.name, prompt=self.prompt.id, usage=usage
        )
