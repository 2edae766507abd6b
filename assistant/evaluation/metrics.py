"""Per-draft metrics: each item's first draft scored against its gold labels.

    score = score_suggestion(item, suggestion, kb)     # ItemScore
    score.values["citation_correct"], score.failures   # 1.0 / 0.0 / None, and why

A value is 1.0 (pass), 0.0 (fail), a number (chrF, similarity, latency, judge scores)
or None when the metric does not apply to the item (no reference reply, gold FAQ id
null, customer not upset...). `METRICS` describes every metric for tables and plots.
Only the first draft is scored (it is the one an agent sees first); results keep all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np
from pydantic import Field

from assistant.checks._text import brand_values, contains_any
from assistant.checks.lines import PRIVATE_STEPS, line_variants, private_asks
from assistant.checks.verdict import Case as VerdictCase
from assistant.checks.verdict import judge, main_script, pack_script, thanks_rule
from assistant.evaluation.dataset import EvalItem
from assistant.knowledge import KnowledgeBase, fill
from assistant.types import Detection, Draft, Model, Suggestion
from assistant.understanding.embeddings import Embedder

Kind = Literal["rate", "score", "ms", "judge"]
Outcome = tuple[float | None, str | None]  # value, and why it failed (None when it passed)

#: The day every run pretends it is (a Wednesday): each message is answered at 11:00 in
#: its region's time zone, inside every region's support hours, so drafts are repeatable.
EVAL_DAY = dt.date(2026, 3, 4)
EVAL_HOUR = 11


@dataclass(frozen=True)
class MetricSpec:
    """How to read a metric: label, scale and which direction is better."""

    name: str
    label: str
    kind: Kind
    description: str
    higher_is_better: bool = True

    @property
    def scale(self) -> tuple[float, float]:
        return {"rate": (0.0, 1.0), "score": (0.0, 100.0), "judge": (1.0, 5.0)}.get(
            self.kind, (0.0, 1.0)
        )


def _spec(name: str, label: str, kind: Kind, description: str, higher: bool = True) -> MetricSpec:
    return MetricSpec(name, label, kind, description, higher)


METRICS: dict[str, MetricSpec] = {
    s.name: s
    for s in (
        _spec(
            "send_ready",
            "send-ready",
            "rate",
            "An agent would send the first draft unedited: right language and script, "
            "answers (or asks), no blocking finding, fits, register, private, escalation.",
        ),
        _spec("quality", "quality", "rate", "Mean of the applicable pass/fail reply metrics."),
        _spec("answered", "answered", "rate", "The assistant returned a draft (no error)."),
        _spec(
            "language_match",
            "reply language",
            "rate",
            "Draft language = gold language after the brand's fallback rule; no language block.",
        ),
        _spec("detection_correct", "detection", "rate", "Detected language = gold language."),
        _spec("citation_correct", "citation", "rate", "Draft cites the gold FAQ entry."),
        _spec("no_match_handled", "no match", "rate", "Gold has no FAQ entry: draft cites none."),
        _spec("no_block_findings", "no block", "rate", "Draft has no blocking guardrail finding."),
        _spec("channel_fit", "channel fit", "rate", "Draft length within the channel maximum."),
        _spec(
            "register_correct",
            "register",
            "rate",
            "No form of the register the locale pack does not expect (register findings).",
        ),
        _spec(
            "empathy_when_needed",
            "empathy",
            "rate",
            "Gold sentiment negative: an empathy or apology line is present.",
        ),
        _spec(
            "take_private_correct",
            "take private",
            "rate",
            "Gold needs_private = draft has the take-private or private-data line.",
        ),
        _spec("escalation_recall", "escalation", "rate", "Gold escalate: the draft escalates."),
        _spec(
            "not_thanked",
            "not thanked",
            "rate",
            "Gold sentiment negative (sarcasm included): the draft does not thank.",
        ),
        _spec(
            "safety_wording",
            "safety first",
            "rate",
            "Safety report: the draft has the brand's safety wording.",
        ),
        _spec(
            "privacy_warning",
            "removal warning",
            "rate",
            "Personal data posted on a public channel: the draft warns to remove it.",
        ),
        _spec(
            "fit_warned",
            "fit warned",
            "rate",
            "The draft cites an FAQ entry and the 'answer may not fit' check warns.",
        ),
        _spec(
            "wrong_topic",
            "wrong topic",
            "rate",
            "The draft cites an FAQ entry other than the gold one.",
            higher=False,
        ),
        _spec("sentiment_correct", "sentiment", "rate", "Analysed sentiment = gold sentiment."),
        _spec("intent_correct", "intent", "rate", "Analysed intent = gold intent."),
        _spec("chrf", "chrF", "score", "chrF (sacrebleu) of the draft against the reference."),
        _spec(
            "similarity",
            "similarity",
            "rate",
            "Cosine of multilingual e5 embeddings, draft vs reference (cross-lingual).",
        ),
        _spec("latency_ms", "latency ms", "ms", "Wall time of assistant.suggest.", higher=False),
        _spec("judge_helpfulness", "judge helpful", "judge", "LLM judge, 1-5 (uncalibrated)."),
        _spec("judge_tone", "judge tone", "judge", "LLM judge, 1-5 (uncalibrated)."),
        _spec("judge_cultural_fit", "judge culture", "judge", "LLM judge, 1-5 (uncalibrated)."),
        _spec("judge_grounding", "judge grounding", "judge", "LLM judge, 1-5 (uncalibrated)."),
        _spec("judge_overall", "judge overall", "judge", "Mean of the four judge scores."),
    )
}

#: The pass/fail metrics averaged into `quality`.
QUALITY_PARTS = (
    "language_match",
    "citation_correct",
    "no_match_handled",
    "no_block_findings",
    "channel_fit",
    "register_correct",
    "empathy_when_needed",
    "take_private_correct",
    "escalation_recall",
)


class ItemScore(Model):
    """The metrics of one item, with explanations of what failed."""

    id: str
    language: str
    script: str = ""
    channel: str
    tone: str = ""
    intent: str
    split: str
    values: dict[str, float | None]
    failures: list[str] = Field(default_factory=list)
    not_ready: list[str] = Field(default_factory=list)  # why the first draft is not send-ready
    findings: list[str] = Field(default_factory=list)  # "severity id" of the first draft's
    error: str | None = None
    text: str = ""
    draft: str = ""
    reference: str | None = None
    judge: dict[str, Any] | None = None


@dataclass(frozen=True)
class Case:
    """One item and what the assistant suggested for it."""

    item: EvalItem
    suggestion: Suggestion
    draft: Draft
    kb: KnowledgeBase
    expected_language: str


def expected_language(kb: KnowledgeBase, language: str) -> str:
    """The language a reply to a `language` customer must be in (brand fallback rule)."""
    from assistant.pipeline import reply_language

    gold = Detection(language=language, script="", confidence=1.0, reliable=True)
    return reply_language(kb, gold, None)[0]


def now_for(kb: KnowledgeBase, language: str, locale: str | None = None) -> dt.datetime:
    """11:00 on EVAL_DAY in the region that serves `language` (or `locale`): inside
    support hours."""
    region = kb.region_for(expected_language(kb, language), locale)
    return dt.datetime.combine(EVAL_DAY, dt.time(EVAL_HOUR), tzinfo=ZoneInfo(region.timezone))


# -- One function per metric ------------------------------------------------------------
def _pass(ok: bool, why: str) -> Outcome:
    return (1.0, None) if ok else (0.0, why)


def language_match(case: Case) -> Outcome:
    blocked = any(
        f.id == "language.mismatch" and f.severity == "block" for f in case.draft.findings
    )
    ok = case.draft.language == case.expected_language and not blocked
    detail = " (language check blocks the text)" if blocked else ""
    return _pass(ok, f"draft in {case.draft.language}, expected {case.expected_language}{detail}")


def detection_correct(case: Case) -> Outcome:
    found = case.suggestion.detection.language
    return _pass(found == case.item.language, f"detected {found}, gold {case.item.language}")


def citation_correct(case: Case) -> Outcome:
    gold = case.item.faq_id
    if gold is None:
        return None, None
    cited = ", ".join(case.draft.citations) or "nothing"
    return _pass(gold in case.draft.citations, f"cites {cited}, gold {gold}")


def no_match_handled(case: Case) -> Outcome:
    if case.item.faq_id is not None:
        return None, None
    cited = ", ".join(case.draft.citations)
    return _pass(not case.draft.citations, f"no FAQ entry fits but the draft cites {cited}")


def no_block_findings(case: Case) -> Outcome:
    blocks = [f.id for f in case.draft.findings if f.severity == "block"]
    return _pass(not blocks, f"blocking findings: {', '.join(blocks)}")


def channel_fit(case: Case) -> Outcome:
    policy = case.kb.channel(case.item.channel)
    size = len(case.draft.text.strip())
    return _pass(
        size <= policy.max_length,
        f"{size} characters, over the {policy.max_length} of {policy.label}",
    )


def register_correct(case: Case) -> Outcome:
    wrong = [f for f in case.draft.findings if f.id in ("register.mixed", "register.non_default")]
    return _pass(not wrong, "; ".join(f.message for f in wrong))


def empathy_when_needed(case: Case) -> Outcome:
    if case.item.sentiment != "negative":
        return None, None
    language = reply_locale(case.kb, case.expected_language, item_script(case.kb, case.item))
    pack = case.kb.locale(language)
    lines = pack.lines
    phrases = (*lines.empathy, *lines.apology, *(pack.lexicon.empathy or ()))
    return _pass(
        contains_any(case.draft.text, phrases), "customer is upset but no empathy or apology line"
    )


def has_private_line(
    text: str, kb: KnowledgeBase, language: str, channel: str, citations: list[str]
) -> bool:
    """The draft moves to a private channel, asks for the details on a private one, or
    warns about posting data (the pack's lines and the composer's, both registers), or
    cites an answer that asks for the details itself (`asks_private`)."""
    keys = (*PRIVATE_STEPS, "private_data_warning")
    values = brand_values(kb, channel)
    asking = [fill(answer, values).strip() for answer in private_asks(kb, language, citations)]
    return contains_any(text, [*line_variants(kb, language, keys, values), *asking])


def take_private_correct(case: Case) -> Outcome:
    language = reply_locale(case.kb, case.expected_language, item_script(case.kb, case.item))
    draft = case.draft
    found = has_private_line(draft.text, case.kb, language, case.item.channel, draft.citations)
    if case.item.needs_private:
        return _pass(found, "private data needed but no take-private line")
    return _pass(not found, "takes it private although nothing private is needed")


def escalation_recall(case: Case) -> Outcome:
    if not case.item.escalate:
        return None, None
    escalated = case.draft.needs_escalation or bool(case.suggestion.analysis.escalations)
    return _pass(escalated, "should go to a human specialist but does not escalate")


def sentiment_correct(case: Case) -> Outcome:
    found = case.suggestion.analysis.sentiment
    return _pass(found == case.item.sentiment, f"sentiment {found}, gold {case.item.sentiment}")


def intent_correct(case: Case) -> Outcome:
    found = case.suggestion.analysis.intent
    return _pass(found == case.item.intent, f"intent {found}, gold {case.item.intent}")


def verdict_case(case: Case) -> VerdictCase:
    """The send-ready rules' view of an item: gold labels instead of the analysis."""
    item, kb = case.item, case.kb
    public = kb.channel(item.channel).visibility == "public"
    tags = set(item.tags)
    praise = item.intent == "praise" and item.sentiment != "negative"
    return VerdictCase(
        draft=case.draft,
        kb=kb,
        channel=item.channel,
        language=reply_locale(kb, case.expected_language, item_script(kb, item)),
        # The gold FAQ id says whether the answer fits: the fit check's warning is for
        # agents, who have no gold label.
        findings=[f for f in case.draft.findings if not f.id.startswith("fit.")],
        answer_id=None if item.escalate or praise else item.faq_id,
        needs_private=item.needs_private and not item.escalate,
        posted_data="pii-public" in tags and public,
        escalate=item.escalate,
        safety="safety" in tags,
        upset=item.sentiment == "negative",
        customer_register=next((t for t in ("formal", "informal") if t in tags), None),
        praise=praise,
        customer_script=item_script(kb, item),
    )


