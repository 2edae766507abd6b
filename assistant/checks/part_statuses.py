"""The language status of the lines the offline drafter writes from, worked out ahead.

    shipped_status("en", text)      # ("verified", 31), or None: work it out
    write(path, build(kb, status))  # make index: every line of the sample brand

Working out whether a pack line is in its pack's language (`checks.composed`) detects
it, and detecting a Latin line loads lingua's models of every language that shares the
script: about 1 s of a cold English `assistant draft`. `make index` works out the
status of every line of the sample brand (locale packs' lines and register forms, the
composer's lines, FAQ answers) and ships it as `assistant/data/index/part-statuses.json`,
keyed by a hash of the language and the line as detected (placeholders, brand name and
sign-off blanked). A line it does not hold (a content lead's new wording) is worked out
as before, so the result never depends on the file; `tests/checks/test_part_statuses.py`
checks the shipped file against a fresh computation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from assistant.checks.lines import phrase_table
from assistant.knowledge import KnowledgeBase

Status = Literal["verified", "short", "foreign"]
Found = tuple[Status, int]
FILE = "part-statuses.json"
_STATUSES = ("verified", "short", "foreign")


def status_key(language: str, text: str) -> str:
    """What a status is stored under: the language and the line as detected."""
    return hashlib.sha256(f"{language}\0{text}".encode("utf-8", "replace")).hexdigest()[:24]


def shipped_status(language: str, text: str) -> Found | None:
    """The shipped status of `text` (as detected) in `language`, or None."""
    return _shipped().get(status_key(language, text))


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Found]:
    from assistant.understanding.index_store import prebuilt_dir

    return read(prebuilt_dir() / FILE)


def read(path: Path) -> dict[str, Found]:
    """The statuses stored at `path`; a missing or damaged file holds none."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {
            str(k): (v[0], int(v[1])) for k, v in stored["statuses"].items() if v[0] in _STATUSES
        }
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def write(path: Path, statuses: dict[str, Found]) -> None:
    """Store `statuses` at `path`, sorted (a rebuild of the same brand is the same file)."""
    table = {k: [s, n] for k, (s, n) in sorted(statuses.items())}
    text = json.dumps({"statuses": table}, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def build(kb: KnowledgeBase, status: Callable[[str, str], tuple[str, Found]]) -> dict[str, Found]:
    """The status of every line `kb` holds. `status(locale, line)` gives the key text
    (the line as detected) and its status."""
    out: dict[str, Found] = {}
    for locale, line in sorted(set(lines_of(kb))):
        text, found = status(locale, line)
        out[status_key(locale.split("-")[0], text)] = found
    return out


def lines_of(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """(locale, line) for every line a reply may be written from: each pack's lines and
    register forms, the composer's lines of its language, and the FAQ answers."""
    composer = phrase_table()
    for code, pack in kb.locales.items():
        for part in (pack.lines.model_dump(), pack.model_dump()["registers"]):
            yield from ((code, s) for s in _strings(part))
        yield from ((code, s) for s in _strings(composer.get(code, {})))
        for entry in kb.faq.values():
            answers = [entry.answers, *entry.register_answers.values()]
            yield from ((code, a[code]) for a in answers if code in a)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
