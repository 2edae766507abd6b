"""The agent desk: review queued drafts in a notebook with ipywidgets.

    store = ReviewStore(path, recheck=recheck_with(assistant))
    desk = ReviewDesk(store, agent="alice")
    desk                      # in Jupyter: one card per pending draft, with buttons
    desk.edit(3, "Hola Ana, ...")   # what the Edit button of card 3 calls

Each card shows the customer message, the draft, its guardrail findings, a text box to
edit the reply, a rejection reason and an override reason (needed to send a text with
blocking findings). The buttons call `approve`, `edit` and `reject`, which anyone can
call directly (tests, scripted decisions): each returns the outcome as one line and
shows it on the card. Needs the `notebooks` extra (ipywidgets) and, for the tables,
pandas.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped]
import pandas as pd

from assistant.errors import InputError, ReviewError
from assistant.review import Review, ReviewStats, ReviewStore
from assistant.review.models import StatsDimension
from assistant.types import Draft, Finding

__all__ = ["ReviewCard", "ReviewDesk", "findings_html", "queue_frame", "stats_frame"]

_COLOURS = {"block": "#b00020", "warn": "#a15c00", "info": "#1a5fb4"}
_DONE = {"approved": "#2e7d32", "edited": "#1a5fb4", "rejected": "#b00020"}


@dataclass
class ReviewCard:
    """The widgets of one review; the desk wires the buttons to its callbacks."""

    review: Review
    text: Any
    reason: Any
    override: Any
    approve: Any
    edit: Any
    reject: Any
    outcome: Any
    box: Any

    def settle(self, review: Review, message: str) -> None:
        """Show a decision: colour the outcome and lock the card."""
        self.review = review
        colour = _DONE.get(review.status, "#444")
        self.outcome.value = f'<b style="color:{colour}">{html.escape(message)}</b>'
        for control in (self.approve, self.edit, self.reject, self.text, self.reason):
            control.disabled = True
        self.override.disabled = True

    def warn(self, message: str) -> None:
        """Show why an action was refused; the card stays open."""
        self.outcome.value = f'<span style="color:#b00020">{html.escape(message)}</span>'


class ReviewDesk:
    """One card per review in the queue (pending by default), decided through buttons.

    Displays itself in Jupyter. `approve`, `edit` and `reject` are the buttons'
    callbacks; `log` keeps every outcome line, oldest first.
    """

    def __init__(
        self,
        store: ReviewStore,
        agent: str,
        *,
        status: str | None = "pending",
        language: str | None = None,
        limit: int | None = None,
    ) -> None:
        self.store = store
        self.agent = agent
        self.filters: dict[str, Any] = {"status": status, "language": language, "limit": limit}
        self.log: list[str] = []
        self.cards: dict[int, ReviewCard] = {}
        self.header = widgets.HTML()
        refresh = widgets.Button(description="Refresh queue", icon="refresh")
        refresh.on_click(lambda _button: self.refresh())
        self.widget = widgets.VBox([widgets.HBox([self.header, refresh])])
        self.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def refresh(self) -> None:
        """Reload the queue from the store (decisions made elsewhere disappear from it)."""
        reviews = self.store.list(**self.filters)
        self.cards = {review.id: self._card(review) for review in reviews}
        self.header.value = _header(reviews, self.filters["status"])
        self.widget.children = [self.widget.children[0], *(c.box for c in self.cards.values())]

    def approve(self, review_id: int, override_reason: str | None = None) -> str:
        """Approve the draft as it is."""
        reason = _blank_to_none(override_reason)
        return self._decide(
            review_id,
            lambda: self.store.approve(review_id, self.agent, override_reason=reason),
        )

    def edit(self, review_id: int, final_text: str, override_reason: str | None = None) -> str:
        """Send `final_text` instead of the draft (rechecked if the store has a recheck)."""
        reason = _blank_to_none(override_reason)
        return self._decide(
            review_id,
            lambda: self.store.edit(review_id, self.agent, final_text, override_reason=reason),
        )

    def reject(self, review_id: int, reason: str) -> str:
        """Reject the draft; the reason is required."""
        return self._decide(review_id, lambda: self.store.reject(review_id, self.agent, reason))

    def _decide(self, review_id: int, action: Callable[[], Review]) -> str:
        card = self.cards.get(review_id)
        try:
            review = action()
        except (InputError, ReviewError) as exc:
            message = _refusal(review_id, exc)
            if card is not None:
                card.warn(message)
        else:
            message = _outcome(review)
            if card is not None:
                card.settle(review, message)
        self.log.append(message)
        return message

    def _card(self, review: Review) -> ReviewCard:
        card = _build_card(review)
        card.approve.on_click(lambda _b: self.approve(review.id, card.override.value))
        card.edit.on_click(lambda _b: self.edit(review.id, card.text.value, card.override.value))
        card.reject.on_click(lambda _b: self.reject(review.id, card.reason.value))
        if review.status != "pending":
            card.settle(review, _outcome(review))
        return card


def _build_card(review: Review) -> ReviewCard:
    blocked = bool(review.blocking_findings)
    text = widgets.Textarea(value=review.final_text or review.draft.text, rows=6, layout=_wide())
    reason = widgets.Text(placeholder="why the draft is rejected", description="Reason")
    override = widgets.Text(
        placeholder="required to send over blocking findings" if blocked else "if needed",
        description="Override",
    )
    approve = widgets.Button(
        description="Approve", button_style="warning" if blocked else "success"
    )
    edit = widgets.Button(description="Send edited text", button_style="info")
    reject = widgets.Button(description="Reject", button_style="danger")
    outcome = widgets.HTML()
    parts = [widgets.HTML(_context_html(review)), text, widgets.HBox([reason, override])]
    parts += [widgets.HBox([approve, edit, reject, outcome]), *_other_drafts(review)]
    box = widgets.VBox(parts, layout=widgets.Layout(border="1px solid #ccc", padding="6px"))
    return ReviewCard(review, text, reason, override, approve, edit, reject, outcome, box)


def _wide() -> Any:
    return widgets.Layout(width="100%")


def _context_html(review: Review) -> str:
    message, draft = review.message, review.draft
    who = html.escape(message.customer_name or "customer")
    meta = (
        f"#{review.id} · {html.escape(message.channel)} · customer wrote "
        f"<b>{html.escape(message.language)}</b> · "
        f"reply in <b>{html.escape(draft.language)}</b> · tone {html.escape(draft.tone)} · "
        f"FAQ {html.escape(', '.join(draft.citations) or 'none')}"
    )
    return (
        f'<div style="color:#555">{meta}</div>'
        f"<div><b>{who}:</b> {_paragraphs(message.text)}</div>"
        f"<div><b>Draft findings:</b> {findings_html(draft.findings)}</div>"
    )


def findings_html(findings: Iterable[Finding]) -> str:
    """Findings as coloured lines (severity, id, message); "none" when there are none."""
    lines = [
        f'<div><b style="color:{_COLOURS.get(f.severity, "#444")}">{f.severity.upper()}</b> '
        f"<code>{html.escape(f.id)}</code> {html.escape(f.message)}</div>"
        for f in findings
    ]
    return "".join(lines) or '<span style="color:#2e7d32">none</span>'


def _other_drafts(review: Review) -> list[Any]:
    """The suggestion's other drafts, folded away, each with its findings."""
    if review.suggestion is None or len(review.suggestion.drafts) < 2:
        return []
    others = [
        (i, d) for i, d in enumerate(review.suggestion.drafts) if i != (review.draft_index or 0)
    ]
    body = "".join(_draft_html(i, draft) for i, draft in others)
    folded = widgets.Accordion(children=[widgets.HTML(body)])
    folded.set_title(0, f"{len(others)} other draft(s) for this message")
    folded.selected_index = None
    return [folded]