def send_ready(case: Case) -> Outcome:
    verdict = judge(verdict_case(case))
    return _pass(verdict.ready, "; ".join(verdict.reasons))


def not_thanked(case: Case) -> Outcome:
    if case.item.sentiment != "negative":
        return None, None
    return _pass(thanks_rule(verdict_case(case)) is None, "thanks an upset customer")


def safety_wording(case: Case) -> Outcome:
    if "safety" not in case.item.tags:
        return None, None
    vcase = verdict_case(case)
    found = contains_any(case.draft.text, line_variants(case.kb, vcase.language, ("safety",), {}))
    return _pass(found, "safety report without the brand's safety wording")


def privacy_warning(case: Case) -> Outcome:
    vcase = verdict_case(case)
    if not vcase.posted_data:
        return None, None
    return _pass(_warns(vcase), "no warning to remove the data")


def _warns(vcase: VerdictCase) -> bool:
    values = brand_values(vcase.kb, vcase.channel)
    lines = line_variants(vcase.kb, vcase.language, ("private_data_warning",), values)
    return contains_any(vcase.draft.text, lines)


def fit_warned(case: Case) -> Outcome:
    if not case.draft.citations:
        return None, None
    warned = any(f.id.startswith("fit.") for f in case.draft.findings)
    return (1.0 if warned else 0.0), None


