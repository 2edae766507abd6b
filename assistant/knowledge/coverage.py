"""Translation coverage of the FAQ: entry x language -> present, missing, stale, machine."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from assistant.knowledge.base import KnowledgeBase
from assistant.knowledge.models import Brand, ChannelsFile, FaqEntry, LocalePack, TonesFile
from assistant.types import Model

Status = Literal["present", "missing", "stale", "machine"]
SCHEMAS: dict[str, type[Model]] = {
    "brand": Brand,
    "channels": ChannelsFile,
    "tones": TonesFile,
    "locale": LocalePack,
    "faq": FaqEntry,
}


class CoverageCell(Model):
    faq_id: str
    language: str
    status: Status
    questions: int


def coverage_languages(kb: KnowledgeBase) -> list[str]:
    """The supported languages, each followed by its script variants (hi, hi-Latn)."""
    out: list[str] = []
    for lang in kb.languages:
        out.append(lang)
        out += sorted(code for code in kb.locales if code.startswith(f"{lang}-"))
    return out


def coverage(kb: KnowledgeBase, today: dt.date | None = None) -> list[CoverageCell]:
    """One cell per FAQ entry and supported language (and script variant: a missing
    variant answer is not an error, that customer is answered in the native script)."""
    today = today or dt.date.today()
    cells = []
    for entry in kb.faq.values():
        stale = (today - entry.last_reviewed).days > kb.brand.review_interval_days
        for lang in coverage_languages(kb):
            cells.append(
                CoverageCell(
                    faq_id=entry.id,
                    language=lang,
                    status=_status(entry, lang, stale),
                    questions=len(entry.questions.get(lang, [])),
                )
            )
    return cells


def _status(entry: FaqEntry, lang: str, stale: bool) -> Status:
    if lang not in entry.answers:
        return "missing"
    if lang in entry.machine_translated:
        return "machine"
    return "stale" if stale else "present"


def write_schemas(directory: Path) -> list[Path]:
    """Write one JSON Schema per guidelines file kind; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = directory / f"{name}.schema.json"
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
