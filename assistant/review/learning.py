"""Learning from what agents send: a reply sent in a helpdesk, against what we suggested.

`record_sent` is what the service's learning loop calls when an agent's public reply
arrives in a conversation that has a suggestion (and what a notebook or script calls to
replay such replies): the review is added for the draft the reply is closest to, marked
with the helpdesk it came from (`source`), and decided at once, approved unchanged (edit
distance 0) or edited (with the distance), under the agent's name.

Also here: the ids of the guideline snippets shown with a suggestion (kept on the review
for "which snippets were edited most"), and the fill-in of the columns added later for
reviews stored before them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import TYPE_CHECKING

from assistant.errors import InputError
from assistant.review.distance import edit_distance
from assistant.review.models import DESK, Review
from assistant.review.workflow import require_text
from assistant.types import Snippet, Suggestion

if TYPE_CHECKING:
    from assistant.review.store import ReviewStore

__all__ = [
    "SENT_OUTSIDE",
    "closest_draft",
    "message_script",
    "record_sent",
    "shown_snippets",
    "snippet_id",
]

SENT_OUTSIDE = "sent by the agent in the helpdesk; recorded here, not approved here"
UNDETERMINED = "Zyyy"


def closest_draft(suggestion: Suggestion, text: str) -> tuple[int, float]:
    """The index of the draft nearest to `text`, and its normalised edit distance."""
    if not suggestion.drafts:
        raise InputError("the suggestion has no drafts to compare the sent reply with")
    sent = _norm(text)
    scored = [(edit_distance(_norm(d.text), sent), i) for i, d in enumerate(suggestion.drafts)]
    distance, index = min(scored)
    return index, distance


def record_sent(
    store: ReviewStore,
    suggestion: Suggestion,
    text: str,
    *,
    agent: str,
    source: str,
    reply_to: str | None = None,
) -> Review:
    """Record `text`, sent by `agent` in the helpdesk `source` (e.g. "chatwoot"), as the
    decision on the draft of `suggestion` closest to it: approved if unchanged, else
    edited. The review's `source` keeps the helpdesk apart from the desk's decisions."""
    if source.strip() in ("", DESK):
        raise InputError(f"source must name the helpdesk the reply was sent in, not {source!r}")
    text = require_text(text, "the sent reply")
    index, distance = closest_draft(suggestion, text)
    review = store.add(suggestion, index, agent=source, reply_to=reply_to, source=source)
    if distance == 0.0:
        return store.approve(review.id, agent, override_reason=SENT_OUTSIDE)
    return store.edit(review.id, agent, text, override_reason=SENT_OUTSIDE)


def snippet_id(snippet: Snippet) -> str:
    """`source#hash`: a guideline snippet's source and the first 8 hex digits of the
    SHA-256 of its text, e.g. "brand.voice.do#1f0c9a2b" (one source holds several)."""
    digest = hashlib.sha256(snippet.text.encode("utf-8")).hexdigest()[:8]
    return f"{snippet.source}#{digest}"


def shown_snippets(suggestion: Suggestion) -> list[dict[str, str]]:
    """The snippets shown with `suggestion`, as the review store keeps them."""
    return [{"id": snippet_id(s), "source": s.source, "text": s.text} for s in suggestion.guidance]


def message_script(text: str) -> str:
    """The script most of `text`'s letters are written in (ISO 15924), "Zyyy" if none."""
    from assistant.language.scripts import count_scripts

    counts = count_scripts(text)
    return max(counts, key=lambda s: (counts[s], s)) if counts else UNDETERMINED


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())
