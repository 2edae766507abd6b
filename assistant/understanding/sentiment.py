"""Sentiment from the e5 query vector the pipeline already computes, plus cues.

The head is linear (3 logits = vector @ weights + bias: one dot product), fitted by
`benchmarks/fit_sentiment.py` on real labelled tweets in 8 languages and the project's
own dev messages; the fitted numbers ship as `assistant/data/understanding/
sentiment_head.npz`. A second, cheap view of the words themselves (hashed n-gram naive
Bayes fitted on the same tweets, `sentiment_words.py`) is added with a weight, and cue
words and emoji shift the positive-negative logits; the weights are chosen in the same
fit. Sarcastic praise ("Best service ever 🙄, 3 weeks and still no
lamp", "Amazing, charged twice again") overrides both: praise beside an eye-roll, a
"still no ...", a complaint word or a stated problem (broken, lost, no reply), and an
ironic thanks ("gracias por nada") alone, are negative. Without a vector (embeddings
off, or an embedder of another size), the cues decide alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from assistant.resources import data_json, data_path
from assistant.text import PhraseMatcher, contains_any, find_any, is_cjk, sentence_spans
from assistant.types import Sentiment
from assistant.understanding.conversation import counts_wait_days
from assistant.understanding.embeddings import Vector
from assistant.understanding.sentiment_words import WordView

LABELS: tuple[Sentiment, Sentiment, Sentiment] = ("negative", "neutral", "positive")
HEAD_FILE = ("understanding", "sentiment_head.npz")
MARKERS_FILE = ("understanding", "sarcasm.json")
#: Score of a sarcastic message: at most this (clearly negative).
SARCASM_SCORE = -0.6
#: Score of praise followed by a 'but' and a complaint: negative, less sharply.
CONTRAST_SCORE = -0.4
#: Without the head: score = CUE_WEIGHT x (praise - complaint cue words) + surface cues,
#: clipped to [-1, 1]; negative at or under NEGATIVE_AT, positive at or over POSITIVE_AT.
CUE_WEIGHT = 0.45
NEGATIVE_AT = -0.25
POSITIVE_AT = 0.25
_TOWARD_POSITIVE = np.array([-1.0, 0.0, 1.0])
_QUESTION = re.compile(r"[?？؟՞]")


@dataclass(frozen=True)
class SentimentHead:
    """Fitted numbers: `weights` (dim x 3), `bias` (3), cue weights, the embedder whose
    vectors they read (a vector of another size is ignored), and the word view with its
    weight (none: the head and cues alone)."""

    weights: NDArray[np.float64]
    bias: NDArray[np.float64]
    cue_weight: float
    surface_weight: float
    embedder_id: str
    words: WordView | None = None
    words_weight: float = 0.0

    @property
    def dim(self) -> int:
        return int(self.weights.shape[0])

    def fits(self, vector: Vector | None) -> bool:
        return vector is not None and vector.shape == (self.dim,)

    def logits(
        self, vector: Vector, cues: float, surface: float, text: str = ""
    ) -> NDArray[np.float64]:
        """Logits (negative, neutral, positive): head plus the word view of `text`, shifted
        by cue words and surface."""
        raw = np.asarray(vector, dtype=np.float64) @ self.weights + self.bias
        raw = raw - raw.mean()
        if self.words is not None and self.words_weight and text:
            raw = raw + self.words_weight * self.words.logits(text)
        shift = (self.cue_weight * cues + self.surface_weight * surface) * _TOWARD_POSITIVE
        return np.asarray(raw + shift, dtype=np.float64)


@lru_cache(maxsize=1)
def load_head() -> SentimentHead:
    """The shipped head (read once per process)."""
    with np.load(data_path(*HEAD_FILE), allow_pickle=False) as saved:
        words = None
        if "word_log_odds" in saved:  # int8 steps of one scale
            steps = saved["word_log_odds"].astype(np.float32)
            words = WordView(steps * np.float32(saved["word_scale"]))
        return SentimentHead(
            weights=saved["weights"].astype(np.float64),
            bias=saved["bias"].astype(np.float64),
            cue_weight=float(saved["cue_weight"]),
            surface_weight=float(saved["surface_weight"]),
            embedder_id=str(saved["embedder_id"]),
            words=words,
            words_weight=float(saved["words_weight"]) if words is not None else 0.0,
        )


def classify(logits: NDArray[np.float64]) -> tuple[Sentiment, float]:
    """The label with the highest logit, and a score in [-1, 1]: P(positive) - P(negative)."""
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    score = round(float(probs[2] - probs[0]), 3)
    return LABELS[int(np.argmax(logits))], max(-1.0, min(1.0, score))


# ---------------------------------------------------------------- sarcasm


@dataclass(frozen=True)
class SarcasmMarkers:
    """Signs that praise is not meant (data: `assistant/data/understanding/sarcasm.json`)."""

    eye_roll: frozenset[str]
    praise: PhraseMatcher
    still_not: PhraseMatcher
    ironic_thanks: PhraseMatcher
    problems: PhraseMatcher
    contrast: dict[str, PhraseMatcher]
    resolved: tuple[str, ...]
    #: (things put right, verbs saying it happened) per language: a thing before a verb
    #: in one sentence ("replacement 2 din me aa gaya").
    resolved_pairs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    #: Words that undo a resolved phrase right before it ("no me devolvieron el dinero"),
    #: and, in verb-final languages, right after it ("पैसे वापस खाते में नहीं आए").
    resolved_not: tuple[str, ...] = ()
    resolved_not_after: tuple[str, ...] = ()
    #: Words that deny a stated problem right before it ("not even dented", "rien de
    #: cassé") and, in verb-final languages, right after it ("टूटा नहीं", "割れてない").
    denied: tuple[str, ...] = ()
    denied_after: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def sarcasm_markers() -> SarcasmMarkers:
    data: dict[str, Any] = data_json(*MARKERS_FILE)

    def every(kind: str) -> PhraseMatcher:
        return PhraseMatcher(p for words in data[kind].values() for p in words)

    return SarcasmMarkers(
        eye_roll=frozenset(data["eye_roll"]),
        praise=every("praise"),
        still_not=every("still_not"),
        ironic_thanks=every("ironic_thanks"),
        problems=every("problems"),
        contrast={code: PhraseMatcher(words) for code, words in data["contrast"].items()},
        resolved=tuple(dict.fromkeys(p for words in data["resolved"].values() for p in words)),
        resolved_pairs=tuple(
            (tuple(pair["things"]), tuple(pair["done"])) for pair in data["resolved_pairs"].values()
        ),
        resolved_not=_merged(data["resolved_not"]),
        resolved_not_after=_merged(data["resolved_not_after"]),
        denied=_merged(data["denied"]),
        denied_after=_merged(data["denied_after"]),
    )


def _merged(words: dict[str, list[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for listed in words.values() for w in listed))


def is_sarcastic(text: str, praise: int, complaint: int) -> bool:
    """An ironic thanks ("thanks for nothing"), or praise (`praise` cue words, or the
    praise phrases sarcasm uses) said beside an eye-roll emoji, a "still no ...", a
    complaint (`complaint` negative cue words) or a stated problem ("broken", "charged
    twice", "no reply"): praise that comes with a complaint is not meant, and is never
    thanked back."""
    markers = sarcasm_markers()
    if markers.ironic_thanks.count(text):
        return True
    if praise <= 0 and not markers.praise.count(text):
        return False
    if any(ch in markers.eye_roll for ch in text) or markers.still_not.count(text):
        return True
    if counts_wait_days(text):
        return True  # "day 19. one lampshade. truly inspiring stuff.": a wait still going
    if is_resolved(text):
        return False  # "it came broken and you sent a new one in 2 days, thanks!"
    return complaint > 0 or stated_problems(text) > 0


#: Words of a clause before a stated problem searched for a word denying it ("tidak ada
#: yang pecah": three), and Han and kana characters after one ("割れていない": four).
DENIED_WORDS = 3
DENIED_CHARS_AFTER = 4


def stated_problems(text: str) -> int:
    """How many stated problems (`sarcasm.json` problems) the message does not deny:
    praise that names what went well by the problem that did not happen ("box not even
    dented", "rien de cassé", "कुछ भी नहीं टूटा", "一个都没碎") states no problem."""
    found = find_any(text, sarcasm_markers().problems.phrases)
    return sum(not _denied(text, *m.span()) for m in found)


def _denied(text: str, start: int, end: int) -> bool:
    """A `denied` word among the last words of the clause before `start`, or a
    `denied_after` word among the first ones after `end` (Han and kana: in the
    characters right before or after)."""
    markers = sarcasm_markers()
    before, after = _clause_around(text, start, end)
    if _among(" ".join(before.split()[-DENIED_WORDS:]), before[-3:], markers.denied):
        return True
    words_after = " ".join(after.split()[:UNDONE_WORDS])
    return _among(words_after, after[:DENIED_CHARS_AFTER], markers.denied_after)


def is_resolved(text: str) -> bool:
    """The message says its problem was put right or a service went well ("sent a
    replacement", "रिफंड मिल गया", "the courier carried it upstairs"; `sarcasm.json`
    resolved): problem words beside praise are then no complaint."""
    return bool(resolutions(text))


def resolutions(text: str) -> list[int]:
    """Where the message says a problem was put right or a service went well: resolved
    phrases, and a thing put right before a verb saying it happened in one sentence with
    no stated problem between them ("replacement 2 din me aa gaya", not "naya mirror do
    tukdon mein aa gaya"); none right after a word that undoes it (`resolved_not`: "no
    me devolvieron el dinero", "还没到账")."""
    markers = sarcasm_markers()
    found = [m.start() for m in find_any(text, markers.resolved) if not _undone(text, *m.span())]
    for start, end in sentence_spans(text):
        for things, done in markers.resolved_pairs:
            at = _done_after(things, done, text[start:end])
            if at is not None:
                found.append(start + at)
    return sorted(found)


#: Words of a clause before a resolved phrase searched for a word that undoes it.
UNDONE_WORDS = 2
#: Words after a resolved phrase searched for a stated problem (Han and kana: a run of
#: characters counts as one word, so the whole run up to the next space or mark).
PROBLEM_WORDS_AFTER = 3
_CLAUSE_END = re.compile(r"[.!?;,:।։。！？；，、\n]")


def _undone(text: str, start: int, end: int) -> bool:
    """A `resolved_not` word among the last words of the clause before `start`, a
    `resolved_not_after` word among the first ones after `end` (Han and kana: in the
    three characters before or after), or a stated problem right after it ("the
    replacement arrived broken again", "新的到了，又是碎的" aside: another clause)."""
    markers = sarcasm_markers()
    before, after = _clause_around(text, start, end)
    if markers.problems.count(" ".join(after.split()[:PROBLEM_WORDS_AFTER])):
        return True
    return _among(" ".join(before.split()[-UNDONE_WORDS:]), before[-3:], markers.resolved_not) or (
        _among(" ".join(after.split()[:UNDONE_WORDS]), after[:3], markers.resolved_not_after)
    )


def _clause_around(text: str, start: int, end: int) -> tuple[str, str]:
    """What the clause holding text[start:end] says before and after it (at most 40
    characters each way)."""
    before = _CLAUSE_END.split(text[max(0, start - 40) : start])[-1]
    after = _CLAUSE_END.split(text[end : end + 40])[0]
    return before, after


def _among(words: str, chars: str, undo: tuple[str, ...]) -> bool:
    han, spaced = _by_script(undo)
    if any(w in chars for w in han):
        return True
    return bool(words.strip()) and contains_any(words, spaced)


@lru_cache(maxsize=8)
def _by_script(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`words` split once into Han/kana ones (found anywhere) and the others."""
    return tuple(w for w in words if is_cjk(w)), tuple(w for w in words if not is_cjk(w))


def _done_after(first: tuple[str, ...], then: tuple[str, ...], sentence: str) -> int | None:
    """Where a phrase of `then` starts after a phrase of `first`, with no stated problem
    between them and no word undoing it (`_undone`); None when none does."""
    found = find_any(sentence, first)
    if not found:
        return None
    problems = sarcasm_markers().problems
    for match in find_any(sentence, then):
        if match.start() < found[0].end() or _undone(sentence, *match.span()):
            continue
        if not problems.count(sentence[found[0].end() : match.start()]):
            return match.start()
    return None


def praise_then_but(text: str, praise: int, language: str, complaint: int = 0) -> bool:
    """Praise or thanks, then a contrast word of the message's language, English or a
    romanised one ("Thanks for the reply, but the courier was rude", "Salamat po, pero
    bastos yung rider"): the point comes after the 'but'. A 'but' before the message says
    the problem was put right (`resolutions`) tells the story of the fix ("chipped at
    first, but you sorted a replacement"; "डर था कि चक्कर काटने पड़ेंगे, पर ... पूरा पैसा
    वापस खाते में"); one after it is still a complaint.
    A question without a complaint word or a stated problem ("Love it! But does it come
    in blue?") is not a complaint."""
    markers = sarcasm_markers()
    if praise <= 0 and not markers.praise.count(text):
        return False
    if _QUESTION.search(text) and not complaint and not stated_problems(text):
        return False
    fixed = resolutions(text)
    contrast = markers.contrast
    for code in dict.fromkeys((language, language.split("-")[0], "en", "any")):
        matcher = contrast.get(code)
        if matcher is None or not matcher.count(text):
            continue
        if not fixed or any(m.start() > fixed[-1] for m in find_any(text, matcher.phrases)):
            return True  # a 'but' after the fix: "sent a new one, but it's broken too"
    return False  # "chipped at first, but you sorted a replacement: legends"


def sentiment_from(
    text: str,
    vector: Vector | None,
    *,
    praise: int,
    complaint: int,
    surface: float,
    head: SentimentHead | None = None,
    language: str = "",
) -> tuple[Sentiment, float]:
    """Label and score from the head (when `vector` fits it), cue counts and surface cues;
    sarcasm, and praise with a 'but' (in `language` or English), are negative."""
    if is_sarcastic(text, praise, complaint):
        return "negative", SARCASM_SCORE
    if language and praise_then_but(text, praise, language, complaint):
        return "negative", CONTRAST_SCORE
    head = head or load_head()
    if vector is None or not head.fits(vector):
        return by_cues(praise, complaint, surface)
    return classify(head.logits(vector, float(praise - complaint), surface, text))


def by_cues(praise: int, complaint: int, surface: float) -> tuple[Sentiment, float]:
    """The cue-only rule (no vector): cue words and surface cues, thresholded."""
    score = round(max(-1.0, min(1.0, CUE_WEIGHT * (praise - complaint) + surface)), 3)
    if score <= NEGATIVE_AT:
        return "negative", score
    return ("positive" if score >= POSITIVE_AT else "neutral"), score
