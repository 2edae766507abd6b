"""Large word-list patterns compiled once per machine: the same matches, and a cache that
can only ever cost a compile, never change or break a match."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import pattern_cache
from assistant.pattern_cache import compiled

WORDS = [f"word{i} number{i * 7}" for i in range(600)] + ["refund", "where is my order"]
PATTERN = r"(?<!\w)(?:" + "|".join(re.escape(w) for w in WORDS) + r")(?!\w)"
TEXTS = [
    "where is my order? word12 number84 and refund please",
    "no words here",
    "word599 number4193, word1 number7x, refund!",
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(tmp_path / "cache"))
    pattern_cache._folder.cache_clear()
    yield tmp_path / "cache" / "patterns"
    pattern_cache._folder.cache_clear()


def _spans(pattern: re.Pattern[str]) -> list[list[tuple[int, int]]]:
    return [[m.span() for m in pattern.finditer(text)] for text in TEXTS]


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.bin"))


def test_a_pattern_built_from_the_cache_matches_as_a_fresh_compile(folder: Path) -> None:
    assert len(PATTERN) >= pattern_cache.MIN_LENGTH
    fresh = re.compile(PATTERN)
    first = compiled(PATTERN)
    assert len(_files(folder)) == 1
    again = compiled(PATTERN)  # from the file
    assert again is not first
    assert _spans(first) == _spans(again) == _spans(fresh)
    assert _spans(fresh)[0] == [(0, 17), (19, 34), (39, 45)]
    assert again.pattern == PATTERN


def test_a_damaged_file_is_compiled_again_and_rewritten(folder: Path) -> None:
    compiled(PATTERN)
    (path,) = _files(folder)
    good = path.read_bytes()
    for damage in (good[:-40], good[:30] + b"\xff" * (len(good) - 30), b"garbage"):
        path.write_bytes(damage)
        assert _spans(compiled(PATTERN)) == _spans(re.compile(PATTERN))
        assert path.read_bytes() == good


def test_short_patterns_and_groups_are_compiled_as_usual(folder: Path) -> None:
    assert compiled("refund|return").match("refund")
    grouped = "(" + PATTERN + ")"
    assert compiled(grouped).search(TEXTS[0]).group(1) == "where is my order"  # type: ignore[union-attr]
    assert _files(folder) == []


def test_without_a_writable_cache_folder_patterns_still_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(blocker))
    pattern_cache._folder.cache_clear()
    try:
        assert _spans(compiled(PATTERN)) == _spans(re.compile(PATTERN))
    finally:
        pattern_cache._folder.cache_clear()


def test_past_the_file_limit_the_older_half_goes(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pattern_cache, "MAX_FILES", 4)
    for i in range(4):
        compiled(PATTERN + f"|extra{i}")
    assert len(_files(folder)) == 4
    compiled(PATTERN)
    assert len(_files(folder)) == 3  # two oldest gone, the new one written
    assert _spans(compiled(PATTERN + "|extra3")) == _spans(re.compile(PATTERN))
