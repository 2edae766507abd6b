"""The public API of `assistant.review`, pinned: changing it is a decision, not an accident."""

from __future__ import annotations

import inspect

import pytest

import assistant.review
from assistant.errors import InvalidTransition, ReviewConflict, ReviewError
from assistant.review import AlreadyDecided, ReviewBlocked, ReviewNotFound, ReviewStore

EXPORTED = {
    "ReviewDesk",
    "queue_frame",
    "stats_frame",
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
}


def test_exported_members() -> None:
    assert set(assistant.review.__all__) == EXPORTED
    for name in EXPORTED:
        assert hasattr(assistant.review, name), name


def test_store_methods() -> None:
    public = {n for n, _ in inspect.getmembers(ReviewStore) if not n.startswith("_")}
    assert public == {
        "add",
        "add_draft",
        "approve",
        "close",
        "edit",
        "events",
        "export",
        "get",
        "list",
        "record_sent",
        "reject",
        "stats",
        "url",
    }
    assert list(inspect.signature(ReviewStore.edit).parameters) == [
        "self",
        "review_id",
        "agent",
        "final_text",
        "recheck",
        "override_reason",
    ]


def test_errors_fit_the_tree() -> None:
    assert issubclass(ReviewNotFound, ReviewError)
    assert issubclass(ReviewBlocked, InvalidTransition)
    assert issubclass(AlreadyDecided, ReviewConflict)
    assert issubclass(AlreadyDecided, InvalidTransition)


def test_default_db_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_REVIEW_DB", "/somewhere/else.sqlite3")
    assert assistant.review.default_db() == "/somewhere/else.sqlite3"
    monkeypatch.delenv("ASSISTANT_REVIEW_DB")
    monkeypatch.setenv("XDG_DATA_HOME", "/home/agent/.data")
    assert assistant.review.default_db() == "/home/agent/.data/assistant/reviews.sqlite3"


@pytest.mark.parametrize("module", ["assistant.review", "assistant.review.distance"])
def test_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    failures, tried = doctest.testmod(importlib.import_module(module))
    assert tried and not failures
