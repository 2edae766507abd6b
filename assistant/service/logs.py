"""Structured logs: one JSON object per line, never the customer's words.

Fields are allow-listed: a value named in `PRIVATE_FIELDS` (message text, drafts, names)
is dropped unless the `log_message_text` debug setting is on.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

__all__ = ["PRIVATE_FIELDS", "JsonFormatter", "configure", "log_event", "logger"]

logger = logging.getLogger("assistant.service")
PRIVATE_FIELDS = frozenset({"text", "draft", "customer_name", "content", "history", "final_text"})
_state = {"private": False}


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "event", ...fields}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[0] is not None:
            payload["error_type"] = record.exc_info[0].__name__
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure(*, private: bool = False, level: int = logging.INFO) -> None:
    """Send the service's logs to stderr as JSON lines; `private` logs message text too."""
    _state["private"] = private
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def log_event(event: str, level: int = logging.INFO, /, **fields: Any) -> None:
    """Log `event` with `fields`, private ones removed unless debugging allows them."""
    if not _state["private"]:
        fields = {k: v for k, v in fields.items() if k not in PRIVATE_FIELDS}
    logger.log(level, event, extra={"fields": fields})


def since_ms(started: float) -> float:
    """Milliseconds since `started` (a `time.perf_counter()` value)."""
    return round((time.perf_counter() - started) * 1000, 2)
