"""The review state machine: which action is allowed when, and what it changes. No I/O.

    pending ──approve──> approved ──┐
       │ ────edit─────> edited   ───┴─export──> exported
       └─────reject───> rejected (reason required)

Blocking findings (severity "block") stop approve and edit unless the agent gives an
override reason; the override gets its own audit row. Every function here only plans a
`Change`; the store applies it atomically, guarded by the review's version.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from assistant.errors import InputError, InvalidTransition, ReviewConflict, ReviewError
from assistant.review.distance import edit_distance
from assistant.review.models import Review, ReviewAction, ReviewStatus
from assistant.types import Finding, Suggestion

#: C0 controls but tab, line feed and carriage return; DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Lone surrogates: undecodable bytes from argv or a file read with surrogateescape.
_SURROGATE = re.compile("[\ud800-\udfff]")

__all__ = [
    "TRANSITIONS",
    "AlreadyDecided",
    "Change",
    "PlannedEvent",
    "Recheck",
    "ReviewBlocked",
    "ReviewNotFound",
    "SupportsRecheck",
    "check_action",
    "conflict_message",
    "plan_approve",
    "plan_edit",
    "plan_export",
    "plan_reject",
    "recheck_with",
    "require_text",
]

TRANSITIONS: dict[ReviewStatus, dict[ReviewAction, ReviewStatus]] = {
    "pending": {"approve": "approved", "edit": "edited", "reject": "rejected"},
    "approved": {"export": "exported"},
    "edited": {"export": "exported"},
    "rejected": {},
    "exported": {},
}
Recheck = Callable[[Review, str], list[Finding] | None]
"""Runs the guardrail checks on an agent's final text: `(review, final_text) -> findings`.

