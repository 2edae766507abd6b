"""Understand a message: sentiment, emotions, urgency, intent, private data, escalation.

Signals, combined so each covers the others' blind spots in 15 languages:
- cue words from the locale packs (content leads extend them, no code change),
- emoji, punctuation and capitals,
- the nearest labelled examples in embedding space (the dev split of the dataset),
- the retrieved FAQ entry for the intent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.embeddings import Vector
from assistant.injection import find_injection
from assistant.knowledge import KnowledgeBase
from assistant.pii import find_private_data
from assistant.tokenize import contains_phrase
from assistant.types import Analysis, EscalationMatch, Hit, Message, Sentiment, Urgency

NEGATIVE_EMOJI = set("😡😠🤬😤😞😢😭👎💔🙄😒😩😫😖😣☹🙁😑😐🤦😾💢")
POSITIVE_EMOJI = set("😍🥰😊👍🙏🎉✨💯😁😀😃😄🤩💖💕💗👏🌟⭐🥳😘🤗") | {"❤", "♥"}
QUESTION = re.compile(r"[?？؟]|^(?:how|what|when|where|why|can|do|does|is|are)\b", re.I)
KNN_K = 7
KNN_WEIGHT = 0.8
DEFAULT_EXAMPLES = Path(__file__).resolve().parents[1] / "evaluation/datasets/messages.jsonl"


@dataclass
class ExampleBank:
    """Labelled messages (text, sentiment) embedded once, for nearest-neighbour votes."""

    sentiments: list[str]
    matrix: Vector

    @classmethod
    def from_jsonl(cls, path: Path, embed_many: object, split: str = "dev") -> ExampleBank | None:
        if not path.exists():
            return None
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
        rows = [r for r in rows if r.get("split", "dev") == split]
        if not rows or not callable(embed_many):
            return None
        return cls([r["sentiment"] for r in rows], embed_many([r["text"] for r in rows]))

    def vote(self, vector: Vector) -> float:
        """Similarity-weighted sentiment of the nearest examples, in [-1, 1]."""
        sims = self.matrix @ vector
        top = np.argsort(-sims)[:KNN_K]
        value = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}
        weights = np.exp((sims[top] - sims[top].max()) * 30)
        score = sum(w * value[self.sentiments[i]] for w, i in zip(weights, top, strict=True))
        return float(score / weights.sum())


def _cue_hits(text: str, kb: KnowledgeBase, language: str, kind: str) -> int:
    languages = {language, "en"} & set(kb.locales)
    words = {w for lang in languages for w in getattr(kb.locales[lang].cues, kind)}
    return sum(contains_phrase(text, w) for w in words)


def _surface(text: str) -> float:
    """Emoji, '!!!' and SHOUTING as a sentiment nudge in [-1, 1]."""
    score = sum(ch in POSITIVE_EMOJI for ch in text) * 0.5
    score -= sum(ch in NEGATIVE_EMOJI for ch in text) * 0.6
    letters = [c for c in text if c.isalpha() and c.isascii()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        score -= 0.6
    if re.search(r"[!?！？]{3,}", text):
        score -= 0.3
    return max(-1.0, min(1.0, score))


def sentiment_of(text: str, kb: KnowledgeBase, language: str,
                 vote: float | None = None) -> tuple[Sentiment, float]:
    """Sentiment label and score in [-1, 1]."""
    negative = _cue_hits(text, kb, language, "negative") + _cue_hits(text, kb, language, "anger")
    positive = _cue_hits(text, kb, language, "positive") + _cue_hits(text, kb, language, "thanks")
    score = 0.45 * (positive - negative) + _surface(text)
    score = max(-1.0, min(1.0, score))
    if vote is not None:
        score = (1 - KNN_WEIGHT) * score + KNN_WEIGHT * vote
    score = round(max(-1.0, min(1.0, score)), 3)
    label: Sentiment = "negative" if score <= -0.25 else "positive" if score >= 0.35 else "neutral"
    return label, score


def emotions_of(text: str, kb: KnowledgeBase, language: str, sentiment: Sentiment) -> list[str]:
    found = []
    if _cue_hits(text, kb, language, "anger") or any(ch in "😡😠🤬💢" for ch in text):
        found.append("anger")
    if sentiment == "negative":
        found.append("frustration")
    if _cue_hits(text, kb, language, "worry"):
        found.append("worry")
    if _cue_hits(text, kb, language, "thanks") or "🙏" in text:
        found.append("gratitude")
    return found


def urgency_of(text: str, kb: KnowledgeBase, language: str, emotions: list[str],
               escalations: list[EscalationMatch]) -> Urgency:
    if escalations or (_cue_hits(text, kb, language, "urgency") and "anger" in emotions):
        return "high"
    if _cue_hits(text, kb, language, "urgency") or "anger" in emotions:
        return "high" if re.search(r"[!！]{2,}", text) else "normal"
    return "low" if not emotions or emotions == ["gratitude"] else "normal"


def escalations_of(text: str, kb: KnowledgeBase, language: str) -> list[EscalationMatch]:
    """Escalation triggers from brand.yaml whose keywords occur in the text.

    Only the message's language, English (code-mixing) and 'any' are searched: a word
    that is harmless in one language can be a trigger in another.
    """
    matches = []
    for rule in kb.brand.escalation:
        words = (w for lang in (language, "en", "any") for w in rule.keywords.get(lang, []))
        hit = next((w for w in words if contains_phrase(text, w)), None)
        if hit:
            matches.append(EscalationMatch(trigger=rule.trigger, team=rule.team,
                                           channel=rule.channel, matched=hit))
    return matches


def intent_of(text: str, hits: list[Hit], sentiment: Sentiment) -> str:
    if hits:
        return hits[0].faq_id
    if sentiment == "positive" and not QUESTION.search(text):
        return "praise"
    if sentiment == "negative":
        return "complaint"
    return "question" if QUESTION.search(text) else "other"


def analyze(message: Message | str, kb: KnowledgeBase, *, language: str | None = None,
            hits: list[Hit] | None = None, vector: Vector | None = None,
            examples: ExampleBank | None = None) -> Analysis:
    """Analyse one message. Pass `hits`/`vector` from retrieval to avoid recomputing them."""
    if isinstance(message, str):
        message = Message(text=message)
    text = message.text
    if language is None:
        from assistant.language import detect_language

        language = detect_language(text, hint=message.locale).language
    vote = examples.vote(vector) if examples is not None and vector is not None else None
    sentiment, score = sentiment_of(text, kb, language, vote)
    escalations = escalations_of(text, kb, language)
    if escalations and sentiment == "neutral":  # threats and injuries are never neutral
        sentiment, score = "negative", min(score, -0.3)
    emotions = emotions_of(text, kb, language, sentiment)
    private = find_private_data(text, language)
    hits = hits or []
    intent = intent_of(text, hits, sentiment)
    if intent == "praise" and sentiment != "positive":
        intent = "other"
    needs_private = _needs_private(kb, message, hits, bool(private))
    return Analysis(language=language, sentiment=sentiment, sentiment_score=score,
                    emotions=emotions, urgency=urgency_of(text, kb, language, emotions,
                                                          escalations),
                    intent=intent, private_data=private, needs_private=needs_private,
                    escalations=escalations, injection=find_injection(text))


def _needs_private(kb: KnowledgeBase, message: Message, hits: list[Hit], posted: bool) -> bool:
    faq_needs = bool(hits) and kb.faq[hits[0].faq_id].needs_private_data
    public = kb.channels.get(message.channel) is not None and \
        kb.channels[message.channel].visibility == "public"
    return faq_needs or (posted and public)

