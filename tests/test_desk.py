"""The ipywidgets review desk, driven without a browser: buttons are clicked in Python."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.review import Review, ReviewStore
from assistant.review.desk import ReviewDesk, findings_html, queue_frame, stats_frame
from assistant.types import Analysis, Detection, Draft, Finding, Hit, Message, Suggestion

BLOCK = Finding(id="private-data", severity="block", message="repeats a card number")
WARN = Finding(id="length", severity="warn", message="longer than the channel allows")


def _draft(text: str, language: str, tone: str = "friendly", *findings: Finding) -> Draft:
    return Draft(
        text=text, language=language, tone=tone, citations=["order-status"], findings=list(findings)
    )


def _suggestion(text: str, language: str, *drafts: Draft) -> Suggestion:
    return Suggestion(
        message=Message(text=text, channel="twitter", customer_name="Ana"),
        detection=Detection(language=language, script="Latn", confidence=0.9, reliable=True),
        analysis=Analysis(
            language=language, sentiment="neutral", sentiment_score=0.0, intent="order-status"
        ),
        hits=[Hit(faq_id="order-status", score=0.8)],
        drafts=list(drafts),
        reply_language=language,
        language_rule="customer",
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReviewStore]:
    with ReviewStore(tmp_path / "reviews.sqlite3") as opened:
        opened.add(
            _suggestion(
                "¿Dónde está mi pedido?",
                "es",
                _draft("Hola Ana, tu pedido llega en 3-5 días.", "es", "friendly", WARN),
                _draft("Estimada Ana, su pedido llega en 3-5 días.", "es", "formal"),
            )
        )
        opened.add(
            _suggestion(
                "my card 4111 1111 1111 1111 was charged twice",
                "en",
                _draft("Hi Ana, we see card 4111 1111 1111 1111.", "en", "friendly", BLOCK),
            )
        )
        opened.add(_suggestion("mana order saya?", "ms", _draft("Hai Ana, pesanan anda.", "ms")))
        yield opened


@pytest.fixture
def desk(store: ReviewStore) -> ReviewDesk:
    return ReviewDesk(store, agent="alice")


def test_desk_shows_one_card_per_pending_review(desk: ReviewDesk) -> None:
    assert list(desk.cards) == [1, 2, 3]
    assert "3 pending review(s)" in desk.header.value
    assert "1 with blocking findings" in desk.header.value
    assert len(desk.widget.children) == 4
    assert desk.cards[1].text.value == "Hola Ana, tu pedido llega en 3-5 días."


def test_card_shows_message_draft_findings_and_other_drafts(desk: ReviewDesk) -> None:
    context = desk.cards[2].box.children[0].value
    assert "4111 1111 1111 1111 was charged twice" in context
    assert "BLOCK" in context and "private-data" in context
    other = desk.cards[1].box.children[-1]
    assert other.get_title(0) == "1 other draft(s) for this message"
    assert "Estimada Ana" in other.children[0].value
    assert desk.cards[3].box.children[-1].children[0].description == "Approve"


def test_approve_button_approves_and_locks_the_card(desk: ReviewDesk, store: ReviewStore) -> None:
    card = desk.cards[1]
    card.approve.click()
    assert store.get(1).status == "approved"
    assert card.approve.disabled and card.text.disabled
    assert "approved by alice" in card.outcome.value
    assert desk.log == ["review 1: approved by alice"]


def test_blocking_findings_need_an_override_reason(desk: ReviewDesk, store: ReviewStore) -> None:
    card = desk.cards[2]
    card.approve.click()
    assert store.get(2).status == "pending"
    assert desk.log[-1].startswith("not done: review 2: the draft has blocking findings")
    assert "override" in card.outcome.value
    assert not card.approve.disabled
    card.override.value = "customer posted it publicly; we mask it"
    card.approve.click()
    review = store.get(2)
    assert review.status == "approved"
    assert review.reason == "customer posted it publicly; we mask it"
    assert [e.action for e in store.events(2)] == ["add", "override", "approve"]


def test_edit_button_sends_the_textarea(desk: ReviewDesk, store: ReviewStore) -> None:
    card = desk.cards[3]
    card.text.value = "Hai Ana, pesanan anda akan sampai dalam 3-5 hari bekerja."
    card.edit.click()
    review = store.get(3)
    assert review.status == "edited"
    assert review.final_text == card.text.value
    assert review.edit_distance is not None and review.edit_distance > 0
    assert "edit distance" in desk.log[-1]


def test_reject_needs_a_reason(desk: ReviewDesk, store: ReviewStore) -> None:
    message = desk.reject(3, "  ")
    assert message == "review 3: not done: a rejection reason must not be empty"
    assert store.get(3).status == "pending"
    assert desk.reject(3, "wrong language") == "review 3: rejected by alice; reason: wrong language"
    assert store.get(3).status == "rejected"


def test_a_second_decision_is_refused(desk: ReviewDesk, store: ReviewStore) -> None:
    desk.approve(1)
    message = desk.reject(1, "changed my mind")
    assert message.startswith("not done: review 1 was already approved by alice")
    assert store.get(1).status == "approved"


def test_unknown_review_is_reported_not_raised(desk: ReviewDesk) -> None:
    assert "no review has id 99" in desk.approve(99)


def test_refresh_drops_decided_reviews(desk: ReviewDesk) -> None:
    desk.approve(1)
    desk.refresh()
    assert list(desk.cards) == [2, 3]
    assert "2 pending review(s)" in desk.header.value


def test_desk_over_all_statuses_shows_decided_cards_locked(store: ReviewStore) -> None:
    store.reject(3, "bob", "wrong tone")
    desk = ReviewDesk(store, agent="alice", status=None)
    assert list(desk.cards) == [1, 2, 3]
    assert desk.cards[3].reject.disabled
    assert "rejected by bob" in desk.cards[3].outcome.value


def test_recheck_findings_on_edited_text_can_block(tmp_path: Path) -> None:
    def recheck(review: Review, text: str) -> list[Finding]:
        return [BLOCK] if any(ch.isdigit() for ch in text) else []

    with ReviewStore(tmp_path / "r.sqlite3", recheck=recheck) as store:
        store.add(_suggestion("hola", "es", _draft("Hola Ana.", "es")))
        desk = ReviewDesk(store, agent="alice")
        assert "not done" in desk.edit(1, "Hola Ana, tarjeta 4111 1111 1111 1111")
        sent = desk.edit(1, "Hola Ana, tarjeta 4111", override_reason="masked")
        assert sent.endswith("; reason: masked")
        assert "findings on the sent text: private-data" in sent
        assert store.get(1).final_findings == [BLOCK]


def test_desk_displays_as_a_widget(desk: ReviewDesk) -> None:
    bundle = desk._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_findings_html_escapes_and_says_none() -> None:
    risky = Finding(id="x", severity="warn", message="<script>alert(1)</script>")
    assert "&lt;script&gt;" in findings_html([risky])
    assert "none" in findings_html([])


def test_queue_frame_one_row_per_review(store: ReviewStore) -> None:
    frame = queue_frame(store.list(), width=20)
    assert frame.index.tolist() == [1, 2, 3]
    assert frame.loc[2, "findings"] == "block:private-data"
    assert frame.loc[1, "customer"] == "es"
    assert len(frame.loc[2, "message"]) <= 20
    assert queue_frame([]).empty


def test_stats_frame_rates_per_language(desk: ReviewDesk, store: ReviewStore) -> None:
    desk.approve(1)
    desk.approve(2, override_reason="masked")
    desk.edit(3, "Hai Ana, pesanan anda sedang dihantar.")
    frame = stats_frame(store.stats())
    assert frame.index.tolist()[-1] == "all"
    assert frame.loc["all", "acceptance_rate"] == pytest.approx(2 / 3)
    assert frame.loc["all", "edit_rate"] == pytest.approx(1 / 3)
    assert frame.loc["es", "mean_edit_distance"] == pytest.approx(0.0)
    assert frame.loc["ms", "mean_edit_distance"] > 0
