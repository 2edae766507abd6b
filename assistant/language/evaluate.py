"""Language-detection evaluation: labelled texts, hard variants, accuracy and confusion.

    frame = labelled_messages("evaluation/datasets/messages.jsonl")
    frame = with_variants(frame)                       # full, 1-2 words, wrapped in noise
    frame = predict(frame, {"assistant": assistant_detector(), "langdetect": langdetect_detector()})
    accuracy_by_language(frame, ["assistant", "langdetect"])
    confusion_matrix(frame["language"], frame["assistant"])

A frame has one row per text: `text`, `language` (the truth, ISO 639-1), `source`
(`message` or `faq-question`) and, after `with_variants`, `variant`. Each detector
adds a column of predicted codes named after it. Needs the `eval` extra (pandas,
matplotlib).
"""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from assistant.knowledge import KnowledgeBase
from assistant.language.detect import detect_language, normalize_language_code

__all__ = [
    "VARIANTS",
    "Detector",
    "accuracy_by_language",
    "add_social_noise",
    "assistant_detector",
    "confusion_matrix",
    "first_words",
    "labelled_messages",
    "labelled_questions",
    "langdetect_detector",
    "plot_confusion",
    "predict",
    "with_variants",
]

Detector = Callable[[str], str]
"""Text in, ISO 639-1 code out (`"und"` when the detector has no answer)."""

VARIANTS: tuple[str, ...] = ("full", "1 word", "2 words", "1 word + noise", "2 words + noise")
COLUMNS = ["text", "language", "source"]

_HANDLES = ("@NimbusHome", "@nimbus_care", "@support", "@bestdeals_24")
_EMOJI = ("😡", "🙏", "😭😭", "👍", "🔥🔥", "🤔")
_URLS = ("https://t.co/x7Qe2", "https://nimbushome.example/track?id=88", "bit.ly/3xYz")
_TAGS = ("#fail", "#help", "#NimbusHome", "#customerservice", "#order")
# Scripts written without spaces between words: a "word" there is about two characters.
_SPACELESS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")


def labelled_messages(
    path: str | Path, languages: Iterable[str] | None = None, limit: int | None = None
) -> pd.DataFrame:
    """The dataset's messages with their labelled language (at most `limit` per language)."""
    with Path(path).open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    frame = pd.DataFrame(
        [{"text": r["text"], "language": r["language"], "source": "message"} for r in rows],
        columns=COLUMNS,
    )
    return _select(frame, languages, limit)


def labelled_questions(
    kb: KnowledgeBase, languages: Iterable[str] | None = None, limit: int | None = None
) -> pd.DataFrame:
    """Every FAQ question variant, labelled with the language it is filed under."""
    rows = [
        {"text": text, "language": language, "source": "faq-question"}
        for entry in kb.faq.values()
        for language, questions in entry.questions.items()
        for text in questions
    ]
    return _select(pd.DataFrame(rows, columns=COLUMNS), languages, limit)


def _select(
    frame: pd.DataFrame, languages: Iterable[str] | None, limit: int | None
) -> pd.DataFrame:
    if languages is not None:
        frame = frame[frame["language"].isin(list(languages))]
    if limit is not None:
        frame = frame.groupby("language", sort=False).head(limit)
    return frame.reset_index(drop=True)


def first_words(text: str, n: int = 2) -> str:
    """The first `n` words of a text, skipping @handles, #tags, URLs and letterless tokens.

    In scripts written without spaces (Chinese, Japanese, Thai...) a word counts as
    two letters. Returns "" when the text has no word at all.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1 (got {n})")
    words = [token for token in text.split() if _is_word(token)]
    if words and _spaceless(words[0]):
        letters = [ch for ch in "".join(words) if ch.isalpha()]
        return "".join(letters[: 2 * n])
    return " ".join(word.strip(".,!?;:¿¡()\"'«»“”") for word in words[:n])


def _is_word(token: str) -> bool:
    if token.startswith(("@", "#", "http", "www.")):
        return False
    return any(ch.isalpha() for ch in token)


def _spaceless(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    return bool(letters) and unicodedata.name(letters[0], "").startswith(_SPACELESS)


def add_social_noise(text: str, seed: int = 0) -> str:
    """`text` between a handle, emoji, a URL and a hashtag, as posted on social media.

    Deterministic: the same text and seed always give the same noise.
    """
    rng = random.Random(f"{seed}\0{text}")
    handle, emoji = rng.choice(_HANDLES), rng.choice(_EMOJI)
    url, tag = rng.choice(_URLS), rng.choice(_TAGS)
    return f"{handle} {text} {emoji} {url} {tag}"


def with_variants(frame: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Each text in five variants (see `VARIANTS`), with a `variant` column.

    Short variants that come out empty (a message of emoji only) are dropped.
    """
    parts = []
    for variant in VARIANTS:
        part = frame.copy()
        part["text"] = [_variant(text, variant, seed) for text in frame["text"]]
        part["variant"] = variant
        parts.append(part[part["text"].str.strip() != ""])
    return pd.concat(parts, ignore_index=True)


