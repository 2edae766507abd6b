"""The on-disk LLM response cache: one SQLite file behind langchain's `BaseCache`.

Replies are stored as plain message JSON and reported to the current call through a
context variable (`cache_trace`), so hits are priced at 0 and replies that failed the
caller's checks are evicted. langchain is imported lazily, in `sqlite_cache` only.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.text import create_private_file


@dataclass
class CacheTrace:
    """What the response cache did during one call (in a ContextVar: thread-safe)."""

    hit: bool = False
    keys: list[str] = field(default_factory=list)


_CACHE_TRACE: contextvars.ContextVar[CacheTrace] = contextvars.ContextVar("llm_cache_trace")


@contextmanager
def cache_trace() -> Iterator[CacheTrace]:
    """Record what the response cache does inside the block (one model call)."""
    trace = CacheTrace()
    token = _CACHE_TRACE.set(trace)
    try:
        yield trace
    finally:
        _CACHE_TRACE.reset(token)


class ResponseStore:
    """Key -> JSON text in one SQLite file; a connection per operation, so thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = create_private_file(path)  # replies quote customers: 0600 in 0700
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
