"""Large word-list patterns built and compiled once per machine: the same matches, and a
cache that can only ever cost a build, never change or break a match."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant import pattern_cache
from assistant.pattern_cache import compiled_as
from assistant.text import find_any

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


class Builder:
    """Writes a pattern and counts how often it was asked to."""

    def __init__(self, pattern: str = PATTERN) -> None:
        self.pattern, self.calls = pattern, 0

    def __call__(self) -> str:
        self.calls += 1
        return self.pattern


def _spans(pattern: re.Pattern[str]) -> list[list[tuple[int, int]]]:
    return [[m.span() for m in pattern.finditer(text)] for text in TEXTS]


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.bin"))


def test_a_pattern_from_the_cache_matches_as_a_fresh_one_and_is_not_built_again(
    folder: Path,
) -> None:
    assert len(PATTERN) >= pattern_cache.MIN_LENGTH
    build = Builder()
    first = compiled_as("the words", build)
    assert build.calls == 1 and len(_files(folder)) == 1
    again = compiled_as("the words", build)  # from the file
    assert build.calls == 1 and again is not first
    assert _spans(first) == _spans(again) == _spans(re.compile(PATTERN))
    assert _spans(again)[0] == [(0, 17), (19, 34), (39, 45)]
    assert again.pattern == PATTERN
    assert compiled_as("other words", Builder(PATTERN + "|x")).pattern == PATTERN + "|x"


def test_a_damaged_file_is_built_again_and_rewritten(folder: Path) -> None:
    compiled_as("the words", Builder())
    (path,) = _files(folder)
    good = path.read_bytes()
    for damage in (good[:-40], good[:60] + b"\xff" * (len(good) - 60), b"garbage"):
        path.write_bytes(damage)
        build = Builder()
        assert _spans(compiled_as("the words", build)) == _spans(re.compile(PATTERN))
        assert build.calls == 1
        assert path.read_bytes() == good


def test_short_patterns_and_groups_are_compiled_as_usual(folder: Path) -> None:
    assert compiled_as("short", Builder("refund|return")).match("refund")
    grouped = compiled_as("grouped", Builder("(" + PATTERN + ")"))
    assert grouped.search(TEXTS[0]).group(1) == "where is my order"  # type: ignore[union-attr]
    assert _files(folder) == []


def test_without_a_writable_cache_folder_patterns_still_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(blocker))
    pattern_cache._folder.cache_clear()
    try:
        build = Builder()
        assert _spans(compiled_as("the words", build)) == _spans(re.compile(PATTERN))
        compiled_as("the words", build)
        assert build.calls == 2
    finally:
        pattern_cache._folder.cache_clear()


def test_past_the_file_limit_the_older_half_goes(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pattern_cache, "MAX_FILES", 4)
    for i in range(4):
        compiled_as(f"key {i}", Builder(PATTERN + f"|extra{i}"))
    assert len(_files(folder)) == 4
    compiled_as("the words", Builder())
    assert len(_files(folder)) == 3  # the two oldest gone, the new one written
    build = Builder(PATTERN + "|extra3")
    assert _spans(compiled_as("key 3", build)) == _spans(re.compile(PATTERN))
    assert build.calls == 0


def test_the_matcher_finds_the_same_with_a_cold_and_a_warm_cache(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`find_any` over a large word list: written and compiled, then read from the file
    without being written again."""
    from assistant import text as matcher

    words = (*(f"mot{i} numéro {i}" for i in range(400)), "où est ma commande", "退款")
    said = "Bonjour, où est ma commande ? mot7 numéro 7 et 退款 svp, MOT12 NUMÉRO 12"
    cold = [m.span() for m in find_any(said, words)]
    assert len(cold) == 4 and _files(folder)
    matcher._compiled.cache_clear()
    matcher._alternation_spans.cache_clear()
    written: list[int] = []
    write = matcher._written

    def counted(ordered: list[str], case: bool, cjk: bool) -> str:
        written.append(len(ordered))
        return write(ordered, case, cjk)

    monkeypatch.setattr(matcher, "_written", counted)
    assert [m.span() for m in find_any(said, words)] == cold
    assert written == [1]  # the short Han list only: the long one came from its file


def test_threads_asking_for_one_pattern_at_once_build_it_once(folder: Path) -> None:
    build = Builder()
    start = threading.Barrier(8)

    def ask() -> list[list[tuple[int, int]]]:
        start.wait()
        return _spans(compiled_as("the words", build))

    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda _: ask(), range(8)))
    assert build.calls == 1
    assert found == [_spans(re.compile(PATTERN))] * 8
