"""What is derived from a loaded knowledge base, computed once per brand and key.

    words = per_kb(kb, ("cues", language, kind), lambda: gather(kb, language, kind))

A loaded KnowledgeBase is never edited, so what the checks and the analysis derive from
it (word lists, the numbers its answers state) is kept for as long as it lives. Entries
are keyed by its identity and hold it weakly: a new or reloaded one starts afresh.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from assistant.knowledge.base import KnowledgeBase

T = TypeVar("T")

_CACHE: dict[tuple[int, Hashable], tuple[weakref.ref[Any], Any]] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_MAX = 4096


def per_kb(kb: KnowledgeBase, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per knowledge base and key (a loaded KnowledgeBase is not edited)."""
    slot = (id(kb), key)
    with _CACHE_LOCK:
        cached = _CACHE.get(slot)
    if cached is not None and cached[0]() is kb:
        return cached[1]  # type: ignore[no-any-return]
    value = compute()
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[slot] = (weakref.ref(kb), value)
    return value
