"""Understand a message: sentiment, emotions, urgency, intent, private data, escalation.

Signals, combined so each covers the others' blind spots in 15 languages:
- cue words from the locale packs (content leads extend them, no code change),
- emoji, punctuation and capitals,
- the nearest labelled examples in embedding space (the dev split of the dataset),
- the retrieved FAQ entry for the intent.

The weights were calibrated on the dev split only (leave-one-out for the example vote);
`benchmarks/understanding.py` reports the held-out test split.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.knowledge import KnowledgeBase
from assistant.text import PhraseMatcher, normalize, searchable
from assistant.types import Analysis, EscalationMatch, Hit, Message, Sentiment, Urgency
from assistant.understanding.conversation import (
    customer_register,
    elapsed_days,
    ordered,
    repeated_contact,
)
from assistant.understanding.embeddings import Embedder, Vector, embed_queries
from assistant.understanding.injection import find_injection
from assistant.understanding.private_data import find_private_data

# No facepalm: customers use it for their own mistakes ("wrong address 🤦").
NEGATIVE_EMOJI = set("😡😠🤬😤😞😢😭👎💔🙄😒😩😫😖😣☹🙁😑😐😾💢😟😕")
POSITIVE_EMOJI = set("😍🥰😊👍🙏🎉✨💯😁😀😃😄🤩💖💕💗👏🌟⭐🥳😘🤗") | {"❤", "♥"}
QUESTION = re.compile(r"[?？؟]|^(?:how|what|when|where|why|can|do|does|is|are)\b", re.I)
#: Sentiment score = (1 - KNN_WEIGHT) x cues + KNN_WEIGHT x vote of the KNN_K nearest
#: examples (softmax of their cosines at KNN_SHARPNESS); cue score = CUE_WEIGHT x
#: (positive - negative cue words) + emoji/punctuation/capitals, clipped to [-1, 1].
KNN_K = 11
KNN_WEIGHT = 0.4
KNN_SHARPNESS = 30.0
CUE_WEIGHT = 0.45
#: Labels: negative at or under NEGATIVE_AT, positive at or over POSITIVE_AT.
NEGATIVE_AT = -0.25
POSITIVE_AT = 0.25
#: Romanised cue words of other languages count from this length (shorter ones collide).
ROMANISED_MIN = 4
DEFAULT_EXAMPLES = Path(__file__).resolve().parents[2] / "evaluation/datasets/messages.jsonl"
_VALUE = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}

EmbedMany = Callable[[list[str]], Vector]


@dataclass
class ExampleBank:
    """Labelled messages (text, sentiment) embedded once, for nearest-neighbour votes.

    Messages are embedded as queries, like the message being analysed (a symmetric
    comparison), after `searchable` strips handles, URLs and numbers.
    """

    sentiments: list[str]
    matrix: Vector

    @classmethod
    def from_jsonl(
        cls,
        path: Path,
        embed_many: Embedder | EmbedMany,
        split: str = "dev",
        *,
        cache_dir: Path | None = None,
    ) -> ExampleBank | None:
        """The `split` of a dataset, embedded by `embed_many` (an `Embedder`, or a bound
        method of one such as `embedder.embed_documents`, or any batch function).

        With `cache_dir` and an embedder, the matrix is cached under the dataset's hash
        and the embedder's id, so later loads skip the embedding (about a second)."""
        if not path.exists():
            return None
        rows = [
            json.loads(line)
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        rows = [r for r in rows if r.get("split", "dev") == split]
        embedder = _embedder_of(embed_many)
        if not rows or (embedder is None and not callable(embed_many)):
            return None
        texts = [searchable(r["text"]) for r in rows]
        cache = _bank_cache(path, split, embedder, cache_dir)
        matrix = _cached(cache, len(texts))
        if matrix is None:
            matrix = _embed(embed_many, embedder, texts)
            _store(cache, matrix)
        return cls([r["sentiment"] for r in rows], matrix)

    def vote(self, vector: Vector) -> float:
        """Similarity-weighted sentiment of the nearest examples, in [-1, 1]."""
        sims = self.matrix @ vector
        top = np.argsort(-sims)[:KNN_K]
        weights = np.exp((sims[top] - sims[top].max()) * KNN_SHARPNESS)
        values = np.array([_VALUE[self.sentiments[i]] for i in top])
        return float((weights * values).sum() / weights.sum())


def _embedder_of(embed_many: object) -> Embedder | None:
    """The embedder behind `embed_many` (itself, or the owner of a bound method)."""
    for candidate in (embed_many, getattr(embed_many, "__self__", None)):
        if hasattr(candidate, "embed_query") and hasattr(candidate, "id"):
            return candidate  # type: ignore[return-value]
    return None


def _embed(embed_many: Embedder | EmbedMany, embedder: Embedder | None, texts: list[str]) -> Vector:
    if embedder is not None:
        return embed_queries(embedder, texts)
    assert callable(embed_many)
    return np.asarray(embed_many(texts), dtype=np.float32)


def _bank_cache(
    path: Path, split: str, embedder: Embedder | None, cache_dir: Path | None
) -> Path | None:
    if cache_dir is None or embedder is None:
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    safe_id = re.sub(r"[^\w.-]", "_", embedder.id)
    return Path(cache_dir) / f"examples-{digest}-{split}-{safe_id}.npy"


def _cached(cache: Path | None, rows: int) -> Vector | None:
    if cache is None or not cache.exists():
        return None
    matrix: Vector = np.load(cache).astype(np.float32)
    return matrix if matrix.shape[0] == rows else None


def _store(cache: Path | None, matrix: Vector) -> None:
    if cache is None:
        return
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp.npy")
    np.save(tmp, matrix)
    tmp.replace(cache)  # atomic: a crash never leaves a half-written matrix


@lru_cache(maxsize=512)
def _matcher(phrases: frozenset[str]) -> PhraseMatcher:
    return PhraseMatcher(phrases)


def _cue_words(kb: KnowledgeBase, language: str, kind: str) -> frozenset[str]:
    """Cues of the message's language and English (code-mixing), plus the romanised cues
    of every pack: Banglish or Manglish is often detected as English or Indonesian."""
    own = {language, "en"} & set(kb.locales)
    words = {w for lang in own for w in getattr(kb.locales[lang].cues, kind)}
    return frozenset(words | _romanised(kb, kind))


def _romanised(kb: KnowledgeBase, kind: str) -> set[str]:
    return {w for pack in kb.locales.values() for w in getattr(pack.cues, kind)
            if w.isascii() and len(w) >= ROMANISED_MIN}  # fmt: skip


def _cue_hits(text: str, kb: KnowledgeBase, language: str, kind: str) -> int:
    """How many distinct cue words of `kind` (message language + English) occur."""
    return _matcher(_cue_words(kb, language, kind)).count(text)


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


def sentiment_of(
    text: str, kb: KnowledgeBase, language: str, vote: float | None = None
) -> tuple[Sentiment, float]:
    """Sentiment label and score in [-1, 1]."""
    negative = _cue_hits(text, kb, language, "negative") + _cue_hits(text, kb, language, "anger")
    positive = _cue_hits(text, kb, language, "positive") + _cue_hits(text, kb, language, "thanks")
    score = max(-1.0, min(1.0, CUE_WEIGHT * (positive - negative) + _surface(text)))
    if vote is not None:
        score = (1 - KNN_WEIGHT) * score + KNN_WEIGHT * vote
    score = round(max(-1.0, min(1.0, score)), 3)
    label: Sentiment = (
        "negative" if score <= NEGATIVE_AT else "positive" if score >= POSITIVE_AT else "neutral"
    )
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


def urgency_of(
    text: str,
    kb: KnowledgeBase,
    language: str,
    emotions: list[str],
    escalations: list[EscalationMatch],
) -> Urgency:
    urgent = _cue_hits(text, kb, language, "urgency") > 0
    if escalations or (urgent and "anger" in emotions):
        return "high"
    if urgent or "anger" in emotions:
        return "high" if re.search(r"[!！]{2,}", text) else "normal"
    return "low" if not emotions or emotions == ["gratitude"] else "normal"


@lru_cache(maxsize=2048)
def _keyword_matcher(keywords: tuple[str, ...]) -> tuple[PhraseMatcher]:
    return (PhraseMatcher(keywords),)


def _first_keyword(text: str, keywords: Iterable[str]) -> str | None:
    """The first of `keywords` (in priority order) that occurs in `text`."""
    ordered = tuple(keywords)
    found = _keyword_matcher(ordered)[0].found(text)
    return next((k for k in ordered if normalize(k).strip() in found), None)


def escalations_of(text: str, kb: KnowledgeBase, language: str) -> list[EscalationMatch]:
    """Escalation triggers from brand.yaml whose keywords occur in the text.

    Only the message's language, English (code-mixing) and 'any' are searched: a word
    that is harmless in one language can be a trigger in another.
    """
    matches = []
    for rule in kb.brand.escalation:
        words = [w for lang in (language, "en", "any") for w in rule.keywords.get(lang, [])]
        hit = _first_keyword(text, words)
        if hit is None and rule.trigger == "repeated_contact":
            hit = repeated_contact(text)  # "my 4th message": counts, not only keywords
        if hit:
            matches.append(
                EscalationMatch(
                    trigger=rule.trigger, team=rule.team, channel=rule.channel, matched=hit
                )
            )
    return ordered(matches)


def intent_of(text: str, hits: list[Hit], sentiment: Sentiment) -> str:
    if hits:
        return hits[0].faq_id
    if sentiment == "positive" and not QUESTION.search(text):
        return "praise"
    if sentiment == "negative":
        return "complaint"
    return "question" if QUESTION.search(text) else "other"


def analyze(
    message: Message | str,
    kb: KnowledgeBase,
    *,
    language: str | None = None,
    hits: list[Hit] | None = None,
    vector: Vector | None = None,
    examples: ExampleBank | None = None,
) -> Analysis:
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
    if intent == "praise" and _complains(text, kb, language):
        intent = "complaint"  # "best service ever 🙄, still no lamp": never thanked
    return Analysis(
        language=language,
        sentiment=sentiment,
        sentiment_score=score,
        emotions=emotions,
        urgency=urgency_of(text, kb, language, emotions, escalations),
        intent=intent,
        private_data=private,
        needs_private=_needs_private(kb, message, hits, bool(private)),
        escalations=escalations,
        injection=find_injection(text),
        customer_register=_register(text, kb, language),
        elapsed_days=elapsed_days(text),
    )


def _complains(text: str, kb: KnowledgeBase, language: str) -> bool:
    """Praise words with a complaint in them (sarcasm, or praise with a "but")."""
    if any(ch in NEGATIVE_EMOJI for ch in text):
        return True
    return (_cue_hits(text, kb, language, "negative") + _cue_hits(text, kb, language, "anger")) > 0


def _register(text: str, kb: KnowledgeBase, language: str) -> str | None:
    pack = kb.locales.get(language)
    return customer_register(text, pack) if pack is not None else None


def _needs_private(kb: KnowledgeBase, message: Message, hits: list[Hit], posted: bool) -> bool:
    faq_needs = bool(hits) and kb.faq[hits[0].faq_id].needs_private_data
    channel = kb.channels.get(message.channel)
    return faq_needs or (posted and channel is not None and channel.visibility == "public")