None means the review cannot be rechecked (it lacks the context); the draft's findings
then stand.
"""

DECISIONS: frozenset[ReviewAction] = frozenset({"approve", "edit", "reject"})


class ReviewNotFound(ReviewError):
    """No review has the requested id."""


class ReviewBlocked(InvalidTransition):
    """The text has blocking findings and the agent gave no override reason."""


class AlreadyDecided(ReviewConflict, InvalidTransition):
    """Another decision (or this agent's earlier one) already settled the review."""


@dataclass(frozen=True)
class PlannedEvent:
    """An audit row to write with the change: the action and its details."""

    action: ReviewAction
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """A planned state change of one review: new field values and the audit rows."""

    review: Review
    agent: str
    at: datetime
    to_status: ReviewStatus
    values: dict[str, Any]
    events: list[PlannedEvent]

    def applied(self) -> Review:
        """The review as it is once the change is committed."""
        update = {**self.values, "status": self.to_status, "version": self.review.version + 1}
        return self.review.model_copy(update=update)


class SupportsRecheck(Protocol):
    """What `recheck_with` needs: `assistant.pipeline.Assistant` has it."""

    def recheck(self, suggestion: Suggestion, text: str, draft_index: int = 0) -> list[Finding]:
        """Findings on `text` in the context of the suggestion it replaces a draft of."""
        ...


def recheck_with(assistant: SupportsRecheck) -> Recheck:
    """A `Recheck` running `assistant.recheck` on reviews that kept their suggestion."""

    def recheck(review: Review, text: str) -> list[Finding] | None:
        if review.suggestion is None:
            return None
        return assistant.recheck(review.suggestion, text, review.draft_index or 0)

    return recheck


def require_text(value: str | None, what: str) -> str:
    """The stripped value, or InputError saying which argument is empty or holds a
    control character (a NUL byte no database stores, an escape code)."""
    text = (value or "").strip()
    if not text:
        raise InputError(f"{what} must not be empty")
    if _SURROGATE.search(text):
        raise InputError(f"{what} holds bytes that are not UTF-8 text; enter it again as text")
    bad = _CONTROL.search(text)
    if bad:
        raise InputError(
            f"{what} contains the control character U+{ord(bad.group()):04X} at position "
            f"{bad.start()}; remove it"
        )
    return text


def plan_approve(
    review: Review, agent: str, at: datetime, *, override_reason: str | None = None
) -> Change:
    """Approve the draft unchanged."""
    to_status = check_action(review, "approve")
    overrides = _override(review, review.blocking_findings, override_reason, "the draft")
    values = _decision_values("approved", agent, at, review.draft.text, review.draft.findings)
    values.update(edit_distance=0.0, reason=override_reason if overrides else None)
    details = _note(override_reason)
    events = [*overrides, PlannedEvent("approve", details)]
    return Change(review, agent, at, to_status, values, events)


def plan_edit(
    review: Review,
    agent: str,
    at: datetime,
    final_text: str,
    findings: list[Finding] | None,
    *,
    override_reason: str | None = None,
) -> Change:
    """Send an edited text; `findings` are the recheck's on it (None: not rechecked).

    Without a recheck the draft's own findings stand, since nothing shows the edit
    removed them.
    """
    to_status = check_action(review, "edit")
    rechecked = findings is not None
    final_findings = findings if findings is not None else review.draft.findings
    blocking = [f for f in final_findings if f.severity == "block"]
    what = "the edited text" if rechecked else "the draft (the edit could not be rechecked)"
    overrides = _override(review, blocking, override_reason, what)
    distance = edit_distance(review.draft.text, final_text)
    values = _decision_values("edited", agent, at, final_text, final_findings)
    values.update(edit_distance=distance, reason=override_reason if overrides else None)
    details: dict[str, Any] = {"edit_distance": round(distance, 4), "rechecked": rechecked}
    details.update(findings=[f.id for f in final_findings], **_note(override_reason))
    events = [*overrides, PlannedEvent("edit", details)]
    return Change(review, agent, at, to_status, values, events)


def plan_reject(review: Review, agent: str, at: datetime, reason: str) -> Change:
    """Reject the draft; the reason is required."""
    to_status = check_action(review, "reject")
    values = _decision_values("rejected", agent, at, None, [])
    values["reason"] = require_text(reason, "a rejection reason")
    events = [PlannedEvent("reject", {"reason": values["reason"]})]
    return Change(review, agent, at, to_status, values, events)


def plan_export(
    review: Review, agent: str, at: datetime, outbox: str, *, recovered: bool = False
) -> Change:
    """Mark an approved or edited review as written to the outbox.

    `recovered`: an earlier export wrote the reply but died before marking it.
    """
    to_status = check_action(review, "export")
    values = {"exported_at": at, "exported_by": agent}
    details: dict[str, Any] = {"outbox": outbox}
    if recovered:
        details["recovered"] = True
    return Change(review, agent, at, to_status, values, [PlannedEvent("export", details)])


def conflict_message(review: Review) -> str:
    """Say who settled the review first, and what to do: reload it."""
    if review.status == "exported":
        who, when = review.exported_by, review.exported_at
    else:
        who, when = review.agent, review.decided_at
    stamp = when.strftime("%Y-%m-%d %H:%M:%S UTC") if when else "an unknown time"
    allowed = ", ".join(TRANSITIONS[review.status]) or "nothing, it is final"
    return (
        f"review {review.id} was already {review.status} by {who} at {stamp}; "
        f"reload it (allowed now: {allowed})"
    )


def check_action(review: Review, action: ReviewAction) -> ReviewStatus:
    """The status `action` leads to, or the error saying why it is not allowed now."""
    allowed = TRANSITIONS[review.status]
    if action in allowed:
        return allowed[action]
    if action in DECISIONS and review.status != "pending":
        raise AlreadyDecided(conflict_message(review))
    sources = sorted(s for s, actions in TRANSITIONS.items() if action in actions)
    now = ", ".join(allowed) or "nothing, it is final"
    raise InvalidTransition(
        f"review {review.id} is {review.status}; {action} needs status "
        f"{' or '.join(sources)} (allowed now: {now})"
    )


def _override(
    review: Review, blocking: list[Finding], reason: str | None, what: str
) -> list[PlannedEvent]:
    if not blocking:
        return []
    listed = "; ".join(f"{f.id}: {f.message}" for f in blocking)
    if reason is None:
        raise ReviewBlocked(
            f"review {review.id}: {what} has blocking findings ({listed}); change the text, "
            "or give an override reason (--override REASON)"
        )
    details = {"reason": require_text(reason, "an override reason")}
    return [PlannedEvent("override", {**details, "findings": [f.id for f in blocking]})]


def _decision_values(
    decision: str, agent: str, at: datetime, final_text: str | None, findings: list[Finding]
) -> dict[str, Any]:
    return {
        "decision": decision,
        "agent": agent,
        "decided_at": at,
        "final_text": final_text,
        "final_findings": list(findings),
    }


def _note(override_reason: str | None) -> dict[str, Any]:
    return {"override_reason": override_reason} if override_reason else {}
