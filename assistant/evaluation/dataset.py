"""Labelled evaluation messages (JSON Lines) as `EvalItem`s, validated and located.

    items = load_dataset("evaluation/datasets/messages.jsonl", split="test", languages=["hy"])

Every bad line is reported at once as `file:line: field: message` (`DatasetError`).
`limit` keeps a stable sample of N items: round-robin across languages, so a small slice
still covers every language, and within a language in an order fixed by a hash of the
item id, so the sample spreads over intents and channels and adding messages to the
file does not reshuffle it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from itertools import chain, zip_longest
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from assistant.errors import FileError, UserError
from assistant.text import read_bounded
from assistant.types import Channel, Model, Sentiment

Split = Literal["dev", "test"]
SplitFilter = Literal["dev", "test", "all"]
#: Hard cases a message shows, so metrics can be read per kind of difficulty.
Tag = Literal[
    "sarcasm", "safety", "legal", "press", "repeated-contact", "pii-public", "two-topics",
    "near-miss", "injection", "formal", "informal", "romanised", "code-mixed",
]  # fmt: skip
DEFAULT_DATASET = Path(__file__).resolve().parents[2] / "evaluation/datasets/messages.jsonl"


class EvalItem(Model):
    """One labelled customer message (a line of the dataset)."""

    id: str = Field(min_length=1, description="Stable unique id, e.g. hy-007.")
    text: str = Field(min_length=1, description="The customer's message as posted.")
    language: str = Field(description="Gold ISO 639-1 language of the message ('tl' allowed).")
    channel: Channel
    intent: str = Field(description="Gold intent: an FAQ id, complaint, praise, question...")
    faq_id: str | None = Field(description="FAQ entry a good reply cites; null: none fits.")
    sentiment: Sentiment
    needs_private: bool = Field(description="A good reply moves to a private channel.")
    escalate: bool = Field(description="A human specialist must take over.")
    customer_name: str | None = None
    reference_reply: str | None = Field(
        None, description="A reply written by a fluent writer, for chrF and similarity."
    )
    split: Split = Field(description="dev: tune on it; test: report it.")
    locale: str | None = Field(None, description="Customer profile locale hint, e.g. ms-MY.")
    script: str | None = Field(
        None,
        pattern=r"^[A-Z][a-z]{3}$",
        description="ISO 15924 script when not the language's usual one, e.g. Latn.",
    )
    tags: list[Tag] = Field(default_factory=list, description="Hard-case tags, e.g. sarcasm.")


class DatasetError(UserError):
    """A dataset file is missing or has invalid lines; `problems` lists them all."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the dataset:\n{lines}")


def load_dataset(
    path: str | Path | None = None,
    *,
    languages: Iterable[str] | None = None,
    split: SplitFilter = "all",
    limit: int | None = None,
) -> list[EvalItem]:
    """Read and validate a dataset, then filter it (see `select`)."""
    source = Path(path) if path is not None else DEFAULT_DATASET
    if not source.is_file():
        raise DatasetError(
            [
                f"{source}: no such file; pass the path of a .jsonl dataset "
                "(e.g. evaluation/datasets/messages.jsonl)"
            ]
        )
    try:
        text = read_bounded(source, what="dataset")
    except FileError as exc:
        raise DatasetError([str(exc)]) from None
    # Lines end at "\n" only: U+2028, U+0085 and friends are valid inside JSON strings,
    # and str.splitlines() would cut a line there.
    items, problems = parse_lines(text.split("\n"), str(source))
    if problems:
        raise DatasetError(problems)
    return select(items, languages=languages, split=split, limit=limit)


def parse_lines(lines: Iterable[str], label: str) -> tuple[list[EvalItem], list[str]]:
    """Items and located problems (`label:line: field: message`) of JSON lines."""
    items: list[EvalItem] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item, errors = _parse_line(line, f"{label}:{number}")
        problems += errors
        if item is None:
            continue
        if item.id in seen:
            problems.append(
                f"{label}:{number}: id: duplicate id {item.id!r} (first on line "
                f"{seen[item.id]}); give each message its own id"
            )
            continue
        seen[item.id] = number
        items.append(item)
    return items, problems


def _parse_line(line: str, where: str) -> tuple[EvalItem | None, list[str]]:
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, [
            f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); "
            "each line must be one JSON object"
        ]
    except (ValueError, RecursionError) as exc:  # a 100,000-digit number, deep nesting
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        return None, [f"{where}: not a usable JSON object ({reason:.80})"]
    if not isinstance(data, dict):
        return None, [f"{where}: must be a JSON object with id, text, language..."]
    try:
        return EvalItem.model_validate(data), []
    except ValidationError as exc:
        return None, [_located(where, err) for err in exc.errors()]


def _located(where: str, err: Any) -> str:
    field = ".".join(str(p) for p in err["loc"]) or "line"
    if err["type"] == "missing":
        return f"{where}: {field}: is required but missing; add it (null if unknown)"
    if err["type"] == "extra_forbidden":
        known = ", ".join(EvalItem.model_fields)
        return f"{where}: {field}: unknown field; allowed: {known}"
    return f"{where}: {field}: {err['msg']} (got {err.get('input')!r:.60})"


def select(
    items: Sequence[EvalItem],
    *,
    languages: Iterable[str] | None = None,
    split: SplitFilter = "all",
    limit: int | None = None,
) -> list[EvalItem]:
    """Items of `languages` (all when None) and `split`, at most `limit` of them.

    The limit takes items round-robin across languages (in a stable, id-hashed order
    within each language), so `limit=30` on 15 languages gives two messages per
    language. The items come back in file order.
    """
    wanted = {code.strip() for code in languages} if languages is not None else None
    if split not in ("dev", "test", "all"):
        raise DatasetError([f"split must be dev, test or all (got {split!r})"])
    kept = [
        item
        for item in items
        if (wanted is None or item.language in wanted) and split in ("all", item.split)
    ]
    if limit is None or limit >= len(kept):
        return kept
    if limit < 0:
        raise DatasetError([f"limit must be 0 or more (got {limit})"])
    chosen = {item.id for item in round_robin(kept)[:limit]}
    return [item for item in kept if item.id in chosen]


def round_robin(items: Sequence[EvalItem]) -> list[EvalItem]:
    """Interleave items by language: one of each language, then a second of each...

    Within a language the order is fixed by a hash of the id (a stable sample).
    """
    groups: dict[str, list[EvalItem]] = {}
    for item in items:
        groups.setdefault(item.language, []).append(item)
    for members in groups.values():
        members.sort(key=lambda item: hashlib.sha256(item.id.encode()).hexdigest())
    rounds = zip_longest(*groups.values())
    return [item for item in chain.from_iterable(rounds) if item is not None]
