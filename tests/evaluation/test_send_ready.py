"""The send-ready headline: the per-item verdict with gold labels, summary.json, the
terminal view at 80 columns, and regressions named in plain words."""

from __future__ import annotations

import json

from assistant.checks.lines import phrases
from assistant.evaluation.compare import Delta, regression_text
from assistant.evaluation.console import summary_lines
from assistant.evaluation.metrics import score_suggestion
from assistant.evaluation.stats import Stat, summarise
from assistant.knowledge import KnowledgeBase
from tests.evaluation.eval_support import make_item, make_suggestion

GOOD = "Hi there,\nMost orders arrive within 3-5 business days.\n– Nimbus Care"


def test_a_right_answer_is_send_ready(kb: KnowledgeBase) -> None:
    item = make_item()
    score = score_suggestion(item, make_suggestion(item, GOOD), kb)
    assert score.values["send_ready"] == 1.0 and score.not_ready == []


def test_a_wrong_answer_is_not_and_says_why(kb: KnowledgeBase) -> None:
    item = make_item()
    score = score_suggestion(item, make_suggestion(item, citations=("returns",)), kb)
    assert score.values["send_ready"] == 0.0
    assert score.values["wrong_topic"] == 1.0
    assert any("does not answer with order-status" in r for r in score.not_ready)


def test_praise_answered_without_thanks_is_not_send_ready(kb: KnowledgeBase) -> None:
    praise = make_item("en-005", text="Lamp arrived early and it is gorgeous, love it!",
                       sentiment="positive", intent="praise", faq_id=None)  # fmt: skip
    asks = make_suggestion(praise, "Hi,\nPlease DM us your order number.", citations=())
    score = score_suggestion(praise, asks, kb)
    assert score.values["send_ready"] == 0.0
    assert "praise that the draft does not thank" in score.not_ready
    praise_line = kb.locale("en").lines.praise  # the line the composer thanks praise with
    thanked = make_suggestion(praise, f"Hi,\n{praise_line}\n– Nimbus Care", citations=())
    assert (
        "praise that the draft does not thank"
        not in score_suggestion(praise, thanked, kb).not_ready
    )


def test_hard_cases_are_counted(kb: KnowledgeBase) -> None:
    sarcasm = make_item("en-002", sentiment="negative", intent="complaint", faq_id=None,
                        tags=["sarcasm"])  # fmt: skip
    thanked = make_suggestion(sarcasm, "Hi,\nThank you so much for your kind words!", citations=())
    safety = make_item("en-003", sentiment="negative", intent="complaint", faq_id=None,
                       escalate=True, tags=["safety"])  # fmt: skip
    handed = make_suggestion(
        safety, "Hi,\nI've passed this to our Product Safety team.", citations=(),
        needs_escalation=True,
    )  # fmt: skip
    line = phrases("en", "informal", "informal").get("safety")
    first = make_suggestion(
        safety, f"Hi,\n{line} I've passed this to our team.", citations=(), needs_escalation=True
    )
    scores = [
        score_suggestion(sarcasm, thanked, kb),
        score_suggestion(safety, handed, kb),
        score_suggestion(make_item("en-004", **_safety_fields()), first, kb),
    ]
    assert scores[0].values["not_thanked"] == 0.0
    assert scores[1].values["safety_wording"] == 0.0
    assert scores[2].values["safety_wording"] == 1.0
    summary = summarise(scores, config={}, counts={})
    assert summary.hard_cases["upset_thanked"] == 1
    assert summary.hard_cases["safety_without_wording"] == 1


def _safety_fields() -> dict[str, object]:
    return {"sentiment": "negative", "intent": "complaint", "faq_id": None, "escalate": True,
            "tags": ["safety"]}  # fmt: skip


def test_summary_json_leads_with_send_ready(kb: KnowledgeBase) -> None:
    texts = {"en": "where is my order?", "es": "¿dónde está mi pedido?", "hy": "Որտե՞ղ է պատվերս"}
    items = [make_item(f"{lang}-00{i}", language=lang, text=text) for i, (lang, text) in
             enumerate(texts.items())]  # fmt: skip
    scores = [score_suggestion(i, make_suggestion(i, GOOD), kb) for i in items]
    summary = summarise(scores, config={}, counts={})
    data = json.loads(summary.model_dump_json())
    assert next(iter(data)) == "send_ready"
    head = data["send_ready"]
    assert set(head["by_language"]) == {"en", "es", "hy"}
    assert {"Latn", "Armn"} <= set(head["by_script"])
    assert head["by_channel"] and head["by_intent"]


def test_the_terminal_view_fits_80_columns_without_cut_cells(kb: KnowledgeBase) -> None:
    items = [
        make_item(f"{lang}-{i:03d}", language=lang, channel=channel)
        for i, (lang, channel) in enumerate(
            [(lang, ch) for lang in ("en", "es", "hy", "ja", "te") for ch in ("twitter", "email")]
        )
    ]
    scores = [score_suggestion(i, make_suggestion(i, GOOD), kb) for i in items]
    lines = summary_lines(summarise(scores, config={}, counts={}))
    assert lines[0].startswith("Send-ready rate of first drafts:")
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert any(line.startswith("'answer may not fit'") for line in lines)
    assert any(line.startswith("must be 0") for line in lines)
    assert not any("0.…" in line or "…" in line for line in lines)


def test_a_regression_is_named_in_plain_words() -> None:
    delta = Delta(
        metric="send_ready", group="hy", a=0.9, b=0.7,
        delta=Stat(mean=-0.2, low=-0.3, high=-0.1, n=40),
        wins=1, losses=9, ties=30, regression=True, improvement=False,
    )  # fmt: skip
    text = regression_text(delta)
    assert text.startswith("send-ready fell 20.0 points in hy")
    assert "95% CI -30.0 to -10.0" in text and "40 paired messages" in text


def test_the_notebook_table_lists_the_worst_language_first(kb: KnowledgeBase) -> None:
    from assistant.evaluation import send_ready_table

    good = make_item("en-001")
    bad = make_item("hy-001", language="hy")
    scores = [
        score_suggestion(good, make_suggestion(good, GOOD), kb),
        score_suggestion(bad, make_suggestion(bad, GOOD, citations=("returns",)), kb),
    ]
    table = send_ready_table(summarise(scores, config={}, counts={}), "language")
    assert list(table.index) == ["hy", "en"]
    assert list(table["send-ready %"]) == [0.0, 100.0]
    assert list(send_ready_table(summarise(scores, config={}, counts={}), "script").index)


def test_the_script_row_is_what_the_customer_wrote(kb: KnowledgeBase) -> None:
    from assistant.evaluation.metrics import item_script

    unlabelled = make_item("hi-101", language="hi", text="login nahi ho raha, password bhool gayi")
    assert item_script(kb, unlabelled) == "Latn"  # romanised Hindi without a script label
    native = make_item("hi-102", language="hi", text="मेरा ऑर्डर कहाँ है?")
    assert item_script(kb, native) == "Deva"
    assert item_script(kb, make_item("ja-101", language="ja", text="注文はどこですか")) == "Jpan"