def wrong_topic(case: Case) -> Outcome:
    if not case.draft.citations:
        return None, None
    return (0.0 if case.item.faq_id in case.draft.citations else 1.0), None


ITEM_METRICS: dict[str, Callable[[Case], Outcome]] = {
    f.__name__: f
    for f in (
        send_ready,
        language_match,
        detection_correct,
        citation_correct,
        no_match_handled,
        no_block_findings,
        channel_fit,
        register_correct,
        empathy_when_needed,
        take_private_correct,
        escalation_recall,
        not_thanked,
        safety_wording,
        privacy_warning,
        fit_warned,
        wrong_topic,
        sentiment_correct,
        intent_correct,
    )
}


# -- Scoring an item -------------------------------------------------------------------
def score_suggestion(item: EvalItem, suggestion: Suggestion, kb: KnowledgeBase) -> ItemScore:
    """Every per-item metric of the first draft (reference metrics: `add_reference_metrics`)."""
    if not suggestion.drafts:
        return score_error(item, "the assistant returned no draft")
    draft = suggestion.drafts[0]
    case = Case(item, suggestion, draft, kb, expected_language(kb, item.language))
    values: dict[str, float | None] = {"answered": 1.0}
    failures: list[str] = []
    for name, metric in ITEM_METRICS.items():
        value, why = metric(case)
        values[name] = value
        if why is not None and value == 0.0 and name != "send_ready":
            failures.append(f"{name}: {why}")
    values["quality"] = quality(values)
    return ItemScore(
        id=item.id,
        language=item.language,
        script=item_script(kb, item),
        channel=item.channel,
        tone=draft.tone,
        intent=item.intent,
        split=item.split,
        values=values,
        failures=failures,
        not_ready=judge(verdict_case(case)).reasons,
        findings=[f"{f.severity} {f.id}" for f in draft.findings],
        text=item.text,
        draft=draft.text,
        reference=item.reference_reply,
    )


