"""When to retry a failed LLM request, how long to wait, and how to say why it failed.

Provider-neutral: errors are classified by langchain's common exception types
(`langchain_core.exceptions.ModelError` and its subclasses, which the OpenAI and
Anthropic integrations raise), then by what every HTTP stack has (a `status_code`, the
standard `TimeoutError`/`ConnectionError`, httpx's transport errors) for integrations
that raise their SDK's own errors (Ollama). Backoff is exponential with seeded jitter;
a server's Retry-After (or retry-after-ms) wins when it is a finite, non-negative
number, capped by `max_retry_after_s` (the caller also caps it by the deadline).

Failure descriptions never quote a model's reply or a server's body at length: digits
are masked and text is cut, since replies and echoed prompts may hold card numbers.
"""

from __future__ import annotations

import math
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Literal

from assistant.drafting.llm_deadline import CallTimedOut

Kind = Literal["timeout", "connection", "rate_limit", "server", "refused", "refusal", "invalid"]
_DIGITS = re.compile(r"\d[\d\s.\-]{4,}\d")


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

    def delay(self, error: BaseException, retry: int) -> float:
        """Seconds to wait before retry number `retry` (0-based)."""
        after = retry_after(error)
        if after is not None:
            return min(after, self.max_retry_after_s)
        cap = min(self.max_delay_s, self.base_delay_s * 2**retry)
        with self._lock:
            return self._rng.uniform(cap / 2, cap)


def retry_after(error: BaseException) -> float | None:
    """The server's Retry-After in seconds (retry-after-ms first; seconds or an HTTP
    date), or None when absent or not a finite number. A date in the past gives 0."""
    headers = getattr(getattr(error, "response", None), "headers", None)
    if headers is None:
        return None
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return _finite(float(ms) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return _finite(float(value))
        except ValueError:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None


def _finite(seconds: float) -> float | None:
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def status_of(error: BaseException) -> int | None:
    """The HTTP status a failed request got, if the error carries one."""
    for holder in (error, getattr(error, "response", None)):
        status = getattr(holder, "status_code", None)
        if isinstance(status, int):
            return status
    return None


def classify(error: BaseException) -> Kind:
    """What kind of failure `error` is; anything unknown is an invalid response."""
    named = _langchain_kind(error)
    if named is not None:
        return named
    status = status_of(error)
    if status is not None:
        return _status_kind(status)
    if isinstance(error, (TimeoutError, CallTimedOut)) or _is_httpx(error, "TimeoutException"):
        return "timeout"
    if isinstance(error, ConnectionError) or _is_httpx(error, "TransportError"):
        return "connection"
    return "invalid"


def _langchain_kind(error: BaseException) -> Kind | None:
    try:
        from langchain_core import exceptions as lc
    except ImportError:  # pragma: no cover - the llm extra brings it
        return None
    kinds: list[tuple[type[BaseException], Kind]] = [
        (lc.ModelTimeoutError, "timeout"),
        (lc.ModelConnectionError, "connection"),
        (lc.ModelRateLimitError, "rate_limit"),
        (lc.ModelAPIError, "server"),
        (lc.ModelRefusalError, "refusal"),
    ]
    for cls, kind in kinds:
        if isinstance(error, cls):
            return kind
    if isinstance(error, lc.ModelError):
        return "refused"
    return None


def _status_kind(status: int) -> Kind:
    if status == 429:
        return "rate_limit"
    if status >= 500:
        return "server"
    if 200 <= status < 300:
        return "invalid"
    return "refused"


def _is_httpx(error: BaseException, name: str) -> bool:
    try:
        import httpx
    except ImportError:  # pragma: no cover - every provider SDK depends on httpx
        return False
    return isinstance(error, getattr(httpx, name))


def retryable(kind: Kind) -> bool:
    return kind in ("timeout", "connection", "rate_limit", "server")


def describe(
    error: BaseException, kind: Kind, attempts: int, timeout: float | None, key_env: str | None
) -> str:
    """Why a request failed, as a sentence for `Draft.fallback_reason`."""
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    status = status_of(error)
    if kind == "timeout":
        return f"LLM request timed out after {timeout if timeout else '?'} s ({tries})"
    if kind == "connection":
        return f"could not connect to the LLM server ({tries})"
    if kind == "rate_limit":
        return f"LLM server kept rate-limiting (HTTP 429) after {tries}"
    if kind == "server":
        return f"LLM server error (HTTP {status or '5xx'}) after {tries}"
    if kind == "refusal":
        return "the model refused to write this reply"
    if kind == "refused":
        return _describe_refused(error, status, key_env)
    return (
        f"LLM server sent a response that is not a chat completion ({type(error).__name__}); "
        "check that the base URL is the provider's API"
    )


def _describe_refused(error: BaseException, status: int | None, key_env: str | None) -> str:
    key = key_env or "the provider's API key"
    hint = {
        401: f"; check {key}",
        403: f"; check {key}",
        404: "; check the model name and the server's base URL",
    }.get(status or 0, "")
    detail = short(getattr(error, "message", None) or error)
    return f"LLM server refused the request (HTTP {status or '?'}: {detail}){hint}"


def short(value: object, limit: int = 120) -> str:
    """`value` on one line, digit runs masked, at most `limit` characters."""
    text = _DIGITS.sub("…", " ".join(str(value).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"
