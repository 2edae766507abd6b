"""Draft replies for a JSONL file of messages: `assistant draft --batch IN --out OUT`.

Each input line is a message: {"id": "m1", "text": "...", "channel": "twitter",
"customer_name": "Anahit", "locale": "hy-AM", "history": []} (only "text" is required;
the id defaults to the line number). Each output line is {"id": ..., "suggestion": {...}}
or {"id": ..., "error": "..."}, appended and flushed as soon as the message is done, so
a run that stops resumes where it was: ids already in OUT are skipped.

The same input gives the same suggestions on either engine (`local` threads, or `ray`
with one loaded `Assistant` per worker); only `timings_ms` differ.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from assistant.errors import InputError
from assistant.types import Channel, Model


class BatchMessage(Model):
    """One line of the input file."""

    id: str
    text: str
    channel: Channel = "twitter"
    customer_name: str | None = None
    locale: str | None = None
    history: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class BatchResult:
    id: str
    line: str  # the JSON line to write
    failed: bool = False


@dataclass(frozen=True)
class BatchSummary:
    total: int
    new: int
    skipped: int
    errors: int


def read_messages(path: Path) -> list[BatchMessage]:
    """The messages of a JSONL file; a bad line is an error that names it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}; give a UTF-8 JSONL file") from exc
    messages, seen = [], set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
            raw.setdefault("id", str(number))
            message = BatchMessage.model_validate({**raw, "id": str(raw["id"])})
        except (ValueError, ValidationError) as exc:
            raise InputError(
                f"{path}:{number}: not a message ({_first_line(exc)}); each line needs at "
                'least {"text": "..."}'
            ) from exc
        if message.id in seen:
            raise InputError(
                f"{path}:{number}: id {message.id!r} appears twice; ids must be unique"
            )
        seen.add(message.id)
        messages.append(message)
    return messages


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0]


def done_ids(out: Path) -> set[str]:
    """Ids already written to `out` (a torn last line from a crash is dropped)."""
    if not out.exists():
        return set()
    ids = set()
    good = []
    for line in out.read_text(encoding="utf-8").splitlines():
        try:
            ids.add(str(json.loads(line)["id"]))
            good.append(line)
        except (ValueError, KeyError, TypeError):
            continue
    out.write_text("".join(f"{line}\n" for line in good), encoding="utf-8")
    return ids


@dataclass(frozen=True)
class DraftWorker:
    """Builds, once per process, what drafts one message (picklable, sent to Ray)."""

    guidelines: str | None
    backend: str | None
    n: int
    now: dt.datetime

    def __call__(self) -> Callable[[BatchMessage], BatchResult]:
        from assistant.pipeline import Assistant

        assistant = Assistant.load(self.guidelines, self.backend)

        def draft(message: BatchMessage) -> BatchResult:
            try:
                suggestion = assistant.suggest(
                    message.text,
                    channel=message.channel,
                    customer_name=message.customer_name,
                    history=message.history,
                    locale=message.locale,
                    n=self.n,
                    now=self.now,
                )
                payload: dict[str, Any] = {"suggestion": suggestion.model_dump(mode="json")}
            except Exception as exc:  # recorded with its id, never lost
                payload = {"error": f"{type(exc).__name__}: {exc}"}
            line = json.dumps({"id": message.id, **payload}, ensure_ascii=False)
            return BatchResult(message.id, line, failed="error" in payload)

        return draft


def draft_batch(
    source: Path,
    out: Path,
    *,
    guidelines: str | Path | None = None,
    backend: str | None = None,
    n: int = 3,
    engine: str = "local",
    concurrency: int = 4,
    workers: int | None = None,
    address: str | None = None,
    now: dt.datetime | None = None,
    progress: bool = True,
) -> BatchSummary:
    """Suggestions for every message of `source` appended to `out`; see the module doc."""
    from assistant.evaluation.engines import run_batch

    messages = read_messages(source)
    finished = done_ids(out)
    todo = [m for m in messages if m.id not in finished]
    worker = DraftWorker(
        str(guidelines) if guidelines else None, backend, n, now or dt.datetime.now(dt.UTC)
    )
    errors = 0
    lock = threading.Lock()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as handle:

        def write(result: BatchResult) -> None:
            nonlocal errors
            with lock:
                handle.write(result.line + "\n")
                handle.flush()
                errors += result.failed

        run_batch(
            worker,
            todo,
            write,
            engine=engine,
            concurrency=concurrency,
            workers=workers,
            address=address,
            progress=progress,
            done=len(messages) - len(todo),
            desc="drafting",
        )
    return BatchSummary(len(messages), len(todo), len(messages) - len(todo), errors)
