"""The shipped language statuses of the sample brand's lines: current, and never needed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.checks import composed, part_statuses
from assistant.checks.composed import part_status, worked_out
from assistant.checks.part_statuses import FILE, build, lines_of, read, shipped_status, write
from assistant.knowledge import load_knowledge_base
from assistant.understanding.index_store import prebuilt_dir

REBUILD = "the sample brand's lines changed: run `make index` and commit assistant/data/index/"


def test_the_shipped_statuses_match_the_sample_brand() -> None:
    """Every line of the sample brand has its status shipped, as worked out today."""
    kb = load_knowledge_base()
    fresh = build(kb, lambda locale, line: worked_out(kb, locale, line))
    assert read(prebuilt_dir() / FILE) == fresh, REBUILD


def test_the_lines_cover_packs_composer_lines_and_answers() -> None:
    kb = load_knowledge_base()
    lines = set(lines_of(kb))
    assert ("fr", kb.locale("fr").lines.take_private) in lines
    assert ("es", kb.faq["returns"].answers["es"]) in lines
    assert any(code == "hi-Latn" for code, _ in lines)
    safety = "Your safety comes first: please stop using the product and unplug it now."
    assert ("en", safety) in lines  # a composer line (assistant/data/drafting)


@pytest.fixture
def nothing_shipped(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(part_statuses, "_shipped", lambda: {})
    yield


def test_a_line_not_shipped_is_worked_out_alike(nothing_shipped: None) -> None:
    """The file only saves time: without it every status comes out the same."""
    kb = load_knowledge_base()  # a new knowledge base: its per-brand memory starts empty
    shipped = read(prebuilt_dir() / FILE)
    for locale, line in sorted(set(lines_of(kb)))[::25]:
        language, text = locale.split("-")[0], worked_out(kb, locale, line)[0]
        assert part_status(kb, locale, line) == shipped[part_statuses.status_key(language, text)]


def test_a_shipped_line_is_not_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = load_knowledge_base()
    line = kb.locale("en").lines.take_private

    def forbidden(text: str, hint: str | None = None) -> None:
        raise AssertionError(f"detected {text!r}")

    monkeypatch.setattr(composed, "detect_language", forbidden)
    status, letters = part_status(kb, "en", line)
    assert status == "verified" and letters > 20


def test_a_new_wording_is_not_shipped() -> None:
    assert shipped_status("en", "A sentence no content lead has written, ever, anywhere.") is None


@pytest.mark.parametrize("content", ["", "{not json", '{"statuses": 3}', '{"statuses": {"k": 1}}'])
def test_a_damaged_file_holds_no_statuses(tmp_path: Path, content: str) -> None:
    path = tmp_path / FILE
    path.write_text(content, encoding="utf-8")
    assert read(path) == {}
    assert read(tmp_path / "missing.json") == {}


def test_a_written_file_reads_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / FILE
    statuses = {"b": ("short", 4), "a": ("verified", 31), "c": ("foreign", 40)}
    write(path, statuses)  # type: ignore[arg-type]
    assert read(path) == statuses
    assert list(json.loads(path.read_text(encoding="utf-8"))["statuses"]) == ["a", "b", "c"]