def score_error(item: EvalItem, error: str) -> ItemScore:
    """An item the assistant failed on: `answered` 0, every other metric absent."""
    return ItemScore(
        id=item.id,
        language=item.language,
        script=item.script or "",
        channel=item.channel,
        intent=item.intent,
        split=item.split,
        values={"answered": 0.0, "quality": 0.0, "send_ready": 0.0},
        failures=[f"error: {error}"],
        error=error,
        text=item.text,
        reference=item.reference_reply,
    )


def reply_locale(kb: KnowledgeBase, language: str, script: str) -> str:
    """The locale pack a reply to `language` written in `script` is due in, per the
    brand's `languages.reply_script` (hi-Latn for romanised Hindi), else `language`."""
    if language not in kb.locales:
        return language
    return kb.reply_locale(language, script)[0]


def item_script(kb: KnowledgeBase, item: EvalItem) -> str:
    """The script the customer wrote in: the item's label, else the script most of its
    letters are in (older lines label romanised Hindi as plain `hi`), else its
    language's usual one."""
    if item.script:
        return item.script
    written = main_script(item.text)
    if written:
        return written
    pack = kb.locales.get(item.language)
    return (pack_script(pack) if pack else None) or "Latn"


def quality(values: dict[str, float | None]) -> float | None:
    parts = [v for k in QUALITY_PARTS if (v := values.get(k)) is not None]
    return sum(parts) / len(parts) if parts else None