def _draft_html(index: int, draft: Draft) -> str:
    return (
        f"<p><b>Draft {index + 1}</b> ({html.escape(draft.tone)}): {_paragraphs(draft.text)}"
        f"<br>{findings_html(draft.findings)}</p>"
    )


def _paragraphs(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _header(reviews: list[Review], status: str | None) -> str:
    shown = f"{len(reviews)} {status or 'all'} review(s)"
    blocked = sum(1 for r in reviews if r.blocking_findings and r.status == "pending")
    note = f" · {blocked} with blocking findings" if blocked else ""
    return f"<h4 style='margin:4px 12px 4px 0'>Review queue: {shown}{note}</h4>"


def _outcome(review: Review) -> str:
    line = f"review {review.id}: {review.status} by {review.agent}"
    if review.status == "edited" and review.edit_distance is not None:
        line += f" (edit distance {review.edit_distance:.2f})"
        if review.final_findings:
            line += "; findings on the sent text: " + ", ".join(f.id for f in review.final_findings)
    if review.reason:
        line += f"; reason: {review.reason}"
    return line


def _refusal(review_id: int, exc: Exception) -> str:
    reason = str(exc)
    if reason.startswith((f"review {review_id} ", f"review {review_id}:")):
        return f"not done: {reason}"
    return f"review {review_id}: not done: {reason}"


def _blank_to_none(value: str | None) -> str | None:
    return value if value and value.strip() else None


def queue_frame(reviews: Iterable[Review], width: int = 60) -> pd.DataFrame:
    """One row per review: status, languages, channel, FAQ, findings, shortened texts."""
    rows = [
        {
            "id": r.id,
            "status": r.status,
            "customer": r.message.language,
            "reply": r.draft.language,
            "channel": r.message.channel,
            "faq": r.faq_id or "",
            "findings": ", ".join(f"{f.severity}:{f.id}" for f in r.draft.findings),
            "message": _shorten(r.message.text, width),
            "draft": _shorten(r.draft.text, width),
            "edit_distance": r.edit_distance,
        }
        for r in reviews
    ]
    return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def stats_frame(stats: ReviewStats, by: StatsDimension = "language") -> pd.DataFrame:
    """Decision counts and rates per group of `by` (language, script, tone, faq, snippet,
    channel or source, as grouped by `ReviewStore.stats`), then `all`."""
    groups = [*stats.by.get(by, []), stats.overall]
    columns = ["total", "pending", "approved", "edited", "rejected"]
    columns += ["acceptance_rate", "edit_rate", "rejection_rate", "mean_edit_distance"]
    rows = [{by: g.key, **g.model_dump(include=set(columns))} for g in groups]
    return pd.DataFrame(rows, columns=[by, *columns]).set_index(by)
