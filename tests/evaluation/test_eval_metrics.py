"""Per-draft metrics on hand-made suggestions: known inputs, hand-computed scores."""

from __future__ import annotations

import pytest

from assistant.drafting.offline import is_open
from assistant.evaluation.metrics import (
    METRICS,
    QUALITY_PARTS,
    add_judge,
    add_reference_metrics,
    expected_language,
    now_for,
    score_error,
    score_suggestion,
)
from assistant.knowledge import KnowledgeBase
from assistant.types import Finding
from tests.evaluation.eval_support import FakeEmbedder, make_item, make_suggestion

GOOD_EN = (
    "Hi Jake,\nI understand how frustrating this is. Most orders arrive within 3-5 "
    "business days. Please send us a DM with your order number so we can check this "
    "for you.\n– Nimbus Care"
)
HY_PRIVATE = (
    "Արդեն զբաղվում ենք հարցով․ խնդրում ենք Ձեր պատվերի համարն ուղարկել մեզ DM-ով, "
    "որպեսզի ստուգենք։"
)


def test_a_good_draft_passes_every_applicable_metric(kb: KnowledgeBase) -> None:
    item = make_item(sentiment="negative", needs_private=True, customer_name="Jake Miller")
    score = score_suggestion(item, make_suggestion(item, GOOD_EN), kb)
    assert score.values == {
        "answered": 1.0,
        "send_ready": 1.0,
        "not_thanked": 1.0,
        "safety_wording": None,
        "privacy_warning": None,
        "fit_warned": 0.0,
        "wrong_topic": 0.0,
        "language_match": 1.0,
        "detection_correct": 1.0,
        "citation_correct": 1.0,
        "no_match_handled": None,
        "no_block_findings": 1.0,
        "channel_fit": 1.0,
        "register_correct": 1.0,
        "empathy_when_needed": 1.0,
        "take_private_correct": 1.0,
        "escalation_recall": None,
        "sentiment_correct": 1.0,
        "intent_correct": 1.0,
        "quality": 1.0,
    }
    assert score.failures == [] and score.not_ready == []
    assert score.tone == "friendly" and score.draft == GOOD_EN


def test_a_bad_draft_fails_each_metric_and_says_why(kb: KnowledgeBase) -> None:
    item = make_item("hy-001", language="hy", sentiment="negative", escalate=True)
    text = "Բարև Ձեզ։ " + HY_PRIVATE + " " + "ա" * 200  # 300+ characters on X (max 280)
    findings = [
        Finding(id="channel.too_long", severity="block", message="too long"),
        Finding(id="register.non_default", severity="info", message="uses դու"),
    ]
    suggestion = make_suggestion(
        item,
        text,
        language="en",
        detected="ru",
        citations=(),
        findings=findings,
        sentiment="neutral",
        intent="returns",
    )
    score = score_suggestion(item, suggestion, kb)
    expected = {
        name: 0.0
        for name in (
            "language_match",
            "detection_correct",
            "citation_correct",
            "no_block_findings",
            "channel_fit",
            "register_correct",
            "empathy_when_needed",
            "take_private_correct",
            "escalation_recall",
            "sentiment_correct",
            "intent_correct",
            "quality",
        )
    }
    unscored = {"safety_wording": None, "privacy_warning": None, "fit_warned": None}
    assert score.values == {
        "answered": 1.0,
        "no_match_handled": None,
        "send_ready": 0.0,
        "not_thanked": 1.0,
        "wrong_topic": None,
        **unscored,
        **expected,
    }
    assert "should go to a specialist team but does not escalate" in score.not_ready
    why = "\n".join(score.failures)
    assert "language_match: draft in en, expected hy" in why
    assert "detection_correct: detected ru, gold hy" in why
    assert "citation_correct: cites nothing, gold order-status" in why
    assert "channel_fit: 3" in why and "over the 280 of X (Twitter)" in why
    assert "takes it private although nothing private is needed" in why
    assert "should go to a human specialist" in why
    assert score.findings == ["block channel.too_long", "info register.non_default"]


def test_quality_is_the_mean_of_the_applicable_parts(kb: KnowledgeBase) -> None:
    item = make_item()  # neutral, nothing private: 6 parts apply
    score = score_suggestion(item, make_suggestion(item, citations=("returns",)), kb)
    assert score.values["citation_correct"] == 0.0
    assert score.values["quality"] == pytest.approx(5 / 6)
    assert set(QUALITY_PARTS) <= set(METRICS)