def reference_scores(
    draft: str, reference: str, embedder: Embedder | None = None
) -> dict[str, float]:
    """chrF (0-100) and cross-lingual embedding similarity of one draft and its reference."""
    chrf = _chrf().sentence_score(draft, [reference]).score
    similarity = similarities([(draft, reference)], embedder)[0]
    return {"chrf": round(float(chrf), 3), "similarity": round(similarity, 4)}


def add_reference_metrics(scores: Sequence[ItemScore], embedder: Embedder | None = None) -> None:
    """chrF and similarity for items with a reference reply that lack them (in place)."""
    pairs = [
        s for s in scores if s.reference and s.error is None and s.draft and "chrf" not in s.values
    ]
    if not pairs:
        return
    for score in pairs:
        reference = score.reference or ""
        score.values["chrf"] = round(
            float(_chrf().sentence_score(score.draft, [reference]).score), 3
        )
    texts = [(s.draft, s.reference or "") for s in pairs]
    for score, value in zip(pairs, similarities(texts, embedder), strict=True):
        score.values["similarity"] = round(value, 4)


@lru_cache(maxsize=1)
def _chrf() -> Any:
    from sacrebleu.metrics.chrf import CHRF

    return CHRF()


def similarities(pairs: Sequence[tuple[str, str]], embedder: Embedder | None) -> list[float]:
    """Cosine of the embeddings of each (draft, reference) pair (both as passages)."""
    if embedder is None:
        from assistant.understanding.embeddings import default_embedder

        embedder = default_embedder()
    texts = [text for pair in pairs for text in pair]
    matrix = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
    drafts, references = matrix[0::2], matrix[1::2]
    norms = np.linalg.norm(drafts, axis=1) * np.linalg.norm(references, axis=1)
    return [float(x) for x in (drafts * references).sum(axis=1) / np.maximum(norms, 1e-9)]


JUDGE_CRITERIA = ("helpfulness", "tone", "cultural_fit", "grounding")


def add_judge(score: ItemScore, judged: dict[str, Any]) -> None:
    """Judge scores (a `JudgeScores` dump) as `judge_*` values, rationales kept (in place)."""
    marks = [float(judged[key]["score"]) for key in JUDGE_CRITERIA]
    for key, mark in zip(JUDGE_CRITERIA, marks, strict=True):
        score.values[f"judge_{key}"] = mark
    score.values["judge_overall"] = sum(marks) / len(marks)
    score.judge = {
        "rationales": {key: judged[key]["rationale"] for key in JUDGE_CRITERIA},
        "judge": judged.get("judge", ""),
        "usage": judged.get("usage"),
    }
