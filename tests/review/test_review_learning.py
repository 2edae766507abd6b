"""Learning from replies sent in a helpdesk: recorded as approved or edited, kept apart from
the desk's decisions, grouped per language and script, and the FAQ entries and guideline
snippets whose drafts were edited most."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from assistant.errors import InputError
from assistant.review import ReviewStore, edit_distance
from assistant.review.learning import SENT_OUTSIDE, snippet_id
from assistant.types import Detection, Message, Snippet, Suggestion
from tests.review.review_support import invoke, make_draft, make_suggestion

TONE = Snippet(source="tones.friendly", text="Warm and brief.", score=0.5)
APOLOGY = Snippet(source="brand.voice.do", text="Apologise once, then fix it.", score=0.4)
NO_BLAME = Snippet(source="brand.voice.dont", text="Never blame the courier.", score=0.3)

HI_LATN = "Namaste Ravi, aapka order kal tak pahunch jayega."
HI_DEVA = "नमस्ते रवि, आपका ऑर्डर कल तक पहुँच जाएगा।"
ES = "Hola Ana, tu pedido está en camino."


def suggestion(
    text: str, language: str, script: str, faq: str, guidance: list[Snippet]
) -> Suggestion:
    base = make_suggestion(
        text="where is my order", drafts=(make_draft(text, language, citations=(faq,)),)
    )
    detection = Detection(language=language, script=script, confidence=0.9, reliable=True)
    return base.model_copy(update={"detection": detection, "guidance": guidance})


def fill(store: ReviewStore) -> None:
    """helpdesk: hi-Latn sent unchanged and edited, hi-Deva edited, es unchanged · desk: es
    approved and edited."""
    hi_latn = suggestion(HI_LATN, "hi", "Latn", "order-status", [TONE, APOLOGY])
    hi_deva = suggestion(HI_DEVA, "hi", "Deva", "order-status", [TONE, NO_BLAME])
    es = suggestion(ES, "es", "Latn", "returns", [TONE])
    sent = {"agent": "Maria", "source": "chatwoot"}
    store.record_sent(hi_latn, HI_LATN, **sent, reply_to="chatwoot:1:1")
    store.record_sent(hi_latn, HI_LATN + " Dhanyavaad!", **sent)
    store.record_sent(hi_deva, HI_DEVA + " धन्यवाद!", **sent)
    store.record_sent(es, ES, agent="Li", source="front")
    store.approve(store.add(es).id, "alice")
    store.edit(store.add(es).id, "alice", ES + " Gracias.")


@pytest.fixture
def filled(db_path: Path) -> Path:
    with ReviewStore(db_path) as store:
        fill(store)
    return db_path


def test_a_sent_reply_is_recorded_against_the_closest_draft(store: ReviewStore) -> None:
    other = make_draft("Hola Ana, lo siento mucho, lo revisamos ahora.", "es", "formal")
    two = make_suggestion(drafts=(make_draft(ES, "es"), other))
    review = store.record_sent(two, other.text + " 🙏", agent="Maria", source="chatwoot")
    assert (review.status, review.draft_index, review.agent) == ("edited", 1, "Maria")
    assert review.edit_distance == pytest.approx(edit_distance(other.text, other.text + " 🙏"))
    assert (review.source, review.script) == ("chatwoot", "Latn")
    unchanged = store.record_sent(two, f"  {ES}\n", agent="Maria", source="chatwoot")
    assert (unchanged.status, unchanged.edit_distance) == ("approved", 0.0)
    assert [e.agent for e in store.events(unchanged.id)] == ["chatwoot", "Maria"]
    assert store.events(unchanged.id)[1].details["override_reason"] == SENT_OUTSIDE


def test_the_shown_snippets_are_kept_on_the_review(store: ReviewStore) -> None:
    review = store.add(suggestion(ES, "es", "Latn", "returns", [TONE, APOLOGY]))
    assert [s.id for s in store.get(review.id).snippets] == [snippet_id(TONE), snippet_id(APOLOGY)]
    assert snippet_id(APOLOGY).startswith("brand.voice.do#") and len(snippet_id(APOLOGY)) == 23
    assert snippet_id(APOLOGY) != snippet_id(APOLOGY.model_copy(update={"text": "Say sorry."}))
    assert review.source == "desk"


def test_a_helpdesk_source_must_be_named(store: ReviewStore) -> None:
    with pytest.raises(InputError, match="must name the helpdesk"):
        store.record_sent(make_suggestion(), ES, agent="Maria", source="desk")
    assert store.list() == []


def test_helpdesk_and_desk_decisions_are_counted_apart(filled: Path) -> None:
    with ReviewStore(filled) as store:
        everything = store.stats(by="source")
        helpdesk = store.stats(by=["language", "script"], source="helpdesk")
        desk = store.stats(by="language", source="desk")
    assert {g.key: g.total for g in everything.by["source"]} == {
        "chatwoot": 3, "desk": 2, "front": 1
    }  # fmt: skip
    overall = helpdesk.overall
    assert (helpdesk.source, overall.total, overall.approved, overall.edited) == (
        "helpdesk", 4, 2, 2
    )  # fmt: skip
    languages = {g.key: (g.acceptance_rate, g.edit_rate) for g in helpdesk.by["language"]}
    assert languages == {"hi": (pytest.approx(1 / 3), pytest.approx(2 / 3)), "es": (1.0, 0.0)}
    scripts = {g.key: (g.total, g.edit_rate) for g in helpdesk.by["script"]}
    assert scripts == {"hi-Latn": (2, 0.5), "es-Latn": (1, 0.0), "hi-Deva": (1, 1.0)}
    assert (desk.overall.total, desk.overall.acceptance_rate, desk.overall.edit_rate) == (
        2, 0.5, 0.5
    )  # fmt: skip


def test_most_edited_faq_entries_and_snippets(filled: Path) -> None:
    with ReviewStore(filled) as store:
        figures = store.stats(by="snippet", source="helpdesk")
        every = store.stats(by=())
    faq = [(g.key, g.edited, g.decided) for g in figures.most_edited["faq"]]
    assert faq == [("order-status", 2, 3)]  # es/returns was sent unchanged in the helpdesk
    snippets = [(g.key, g.label, g.edited) for g in figures.most_edited["snippet"]]
    assert snippets == [
        (snippet_id(TONE), TONE.text, 2),  # shown with all four, edited in two
        (snippet_id(NO_BLAME), NO_BLAME.text, 1),  # 1 of 1 edited
        (snippet_id(APOLOGY), APOLOGY.text, 1),  # 1 of 2 edited
    ]
    by_snippet = {g.key: g.total for g in figures.by["snippet"]}
    assert by_snippet[snippet_id(TONE)] == 4
    assert [(g.key, g.edited) for g in every.most_edited["faq"]] == [
        ("order-status", 2), ("returns", 1)
    ]  # fmt: skip


def test_cli_stats_for_the_helpdesk(filled: Path) -> None:
    result = invoke(
        "review", "stats", "--source", "helpdesk", "--by", "script", "--db", str(filled)
    )
    assert result.exit_code == 0, result.output
    assert "by script (helpdesk decisions)" in result.output
    assert "hi-Deva" in result.output and "by tone" not in result.output
    assert "edited most: guideline snippets (helpdesk decisions)" in result.output
    assert f"{snippet_id(NO_BLAME)}: {NO_BLAME.text}" in result.output
    as_json = invoke("review", "stats", "--json", "--by", "snippet", "--db", str(filled))
    payload = json.loads(as_json.output)
    assert payload["source"] == "all" and set(payload["most_edited"]) == {"faq", "snippet"}
    wrong = invoke("review", "stats", "--by", "agent", "--db", str(filled))
    assert wrong.exit_code == 2 and "cannot group statistics by 'agent'" in wrong.output


def test_a_store_made_before_the_learning_columns_is_filled_in(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with ReviewStore(path) as store:
        fill(store)
        store.add_draft(Message(text="मेरा ऑर्डर कहाँ है?"), make_draft(HI_DEVA, "hi"))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        for column in ("source", "script", "snippets"):
            conn.exec_driver_sql(f"ALTER TABLE reviews DROP COLUMN {column}")
    assert "source" not in {c["name"] for c in inspect(engine).get_columns("reviews")}
    engine.dispose()
    with ReviewStore(path) as store:
        reviews = store.list()
        assert [r.source for r in reviews] == ["chatwoot"] * 3 + ["front", "desk", "desk", "desk"]
        assert [r.script for r in reviews] == ["Latn", "Latn", "Deva"] + ["Latn"] * 3 + ["Deva"]
        assert [s.id for s in reviews[2].snippets] == [snippet_id(TONE), snippet_id(NO_BLAME)]
        assert reviews[-1].snippets == []  # added without a suggestion: nothing was shown
        assert store.stats(source="helpdesk").overall.total == 4


def test_replies_sent_in_a_helpdesk_are_not_exported_again(filled: Path, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.jsonl"
    with ReviewStore(filled) as store:
        exported = store.export(outbox, "alice")
        assert [r.source for r in exported] == ["desk", "desk"]
        assert {r.status for r in store.list() if r.source != "desk"} == {"approved", "edited"}
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert [line["review_id"] for line in lines] == [r.id for r in exported]


def test_an_empty_sent_reply_is_refused(store: ReviewStore) -> None:
    with pytest.raises(InputError, match="the sent reply must not be empty"):
        store.record_sent(make_suggestion(), "  ", agent="Maria", source="chatwoot")
