"""When to retry a failed LLM request, how long to wait, and how to say why it failed.

Backoff is exponential with seeded jitter; a server's Retry-After (or retry-after-ms)
wins, capped. Only openai errors are classified here; openai is imported lazily.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any


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


def is_openai_error(error: Exception) -> bool:
    import openai

    return isinstance(error, openai.OpenAIError)


def retryable(error: Exception) -> bool:
    import openai

    if isinstance(error, openai.APIStatusError):
        return error.status_code == 429 or error.status_code >= 500
    return isinstance(error, openai.APIConnectionError)  # timeouts included


def describe(error: Exception, attempts: int, timeout: float | None) -> str:
    """Why a request failed, as a sentence for `Draft.fallback_reason`."""
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
