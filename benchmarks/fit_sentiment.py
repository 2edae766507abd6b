"""Refit the sentiment head (assistant/data/understanding/sentiment_head.npz).

Usage: python -m benchmarks.fit_sentiment [--cache DIR]

Data: real labelled tweets in 8 languages from `../shared/benchmarks/sentiment/`
(`<lang>.train.tsv` to fit, `<lang>.val.tsv` to choose the settings) and the dev split
of the project's own messages (`evaluation/datasets/messages.jsonl`; the test split is
never read). Every text is embedded exactly as the pipeline embeds a message: the e5
query vector of `searchable(text)` (cached under --cache: about 4 minutes the first time).

The head is linear discriminant analysis with shrinkage (closed form, deterministic): a
linear softmax classifier like multinomial logistic regression, which reached the same
val figures (58.5-58.8 vs 59.3 mean macro-F1) at a hundred times the fitting cost. Beside
it, a word view (`assistant/understanding/sentiment_words.py`): binarised multinomial naive
Bayes over hashed word, word-pair and character 3-5-gram buckets (2**18, smoothing 0.3,
both chosen in 5-fold cross-validation on train), fitted on the train tweets only. The
logits are head + words weight x word view + cue shifts.

The settings tried (shrinkage, weight of the project's dev messages, weight of the word
view, weights of the cue words and surface cues) are scored on data they were not fitted
on: mean macro-F1 over the 8 languages in 5-fold cross-validation on train (head and word
view refitted without the fold) plus a quarter of the dev macro-F1 in 5-fold
cross-validation grouped by message number (a message never helps to predict itself or its
siblings). A setting with the word view must not lose dev macro-F1 against the best
setting without it. The val split is only reported, never used to choose. The chosen
setting is refitted on train (+ dev for the head).

Romanised Hindi (SAIL-2015) stays near chance (33.7 val macro-F1 with the shipped head;
the other seven languages 58-70), and no model tried here learns it: fitted on the Hindi
tweets alone, 5-fold CV on train gives 34.9 for the word view and 35.8 for LDA on the e5
vectors (val 33.1 and 32.8; shrinkage 0.05-0.8 alike), where a uniformly random answer
gets 33.3. The e5 encoder reads little of Hinglish spelling, and the tweets' labels are
hard to follow even for a reader ("i love u salman vai..." negative, "Taiyar hai bhai
jan" positive). The issue's target of 50 in every language is not met for Hindi.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import itertools
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from benchmarks._util import ROOT, SHARED

DATA = SHARED / "benchmarks" / "sentiment"
LANGUAGES = ("ar", "de", "en", "es", "fr", "hi", "it", "pt")
LABELS = ("negative", "neutral", "positive")
MESSAGES = ROOT / "evaluation" / "datasets" / "messages.jsonl"
OUT = ROOT / "assistant" / "data" / "understanding" / "sentiment_head.npz"
SHRINKAGE = (0.01, 0.05)
DEV_WEIGHT = (5.0, 10.0, 20.0)
WORDS_WEIGHT = (0.0, 0.3, 0.5, 0.7)
CUE_WEIGHTS = ((0.0, 0.0), (0.25, 1.0), (0.5, 1.0), (0.5, 2.0))
WORD_BITS = 18
WORD_SMOOTHING = 0.3
DEV_SHARE = 0.25
FOLDS = 5
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")

Array = NDArray[np.float64]


@dataclass
class Part:
    """Texts of one file with their vectors, labels and cue features."""

    texts: list[str]
    labels: NDArray[np.int64]
    vectors: Array
    cues: Array  # (n, 3): praise words, complaint words, surface score
    languages: list[str]
    groups: NDArray[np.int64] | None = None
    words: list[NDArray[np.int64]] | None = None  # hashed n-gram buckets per text

    def buckets(self) -> list[NDArray[np.int64]]:
        if self.words is None:
            from assistant.understanding.sentiment_words import buckets

            self.words = [buckets(text, WORD_BITS) for text in self.texts]
        return self.words

    def rows(self, mask: NDArray[np.bool_]) -> Part:
        words = self.buckets()
        return Part(
            [t for t, keep in zip(self.texts, mask, strict=True) if keep],
            self.labels[mask], self.vectors[mask], self.cues[mask],
            [lang for lang, keep in zip(self.languages, mask, strict=True) if keep],
            None if self.groups is None else self.groups[mask],
            [w for w, keep in zip(words, mask, strict=True) if keep],
        )  # fmt: skip


def clean(text: str) -> str:
    """A tweet as written: CSV quoting, \\uXXXX escapes and HTML entities undone."""
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"')
    return html.unescape(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))


def read_tsv(path: Path) -> tuple[list[str], list[int]]:
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        if label in LABELS:
            texts.append(clean(text))
            labels.append(LABELS.index(label))
    return texts, labels


def embed(texts: list[str], name: str, cache: Path) -> Array:
    """e5 query vectors of `searchable(text)` cut as the pipeline cuts a message
    (`message_query`), cached by content and embedder."""
    from assistant.text import searchable
    from assistant.understanding.embeddings import (
        MESSAGE_TOKENS,
        default_embedder,
        embed_queries,
        message_query,
    )

    embedder = default_embedder()
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    safe_id = re.sub(r"[^\w.-]", "_", embedder.id)
    path = cache / f"{name}-{digest}-{safe_id}-m{MESSAGE_TOKENS}.npy"
    if path.exists():
        return np.load(path).astype(np.float64)
    print(f"  embedding {len(texts)} texts of {name} ...", flush=True)
    matrix = embed_queries(embedder, [message_query(embedder, searchable(t)) for t in texts])
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, matrix)
    return matrix.astype(np.float64)


def cue_features(texts: list[str]) -> tuple[Array, list[str]]:
    """Per text: praise and complaint cue words and the surface score, in the language the
    pipeline would detect."""
    from assistant.knowledge import load_knowledge_base
    from assistant.language import detect_language
    from assistant.understanding.analysis import sentiment_cues

    kb = load_knowledge_base()
    rows, languages = [], []
    for text in texts:
        language = detect_language(text).language
        cues = sentiment_cues(text, kb, language)
        rows.append([cues.praise, cues.complaint, cues.surface])
        languages.append(language)
    return np.array(rows, dtype=np.float64), languages


def load_tweets(split: str, cache: Path, cues: bool = True) -> dict[str, Part]:
    """Tweets of one split per language (cue features only when `cues`: they cost the
    language detection of every text)."""
    parts = {}
    for lang in LANGUAGES:
        texts, labels = read_tsv(DATA / f"{lang}.{split}.tsv")
        vectors = embed(texts, f"tweets-{lang}-{split}", cache)
        cue_rows, languages = cue_features(texts) if cues else (np.zeros((len(texts), 3)), [])
        parts[lang] = Part(texts, np.array(labels), vectors, cue_rows, languages)
    return parts


def load_dev(cache: Path) -> Part:
    rows = [json.loads(line) for line in MESSAGES.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r.get("split") == "dev"]
    texts = [r["text"] for r in rows]
    cues, languages = cue_features(texts)
    groups = np.array([int(re.sub(r"\D", "", r["id"]) or 0) % FOLDS for r in rows])
    labels = np.array([LABELS.index(r["sentiment"]) for r in rows])
    return Part(texts, labels, embed(texts, "messages-dev", cache), cues, languages, groups)


# ---------------------------------------------------------------- fitting


@dataclass
class Moments:
    """Weighted sufficient statistics of LDA: they add up across data sets."""

    count: Array  # (3,)
    sums: Array  # (3, d)
    scatter: Array  # (d, d)

    @classmethod
    def of(cls, x: Array, y: NDArray[np.int64], weight: float) -> Moments:
        onehot = np.eye(3)[y] * weight
        return cls(onehot.sum(0), onehot.T @ x, weight * (x.T @ x))

    def __add__(self, other: Moments) -> Moments:
        return Moments(
            self.count + other.count, self.sums + other.sums, self.scatter + other.scatter
        )

    def head(self, shrinkage: float) -> tuple[Array, Array]:
        """Weights (d, 3) and bias (3) of LDA with a shared, shrunk covariance."""
        means = self.sums / self.count[:, None]
        total = self.count.sum()
        covariance = (self.scatter - (means.T * self.count) @ means) / total
        d = covariance.shape[0]
        target = np.trace(covariance) / d * np.eye(d)
        covariance = (1 - shrinkage) * covariance + shrinkage * target
        weights = np.linalg.solve(covariance, means.T)
        # Equal class priors: macro-F1 weighs the three classes alike.
        return weights, -0.5 * np.einsum("kd,dk->k", means, weights)


def fit_words(parts: list[Part]) -> Array:
    """Centred per-class log-probabilities (3, 2**WORD_BITS) of binarised multinomial
    naive Bayes over the hashed n-gram buckets, with equal class priors."""
    counts = np.full((3, 1 << WORD_BITS), WORD_SMOOTHING)
    for part in parts:
        for found, label in zip(part.buckets(), part.labels, strict=True):
            counts[label, found] += 1
    log_probs = np.log(counts / counts.sum(axis=1, keepdims=True))
    return np.asarray(log_probs - log_probs.mean(axis=0), dtype=np.float64)


def quantize(log_odds: Array) -> tuple[NDArray[np.int8], float]:
    """The table as it ships: int8 steps of one scale (max error half a step, about 0.01)."""
    scale = float(np.abs(log_odds).max()) / 127 or 1.0
    return np.round(log_odds / scale).astype(np.int8), scale


def word_logits(log_odds: Array, part: Part) -> Array:
    """The word view's logits, exactly as `WordView.logits` computes them from the
    shipped (quantised) table."""
    from assistant.understanding.sentiment_words import WordView

    steps, scale = quantize(log_odds)
    view = WordView(steps.astype(np.float32) * np.float32(scale))
    return np.array([view.logits(text) for text in part.texts]).reshape(-1, 3)


@dataclass(frozen=True)
class Setting:
    shrinkage: float
    dev_weight: float
    words_weight: float
    cue_weight: float
    surface_weight: float


def predict(head: tuple[Array, Array], words: Array, part: Part, setting: Setting) -> Any:
    logits = part.vectors @ head[0] + head[1]
    logits = logits - logits.mean(axis=1, keepdims=True) + setting.words_weight * words
    cues = part.cues
    shift = setting.cue_weight * (cues[:, 0] - cues[:, 1]) + setting.surface_weight * cues[:, 2]
    return (logits + np.outer(shift, [-1.0, 0.0, 1.0])).argmax(axis=1)


def macro_f1(gold: Any, predicted: Any) -> float:
    scores = []
    for label in range(3):
        tp = int(np.sum((gold == label) & (predicted == label)))
        wrong = int(np.sum((gold != label) & (predicted == label)))
        missed = int(np.sum((gold == label) & (predicted != label)))
        if tp + wrong + missed:
            scores.append(2 * tp / (2 * tp + wrong + missed))
    return 100 * float(np.mean(scores))


def fold_of(part: Part, lang: str) -> NDArray[np.int64]:
    """A fixed random fold number per tweet (seeded by the language)."""
    rng = np.random.default_rng(LANGUAGES.index(lang))
    return np.asarray(rng.permutation(len(part.labels)) % FOLDS, dtype=np.int64)


@dataclass
class Folds:
    """What one fold of the cross-validation on train needs, computed once: the head's
    train moments without the fold, and the word view's logits of the fold's tweets
    (fitted without it)."""

    moments: Moments
    held: dict[str, Part]
    words: dict[str, Array]


def train_folds(train: dict[str, Part]) -> list[Folds]:
    folds = {lang: fold_of(part, lang) for lang, part in train.items()}
    result = []
    for k in range(FOLDS):
        kept = [part.rows(folds[lang] != k) for lang, part in train.items()]
        held = {lang: part.rows(folds[lang] == k) for lang, part in train.items()}
        log_odds = fit_words(kept)
        result.append(
            Folds(
                train_moments(dict(zip(LANGUAGES, kept, strict=True))),
                held,
                {lang: word_logits(log_odds, part) for lang, part in held.items()},
            )
        )
        print(f"  fold {k + 1}/{FOLDS} of train ready", flush=True)
    return result


def train_cv(folds: list[Folds], dev: Part, setting: Setting) -> float:
    """Mean over languages of the train macro-F1, each fold predicted without it."""
    dev_moments = Moments.of(dev.vectors, dev.labels, setting.dev_weight)
    gold: dict[str, list[Any]] = {lang: [] for lang in LANGUAGES}
    predicted: dict[str, list[Any]] = {lang: [] for lang in LANGUAGES}
    for fold in folds:
        head = (fold.moments + dev_moments).head(setting.shrinkage)
        for lang, part in fold.held.items():
            gold[lang].append(part.labels)
            predicted[lang].append(predict(head, fold.words[lang], part, setting))
    scores = [macro_f1(np.concatenate(gold[g]), np.concatenate(predicted[g])) for g in LANGUAGES]
    return float(np.mean(scores))


def dev_cv(train: Moments, dev: Part, dev_words: Array, setting: Setting) -> float:
    """Dev macro-F1, each fold predicted by a head fitted without it (the word view never
    sees the dev messages)."""
    predicted = np.zeros(len(dev.labels), dtype=np.int64)
    for fold in range(FOLDS):
        held = dev.groups == fold
        moments = train + Moments.of(dev.vectors[~held], dev.labels[~held], setting.dev_weight)
        sub = Part([], dev.labels[held], dev.vectors[held], dev.cues[held], [])
        predicted[held] = predict(moments.head(setting.shrinkage), dev_words[held], sub, setting)
    return macro_f1(dev.labels, predicted)


def val_scores(
    head: tuple[Array, Array], log_odds: Array, val: dict[str, Part], setting: Setting
) -> dict[str, float]:
    return {
        lang: round(
            macro_f1(part.labels, predict(head, word_logits(log_odds, part), part, setting)), 1
        )
        for lang, part in val.items()
    }


def search(train: dict[str, Part], dev: Part, dev_words: Array) -> list[dict[str, Any]]:
    """Every setting with its train CV, dev CV and score, best first; a setting with the
    word view must keep the dev CV of the best setting without it."""
    folds, moments = train_folds(train), train_moments(train)
    results = []
    grid = itertools.product(SHRINKAGE, DEV_WEIGHT, WORDS_WEIGHT, CUE_WEIGHTS)
    for shrinkage, weight, words, (cue, surface) in grid:
        setting = Setting(shrinkage, weight, words, cue, surface)
        cv, dev_f1 = train_cv(folds, dev, setting), dev_cv(moments, dev, dev_words, setting)
        results.append({
            **asdict(setting), "train_cv": round(cv, 2), "dev_cv": round(dev_f1, 1),
            "score": round(cv + DEV_SHARE * dev_f1, 2),
        })  # fmt: skip
        print(
            f"  shrinkage {shrinkage} dev weight {weight:>4} words {words} cues {cue}/{surface}:"
            f" train CV {cv:.2f}, dev CV {dev_f1:.1f}",
            flush=True,
        )
    results.sort(key=lambda r: -r["score"])
    floor = next(r["dev_cv"] for r in results if r["words_weight"] == 0)
    return [r for r in results if r["dev_cv"] >= floor]


def train_moments(parts: dict[str, Part]) -> Moments:
    empty = Moments(np.zeros(3), np.zeros((3, 384)), np.zeros((384, 384)))
    return sum((Moments.of(p.vectors, p.labels, 1.0) for p in parts.values()), start=empty)


def default_cache() -> Path:
    from assistant.settings import Settings

    return Settings().cache_dir / "sentiment-fit"


def save(head: tuple[Array, Array], log_odds: Array, best: dict[str, Any]) -> None:
    from assistant.understanding.embeddings import default_embedder

    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT,
        weights=head[0].astype(np.float32),
        bias=head[1].astype(np.float32),
        cue_weight=np.float32(best["cue_weight"]),
        surface_weight=np.float32(best["surface_weight"]),
        word_log_odds=quantize(log_odds)[0],
        word_scale=np.float32(quantize(log_odds)[1]),
        words_weight=np.float32(best["words_weight"]),
        embedder_id=np.str_(default_embedder().id),
        setting=np.str_(json.dumps(best, sort_keys=True)),
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache folder")
    args = parser.parse_args(argv)
    if not DATA.is_dir() or not (DATA / "en.train.tsv").exists():
        print(
            f"error: the sentiment data is missing: {DATA} (expected <lang>.train.tsv and "
            "<lang>.val.tsv for ar de en es fr hi it pt). Put the shared benchmark data "
            "beside the repository (../shared/benchmarks/sentiment) and run again.",
            file=sys.stderr,
        )
        return 2
    cache = args.cache or default_cache()
    train, dev = load_tweets("train", cache), load_dev(cache)
    log_odds = fit_words(list(train.values()))
    best = search(train, dev, word_logits(log_odds, dev))[0]
    setting = Setting(**{k: best[k] for k in Setting.__dataclass_fields__})
    moments = train_moments(train) + Moments.of(dev.vectors, dev.labels, setting.dev_weight)
    head = moments.head(setting.shrinkage)
    save(head, log_odds, best)
    print(f"\nchosen: {json.dumps(best)}")
    print("val macro-F1 per language (reported only; head fitted on train + dev):")
    for lang, value in val_scores(head, log_odds, load_tweets("val", cache), setting).items():
        print(f"  {lang}: {value:.1f}")
    print(f"-> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
