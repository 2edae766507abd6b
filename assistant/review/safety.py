"""What the review store refuses, hides and protects before anything reaches the disk.

- Rows are checked before an INSERT: a NUL character (PostgreSQL refuses it; SQLite
  would store it and export it) or a value longer than its column (PostgreSQL refuses
  names over 200 characters that SQLite accepts) is an InputError naming the field, the
  same on every database.
- Files hold customers' personal data: the SQLite file, its folder and the outbox are
  created readable by their owner only (0600 files in 0700 folders).
- With `mask_private` (setting `review_mask_private`), message text, drafts and
  analyses are stored with personal data replaced by its kind ("[card]"): the agent
  still sees what to answer, and positions, but not the number.
- Database URLs are shown without their password.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import String, Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from assistant.errors import InputError

_SURROGATE = re.compile("[\ud800-\udfff]")  # undecodable bytes in argv or stdin
#: Longest customer name kept; longer display names are cut (they are data, not input).
NAME_LIMIT = 200


def check_row(table: Table, row: Mapping[str, Any]) -> None:
    """InputError if a value holds a NUL character or undecodable bytes, or is longer
    than its column."""
    for name, value in row.items():
        problem = _bad_text(value)
        if problem:
            raise InputError(f"{name.replace('_', ' ')} contains {problem}")
        column = table.c.get(name)
        limit = column.type.length if column is not None and isinstance(column.type, String) else 0
        if limit and isinstance(value, str) and len(value) > limit:
            raise InputError(
                f"{name.replace('_', ' ')} is {len(value)} characters long; at most {limit} fit"
            )


def _bad_text(value: Any) -> str | None:
    """What no database stores in `value` (a JSON-like tree), if anything."""
    if isinstance(value, str):
        if "\x00" in value:
            return "a NUL character (U+0000), which no database stores; remove it"
        if _SURROGATE.search(value):
            return "bytes that are not UTF-8 text; type or paste it again as text"
        return None
    if isinstance(value, Mapping):
        return next(filter(None, (_bad_text(k) or _bad_text(v) for k, v in value.items())), None)
    if isinstance(value, list | tuple):
        return next(filter(None, (_bad_text(v) for v in value)), None)
    return None


def short_name(name: str | None) -> str | None:
    """A customer display name cut to the column's length."""
    if name is None or len(name) <= NAME_LIMIT:
        return name
    return name[: NAME_LIMIT - 1] + "…"


def prepare_row(table: Table, row: Mapping[str, Any], *, mask: bool) -> dict[str, Any]:
    """The row as stored: the customer name cut to fit, personal data masked on request,
    then checked (`check_row`)."""
    prepared = dict(row)
    prepared["customer_name"] = short_name(prepared.get("customer_name"))
    if mask:
        language = str(prepared.get("message_language") or "en")
        prepared["message_text"] = mask_text(prepared["message_text"], language)
        prepared["draft"] = _masked_draft(prepared["draft"], language)
        if prepared.get("suggestion") is not None:
            prepared["suggestion"] = _masked_suggestion(prepared["suggestion"], language)
    check_row(table, prepared)
    return prepared


def _masked_draft(draft: Mapping[str, Any], language: str) -> dict[str, Any]:
    findings = [
        {**finding, "message": mask_text(finding["message"], language)}
        for finding in draft.get("findings", [])
    ]
    return {**draft, "text": mask_text(draft["text"], language), "findings": findings}


def _masked_suggestion(suggestion: Mapping[str, Any], language: str) -> dict[str, Any]:
    """The suggestion with its message and drafts masked; the analysis keeps each datum's
    kind and position, not its text."""
    message = {**suggestion["message"], "text": mask_text(suggestion["message"]["text"], language)}
    drafts = [_masked_draft(draft, language) for draft in suggestion.get("drafts", [])]
    analysis = dict(suggestion.get("analysis") or {})
    if analysis:
        analysis["private_data"] = [
            {**datum, "text": f"[{datum['kind']}]"} for datum in analysis.get("private_data", [])
        ]
    return {**suggestion, "message": message, "drafts": drafts, "analysis": analysis}


def mask_text(text: str, language: str = "en") -> str:
    """`text` with each piece of personal data replaced by "[kind]"."""
    from assistant.understanding.private_data import mask_private_data

    return text if len(text) < 6 else mask_private_data(text, language)


def shown_url(target: str | Path | None) -> str:
    """A database URL or path as it may be printed: never with its password."""
    if target is None:
        return "(default)"
    text = str(target)
    if "://" not in text:
        return text
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return text.split("://", 1)[0] + "://***"


def hide_password(text: str, target: str | Path | None) -> str:
    """`text` with the password of the database URL `target` (if any) replaced by ***."""
    if target is None or "://" not in str(target):
        return text
    try:
        password = make_url(str(target)).password
    except ArgumentError:
        return text.replace(str(target), shown_url(target))
    return text.replace(str(password), "***") if password else text
