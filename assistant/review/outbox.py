"""The outbox: approved replies as JSON lines, one object per reply, for a sender to post.

Appends are synced to disk before the store commits the export, and can be undone by
truncating back to the previous size if that commit fails. No social network is called.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import InputError
from assistant.review.models import Review
from assistant.review.workflow import Change
from assistant.text import create_private_file

__all__ = ["append", "check_outbox", "key", "record", "undo", "written_keys"]


def record(change: Change) -> dict[str, Any]:
    """The outbox line of one export: which text answers which message where, who approved
    it and when. `reply_to` is the conversation or post id (None when none was given)."""
    review = change.review
    return {
        "review_id": review.id,
        "reply_to": review.reply_to,
        "message": review.message.text,
        "channel": review.message.channel,
        "customer_name": review.message.customer_name,
        "language": review.language,
        "text": review.final_text,
        "approved_by": review.agent,
        "approved_at": _approved_at(review),
        "exported_at": change.at.isoformat(),
    }


def size(path: Path) -> int:
    """Where an append will start: `undo` truncates back to it, even after a failed write."""
    return path.stat().st_size if path.exists() else 0


def append(path: Path, records: Sequence[dict[str, Any]]) -> int | None:
    """Append `records` as JSON lines and fsync; return the size before (None: no records)."""
    if not records:
        return None
    create_private_file(path)  # personal data: 0600 in a 0700 folder
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    with path.open("ab") as handle:
        size = handle.tell()
        # A line cut short by an earlier crash must not swallow the first new record.
        prefix = b"\n" if size and not _ends_with_newline(path, size) else b""
        handle.write(prefix + lines.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    return size


def undo(path: Path, size: int | None) -> bool:
    """Truncate the outbox back to `size`; True if nothing of the append is left."""
    if size is None:
        return True
    try:
        os.truncate(path, size)
    except OSError:
        return False
    return True


def written_keys(path: Path) -> set[tuple[int, str]]:
    """`key`s of the replies already in an outbox file (none if it does not exist)."""
    if not path.exists():
        return set()
    check_outbox(path)
    keys: set[tuple[int, str]] = set()
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            found = _key(line)
            if found is not None:
                keys.add(found)
    return keys


def check_outbox(path: Path) -> None:
    """InputError unless `path` is a regular file or does not exist yet: a folder, a FIFO
    or a device (a symlink to /dev/zero would be read forever) is refused."""
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file path such as {path / 'outbox.jsonl'}")
    if path.exists() and not path.is_file():
        raise InputError(f"{path} is not a regular file; give the path of an outbox .jsonl file")


def key(review: Review) -> tuple[int, str]:
    """What identifies a reply in an outbox: the review id and the approval time.

    The id alone is not enough: an outbox shared by two stores (or kept across a fresh
    database) holds another review with the same id, and skipping it would lose a reply.
    """
    return review.id, _approved_at(review) or ""


def _key(line: str) -> tuple[int, str] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None  # a line cut short by a crash, or not ours
    if not isinstance(value, dict):
        return None
    review_id, approved_at = value.get("review_id"), value.get("approved_at")
    if isinstance(review_id, int) and isinstance(approved_at, str):
        return review_id, approved_at
    return None


def _approved_at(review: Review) -> str | None:
    return review.decided_at.isoformat() if review.decided_at else None


def _ends_with_newline(path: Path, size: int) -> bool:
    with path.open("rb") as handle:
        handle.seek(size - 1)
        return handle.read(1) == b"\n"