def test_no_match_is_handled_by_citing_nothing(kb: KnowledgeBase) -> None:
    item = make_item(faq_id=None, intent="praise", sentiment="positive")
    handled = score_suggestion(item, make_suggestion(item, citations=()), kb)
    cited = score_suggestion(item, make_suggestion(item, citations=("returns",)), kb)
    assert handled.values["no_match_handled"] == 1.0
    assert handled.values["citation_correct"] is None
    assert cited.values["no_match_handled"] == 0.0
    assert "no FAQ entry fits but the draft cites returns" in cited.failures[0]


def test_escalation_counts_from_the_draft_or_the_analysis(kb: KnowledgeBase) -> None:
    item = make_item(escalate=True)
    by_draft = make_suggestion(item, needs_escalation=True)
    by_analysis = make_suggestion(item, escalations=("legal_threat",))
    assert score_suggestion(item, by_draft, kb).values["escalation_recall"] == 1.0
    assert score_suggestion(item, by_analysis, kb).values["escalation_recall"] == 1.0


def test_empathy_counts_pack_lines_and_empathy_words(kb: KnowledgeBase) -> None:
    item = make_item("hy-002", language="hy", sentiment="negative")
    line = make_suggestion(item, "Բարև Ձեզ։ Ներողություն ենք խնդրում անհարմարության համար։")
    word = make_suggestion(item, "Բարև Ձեզ։ Մենք հասկանում ենք։")
    assert score_suggestion(item, line, kb).values["empathy_when_needed"] == 1.0
    assert score_suggestion(item, word, kb).values["empathy_when_needed"] == 1.0


def test_the_reply_language_follows_the_brand_fallback_rule(kb: KnowledgeBase) -> None:
    assert expected_language(kb, "hy") == "hy"
    assert expected_language(kb, "tl") == "en"  # fallbacks: tl -> en
    assert expected_language(kb, "it") == "es"  # fallbacks: it -> es
    assert expected_language(kb, "xx") == "en"  # unsupported: the default
    taglish = make_item("en-026", language="tl")
    score = score_suggestion(taglish, make_suggestion(taglish, language="en"), kb)
    assert score.values["language_match"] == 1.0
    assert score.values["detection_correct"] == 1.0


@pytest.mark.parametrize("language", ["en", "de", "ar", "hi", "hy", "ms", "ja", "tl"])
def test_every_message_is_answered_inside_its_regions_support_hours(
    kb: KnowledgeBase, language: str
) -> None:
    now = now_for(kb, language)
    assert now.hour == 11 and now.tzinfo is not None
    assert is_open(kb.region_for(expected_language(kb, language)), now)


def test_reference_metrics_chrf_and_similarity(kb: KnowledgeBase) -> None:
    same = make_item("en-1", reference_reply=GOOD_EN)
    other = make_item("en-2", reference_reply="Completely different words here.")
    none = make_item("en-3")
    scores = [score_suggestion(i, make_suggestion(i, GOOD_EN), kb) for i in (same, other, none)]
    add_reference_metrics(scores, FakeEmbedder())
    assert scores[0].values["chrf"] == 100.0
    assert scores[0].values["similarity"] == pytest.approx(1.0, abs=1e-5)
    assert 0 < scores[1].values["chrf"] < 30  # type: ignore[operator]
    assert scores[1].values["similarity"] < 0.99  # type: ignore[operator]
    assert "chrf" not in scores[2].values and "similarity" not in scores[2].values


def test_an_error_is_an_unanswered_item_with_quality_zero(kb: KnowledgeBase) -> None:
    score = score_error(make_item(), "RuntimeError: boom")
    assert score.values == {"answered": 0.0, "quality": 0.0, "send_ready": 0.0}
    assert score.error == "RuntimeError: boom"
    assert score.failures == ["error: RuntimeError: boom"]


def test_judge_scores_become_values_with_rationales(kb: KnowledgeBase) -> None:
    item = make_item()
    score = score_suggestion(item, make_suggestion(item), kb)
    judged = {
        k: {"score": s, "rationale": f"{k} ok"}
        for k, s in (("helpfulness", 4), ("tone", 5), ("cultural_fit", 3), ("grounding", 4))
    }
    add_judge(score, {**judged, "judge": "openai:test", "usage": {"cost_usd": 0.001}})
    assert score.values["judge_helpfulness"] == 4.0
    assert score.values["judge_overall"] == 4.0
    assert score.judge is not None and score.judge["rationales"]["tone"] == "tone ok"
