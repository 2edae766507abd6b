"""A review store on a temporary SQLite file, and a helper to queue drafts in it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.review import Review, ReviewStore
from assistant.types import Message
from tests.review.review_support import AddReview, make_draft


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "reviews.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[ReviewStore]:
    with ReviewStore(db_path) as opened:
        yield opened


@pytest.fixture
def add(store: ReviewStore) -> AddReview:
    """Queue a draft: `add(findings=(BLOCK,), language="hy", ...)`."""

    def _add(**draft_fields: Any) -> Review:
        message = Message(text="¿Dónde está mi pedido?", channel="twitter", customer_name="Ana")
        return store.add_draft(message, make_draft(**draft_fields))

    return _add
