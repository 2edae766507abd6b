"""Loading the dataset: validated items, located errors, filters, a round-robin limit."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from assistant.evaluation import DatasetError, load_dataset
from assistant.evaluation.dataset import DEFAULT_DATASET
from tests.support.brand import BRAND_LANGUAGES


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def _row(
    item_id: str, language: str = "en", split: str = "test", **extra: object
) -> dict[str, object]:
    return {
        "id": item_id,
        "text": "where is my order",
        "language": language,
        "channel": "twitter",
        "intent": "order-status",
        "faq_id": "order-status",
        "sentiment": "neutral",
        "needs_private": True,
        "escalate": False,
        "customer_name": None,
        "reference_reply": None,
        "split": split,
        **extra,
    }


def test_the_shipped_dataset_loads_with_every_language_and_references() -> None:
    items = load_dataset(DEFAULT_DATASET)
    per_language = Counter(item.language for item in items)
    assert all(per_language[language] >= 60 for language in BRAND_LANGUAGES), per_language
    references = Counter(item.language for item in items if item.reference_reply)
    assert all(references[language] >= 5 for language in BRAND_LANGUAGES), references
    for language in BRAND_LANGUAGES:
        splits = {item.split for item in items if item.language == language}
        assert splits == {"dev", "test"}, language


def test_the_shipped_dataset_has_every_hard_case_in_every_language() -> None:
    items = load_dataset(DEFAULT_DATASET)
    needed = {"sarcasm", "safety", "legal", "press", "repeated-contact", "pii-public",
              "two-topics", "near-miss", "injection"}  # fmt: skip
    for language in BRAND_LANGUAGES:
        tags = {tag for item in items if item.language == language for tag in item.tags}
        assert needed <= tags, (language, needed - tags)


def test_romanised_messages_say_their_script() -> None:
    items = load_dataset(DEFAULT_DATASET)
    romanised = {item.language for item in items if item.script == "Latn"}
    assert {"hi", "gu", "bn", "te", "hy", "ar"} <= romanised


def test_every_bad_line_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.jsonl",
        [
            _row("a-1"),
            "{not json",
            _row("a-2", sentiment="angry"),
            {k: v for k, v in _row("a-3").items() if k != "channel"},
            _row("a-1"),
            _row("a-4", colour="red"),
            "[1, 2]",
        ],
    )
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    problems = caught.value.problems
    assert [p.split(": ")[0] for p in problems] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6, 7)]
    text = str(caught.value)
    assert "not valid JSON" in text
    assert "sentiment" in text and "'angry'" in text
    assert "channel: is required but missing" in text
    assert "duplicate id 'a-1' (first on line 1)" in text
    assert "colour: unknown field" in text


def test_a_missing_file_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        load_dataset(tmp_path / "nope.jsonl")


def test_filters_by_language_and_split(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "d.jsonl",
        [_row("en-1"), _row("hy-1", "hy"), _row("hy-2", "hy", split="dev"), _row("de-1", "de")],
    )
    assert [i.id for i in load_dataset(path, languages=["hy"])] == ["hy-1", "hy-2"]
    assert [i.id for i in load_dataset(path, languages=["hy"], split="test")] == ["hy-1"]
    assert [i.id for i in load_dataset(path, split="dev")] == ["hy-2"]
    with pytest.raises(DatasetError, match="split must be"):
        load_dataset(path, split="train")  # type: ignore[arg-type]


def test_limit_takes_a_stable_sample_round_robin_across_languages(tmp_path: Path) -> None:
    rows = (
        [_row(f"en-{i}") for i in range(6)]
        + [_row(f"hy-{i}", "hy") for i in range(6)]
        + [_row("ja-0", "ja")]
    )
    path = _write(tmp_path / "d.jsonl", rows)
    four = load_dataset(path, limit=4)
    assert sorted(i.language for i in four) == ["en", "en", "hy", "ja"]
    assert four == sorted(four, key=lambda i: rows.index(_row(i.id, i.language)))  # file order
    assert load_dataset(path, limit=4) == four  # the same sample every time
    grown = _write(tmp_path / "grown.jsonl", [*rows, _row("de-0", "de"), _row("de-1", "de")])
    five = load_dataset(grown, languages=["en", "hy", "ja"], limit=4)
    assert five == four  # new messages elsewhere do not reshuffle the sample
    assert len(load_dataset(path, limit=100)) == 13