def _variant(text: str, variant: str, seed: int) -> str:
    if variant == "full":
        return text
    short = first_words(text, 1 if variant.startswith("1 word") else 2)
    if short and variant.endswith("+ noise"):
        return add_social_noise(short, seed)
    return short


def assistant_detector(languages: Iterable[str] | None = None) -> Detector:
    """`detect_language` as a `Detector`, optionally limited to the brand's languages."""
    allowed = None if languages is None else list(languages)

    def detect(text: str) -> str:
        return detect_language(text, languages=allowed).language

    return detect


def langdetect_detector(seed: int = 0) -> Detector:
    """Raw langdetect (no noise stripping), seeded so repeated runs agree.

    langdetect knows neither Armenian nor Malay; it answers `"und"` when it finds no
    feature at all.
    """
    factory = _langdetect_factory(seed)

    def detect(text: str) -> str:
        from langdetect.lang_detect_exception import LangDetectException

        detector = factory.create()
        detector.append(text)
        try:
            return normalize_language_code(str(detector.detect()))
        except LangDetectException:
            return "und"

    return detect


@lru_cache(maxsize=4)
def _langdetect_factory(seed: int) -> Any:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(seed)
    return factory


def predict(frame: pd.DataFrame, detectors: Mapping[str, Detector]) -> pd.DataFrame:
    """A copy of `frame` with one column of predicted codes per detector."""
    result = frame.copy()
    for name, detect in detectors.items():
        result[name] = [detect(text) for text in frame["text"]]
    return result


def accuracy_by_language(
    frame: pd.DataFrame, detectors: Sequence[str], by: Sequence[str] = ("language",)
) -> pd.DataFrame:
    """Share of correct predictions per group, one column per detector, plus `n`.

    A last row `all` gives the accuracy over every text (micro average).
    """
    correct = pd.DataFrame({name: frame[name] == frame["language"] for name in detectors})
    keys = [frame[column] for column in by]
    table = correct.groupby(keys, sort=True).mean()
    table.insert(0, "n", correct.groupby(keys, sort=True).size())
    overall = pd.DataFrame([[len(frame), *correct.mean()]], columns=table.columns)
    overall.index = _all_index(table.index)
    return pd.concat([table, overall])


def _all_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([("all",) * index.nlevels], names=index.names)
    return pd.Index(["all"], name=index.name)


def confusion_matrix(
    truth: Iterable[str],
    predicted: Iterable[str],
    labels: Sequence[str] | None = None,
    *,
    normalize: bool = True,
) -> pd.DataFrame:
    """Rows: true language; columns: predicted language (row shares if `normalize`).

    Rows follow `labels` (default: the true languages, sorted); predicted languages
    that are not true ones (`"und"`, `"tl"`...) get columns after them.
    """
    pairs = pd.DataFrame({"truth": list(truth), "predicted": list(predicted)})
    rows = list(labels) if labels is not None else sorted(pairs["truth"].unique())
    extra = sorted(set(pairs["predicted"]) - set(rows))
    counts = pd.crosstab(pairs["truth"], pairs["predicted"])
    counts = counts.reindex(index=rows, columns=rows + extra, fill_value=0)
    counts.index.name, counts.columns.name = "truth", "predicted"
    if not normalize:
        return counts
    totals = counts.sum(axis=1).replace(0, 1)
    return counts.div(totals, axis=0)


def plot_confusion(matrix: pd.DataFrame, ax: Any = None, title: str = "") -> Any:
    """A heatmap of a normalised confusion matrix, each non-zero cell labelled in percent.

    A dashed line separates the true languages' columns from answers outside them.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * len(matrix.columns) + 2, 0.4 * len(matrix) + 1.5))
    ax.imshow(matrix.to_numpy(dtype=float), cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(matrix.columns)), matrix.columns, rotation=90)
    ax.set_yticks(range(len(matrix.index)), matrix.index)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true language")
    ax.set_title(title)
    if len(matrix.columns) > len(matrix.index):
        ax.axvline(len(matrix.index) - 0.5, color="#888", linestyle="--", linewidth=1)
    _annotate(ax, matrix)
    return ax


def _annotate(ax: Any, matrix: pd.DataFrame) -> None:
    values = matrix.to_numpy(dtype=float)
    for row, column in zip(*values.nonzero(), strict=True):
        value = values[row, column]
        label = f"{value * 100:.0f}" if value >= 0.005 else "<1"
        color = "white" if value > 0.6 else "black"
        ax.text(column, row, label, ha="center", va="center", fontsize=8, color=color)
