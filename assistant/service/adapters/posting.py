"""Posting to a helpdesk API with retries: 429 and 5xx back off, 401/403 stop at once."""

from __future__ import annotations

import time
from typing import Any

import httpx

from assistant.service.adapters.base import (
    HelpdeskRejected,
    HelpdeskUnauthorized,
    HelpdeskUnavailable,
)

__all__ = ["Poster"]

_MAX_WAIT_S = 30.0


class Poster:
    """`post(url, json, headers)` with `retries` retries after the first attempt."""

    def __init__(self, *, timeout_s: float, retries: int, base_s: float, name: str) -> None:
        self._client = httpx.Client(timeout=timeout_s)
        self._retries = retries
        self._base_s = base_s
        self._name = name

    def close(self) -> None:
        self._client.close()

    def post(self, url: str, payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """The JSON answer of a 2xx; HelpdeskUnavailable once the retries are spent."""
        failure = ""
        for attempt in range(self._retries + 1):
            try:
                response = self._client.post(url, json=payload, headers=headers)
            except httpx.HTTPError as exc:
                failure, wait = f"{type(exc).__name__}", self._backoff(attempt, None)
            else:
                if response.is_success:
                    return _json(response)
                _raise_final(response, self._name)
                failure = f"HTTP {response.status_code}"
                wait = self._backoff(attempt, response.headers.get("retry-after"))
            if attempt < self._retries:
                time.sleep(wait)
        raise HelpdeskUnavailable(
            f"{self._name} did not accept the note after {self._retries + 1} attempts "
            f"({failure}); it will be tried again later"
        )

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(max(float(retry_after), 0.0), _MAX_WAIT_S)
            except ValueError:
                pass
        return float(min(self._base_s * 2**attempt, _MAX_WAIT_S))


def _raise_final(response: httpx.Response, name: str) -> None:
    code = response.status_code
    if code in (401, 403):
        raise HelpdeskUnauthorized(
            f"{name} refused the API token (HTTP {code}); set a valid token for a "
            "dedicated agent user and restart the service"
        )
    if code != 429 and code < 500:
        raise HelpdeskRejected(f"{name} refused the note (HTTP {code}): {response.text[:200]}")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
