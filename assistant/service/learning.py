"""The learning loop: what the agent actually sent, against what we suggested.

When a suggestion is posted to a conversation it is remembered here. The agent's next
public reply in that conversation is recorded in the review store (`record_sent`) as the
draft it is closest to, approved unchanged (edit distance 0) or edited (with the
distance), under the agent's name, with the helpdesk as its source; `assistant review
stats --source helpdesk` then shows acceptance and edit rates per language and script
from real traffic, and the FAQ entries and guideline snippets edited most. Each
suggestion is learned from once, and then forgotten here (the review keeps it, masked if
`review_mask_private` says so).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, update

from assistant.review import ReviewStore
from assistant.review.learning import SENT_OUTSIDE, closest_draft
from assistant.service.adapters.base import Event
from assistant.service.tables import suggestions
from assistant.types import Suggestion

__all__ = ["SENT_OUTSIDE", "Learner", "closest_draft"]

_CLAIMED = -1


class Learner:
    """Remembers posted suggestions per conversation and records the agents' replies."""

    def __init__(self, engine: Engine, writer: Engine, store: ReviewStore) -> None:
        self._engine = engine
        self._writer = writer
        self._store = store

    def remember(self, job_id: int, event: Event, suggestion: Suggestion) -> int:
        """The suggestion's id (the same on a retried job)."""
        with self._writer.begin() as conn:
            found = conn.execute(
                select(suggestions.c.id).where(suggestions.c.job_id == job_id)
            ).scalar()
            if found is not None:
                return int(found)
            row = {
                "job_id": job_id,
                "adapter": event.adapter,
                "conversation": event.conversation,
                "suggestion": suggestion.model_dump(mode="json"),
                "created_at": datetime.now(UTC),
            }
            return int(
                conn.execute(suggestions.insert().returning(suggestions.c.id), row).scalar_one()
            )

    def posted(self, suggestion_id: int, note_id: str) -> None:
        with self._writer.begin() as conn:
            conn.execute(
                update(suggestions)
                .where(suggestions.c.id == suggestion_id)
                .values(note_id=note_id or "posted")
            )

    def learn(self, event: Event) -> dict[str, Any]:
        """Record `event` (an agent's sent reply) against the conversation's last suggestion."""
        claimed = self._claim(event.conversation)
        if claimed is None:
            return {"skipped": "no suggestion waits for a reply in this conversation"}
        suggestion_id, suggestion = claimed
        agent = event.agent or f"{event.adapter}-agent"
        review = self._store.record_sent(
            suggestion, event.text, agent=agent, source=event.adapter, reply_to=event.conversation
        )
        with self._writer.begin() as conn:
            conn.execute(
                update(suggestions)
                .where(suggestions.c.id == suggestion_id)
                .values(review_id=review.id, suggestion={"learned": review.id})
            )
        return {
            "suggestion_id": suggestion_id,
            "review_id": review.id,
            "decision": review.status,
            "draft": (review.draft_index or 0) + 1,
            "edit_distance": round(review.edit_distance or 0.0, 4),
        }

    def _claim(self, conversation: str) -> tuple[int, Suggestion] | None:
        waiting = (
            (suggestions.c.conversation == conversation)
            & suggestions.c.note_id.is_not(None)
            & suggestions.c.review_id.is_(None)
        )
        query = select(suggestions.c.id, suggestions.c.suggestion).where(waiting)
        with self._writer.begin() as conn:
            row = conn.execute(query.order_by(suggestions.c.id.desc()).limit(1)).first()
            if row is None:
                return None
            won = conn.execute(
                update(suggestions)
                .where((suggestions.c.id == row.id) & suggestions.c.review_id.is_(None))
                .values(review_id=_CLAIMED)
            ).rowcount
        if won != 1:
            return None
        return int(row.id), Suggestion.model_validate(row.suggestion)
