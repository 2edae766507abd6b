"""The review workflow: agents approve, edit or reject draft replies; approved ones export.

    pending -> approved | edited | rejected (reason required) -> exported (approved/edited)

>>> from assistant.review import ReviewStore
>>> from assistant.types import Draft, Message
>>> with ReviewStore("sqlite://") as store:  # in memory; give a file path or URL to keep it
...     draft = Draft(text="Hi Sam, it ships today.", language="en", tone="friendly")
...     review = store.add_draft(Message(text="Where is my order?"), draft)
...     store.approve(review.id, agent="alice").status
'approved'

Every change is one transaction with its audit row; two agents deciding at once get
one winner and one `ReviewConflict`. See `store.py` for how, `workflow.py` for the rules.
"""

from __future__ import annotations

import importlib
from typing import Any

from assistant.review.distance import edit_distance
from assistant.review.models import (
    FindingCount,
    Review,
    ReviewEvent,
    ReviewMessage,
    ReviewStats,
    ReviewStatus,
    StatsGroup,
)
from assistant.review.schema import DB_ENV, default_db
from assistant.review.store import ReviewStore
from assistant.review.workflow import (
    AlreadyDecided,
    Recheck,
    ReviewBlocked,
    ReviewNotFound,
    SupportsRecheck,
    recheck_with,
)

#: The notebook review desk (needs ipywidgets and pandas), exported lazily.
DESK = ("ReviewDesk", "queue_frame", "stats_frame")

__all__ = [
    *DESK,
    "DB_ENV",
    "AlreadyDecided",
    "FindingCount",
    "Recheck",
    "Review",
    "ReviewBlocked",
    "ReviewEvent",
    "ReviewMessage",
    "ReviewNotFound",
    "ReviewStats",
    "ReviewStatus",
    "ReviewStore",
    "StatsGroup",
    "SupportsRecheck",
    "default_db",
    "edit_distance",
    "recheck_with",
]


def __getattr__(name: str) -> Any:
    if name not in DESK:
        raise AttributeError(f"module 'assistant.review' has no attribute {name!r}")
    return getattr(importlib.import_module("assistant.review.desk"), name)
