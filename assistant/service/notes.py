"""The note an agent sees in the helpdesk: the first draft, its findings, the others."""

from __future__ import annotations

from assistant.service.adapters.base import Note
from assistant.service.adapters.chatwoot import MARKER
from assistant.types import Draft, Suggestion

__all__ = ["render_note"]


def render_note(suggestion: Suggestion, suggestion_id: int, guidelines_version: str) -> Note:
    """A private note: draft 1 ready to copy, why it may not be, then the alternatives."""
    first, others = suggestion.drafts[0], suggestion.drafts[1:]
    verdict = "blocked, see findings" if first.blocked else "ready to send"
    lines = [
        f"Suggested reply ({first.language}, {first.tone}; {verdict}):",
        "",
        first.text,
        "",
        _findings(first),
    ]
    if others:
        lines += ["", "Other drafts:"]
        lines += [f"{i}. ({d.tone}) {d.text}" for i, d in enumerate(others, 2)]
    if suggestion.notes:
        lines += ["", *(f"Note: {note}" for note in suggestion.notes)]
    attributes = {
        MARKER: suggestion_id,
        "language": suggestion.reply_language,
        "script": suggestion.detection.script,
        "guidelines_version": guidelines_version,
    }
    return Note(content="\n".join(lines), reply=first.text, attributes=attributes)


def _findings(draft: Draft) -> str:
    if not draft.findings:
        return "Findings: none"
    listed = [f"- {f.severity} {f.id}: {f.message}" for f in draft.findings]
    return "\n".join(["Findings:", *listed])
