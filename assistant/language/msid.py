"""Malay or Indonesian: re-split lingua's joint Malay + Indonesian confidence.

lingua tells Malay and Indonesian apart from its character n-grams, which is right on
about 88 % of six-word news snippets and 94 % of whole sentences. More signals are added
as log-odds (Malay over Indonesian) by a small logistic regression (`MsIdModel`, seven
weights and a word table fitted by `benchmarks/fit_msid.py`):

1. lingua's own log-odds of Malay over Indonesian;
2. word frequencies: each word's log10 frequency ratio in the `wordfreq` package's
   Malay and Indonesian lists (built from large public corpora), clipped, summed;
3. known differences written by hand from the two standards (data files): spelling and
   vocabulary pairs (kerana/karena, wang/uang, berjaya/berhasil), the marker lists
   markers_ms.txt and markers_id.txt, and names of places, offices and people that say
   which country a text comes from; summed per side;
4. fitted word log-odds: for each word of ../shared/benchmarks/msid/, the smoothed
   log-ratio of the share of Malay and of Indonesian sentences holding it (a Bernoulli
   naive Bayes), clipped, kept only where wordfreq leans the same way, summed over the
   text's distinct words. These are the function words and spellings that decide short
   texts (bisa/boleh, bahwa/bahawa, uang/wang, kemarin/semalam, sangat/amat...) with
   weights counted from text rather than chosen by hand. Only one number per word is
   shipped.

The result splits lingua's Malay + Indonesian mass; every other language keeps its
confidence, so the hint and `languages=` work on it as on any answer. Cross-validated on
the two halves of ../shared/benchmarks/msid/ (fit on one half, score the other, both
ways), see benchmarks/fit_msid.py.
"""

from __future__ import annotations

import json
import math
import re
import threading
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.resources import data_path

__all__ = ["MsIdModel", "features", "known_words", "lean", "load_model", "separate"]

_MODEL_FILE = ("language", "msid_model.json")
_WORD_FILES = ("markers_ms.txt", "markers_id.txt")  # "word weight", a side per file
_PAIRS_FILE = "msid_pairs.tsv"  # "malay<TAB>indonesian", "-" for no single word
_NAMES_FILE = "msid_names.tsv"  # "word<TAB>signed weight" (positive: Malaysia)
_PAIR_WEIGHT = 1.5
_PUNCTUATION = "!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~،؛؟۔।॥…“”‘’«»¿¡-"
_MAX_WORDS = 80  # longer texts are decided on their first words
_DIGIT = re.compile(r"\d")
_LOCK = threading.Lock()
_CACHE: dict[str, object] = {}


class MsIdModel(BaseModel):
    """Fitted weights of the signals, the fitted word table and the clipping that shapes them.

    Malay-over-Indonesian log-odds = bias + lingua * L + lingua_sure * L|L|/clip
    + frequency_ms * W_ms - frequency_id * W_id + known_ms * K_ms - known_id * K_id
    + fitted * F,
    where L is lingua's clipped log-odds (the second term bends its curve: fitted, it makes
    lingua's near-certain answers on whole sentences count less against the word evidence,
    its leans on a few words more), W the summed clipped word-frequency log10 ratios of the
    words that lean each way (as positive numbers) and K the capped sums of hand-written
    weights on each side. Evidence for each side has its own weight: wordfreq's Malay and
    Indonesian lists come from different mixes of sources. F is the sum of `words`
    (fitted log-odds, Malay positive) over the text's distinct words; `fitted` 0 and an
    empty table leave it out.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    bias: float
    lingua: float
    lingua_sure: float
    frequency_ms: float
    frequency_id: float
    known_ms: float
    known_id: float
    fitted: float = 0.0
    words: dict[str, float] = Field(default_factory=dict)
    lingua_floor: float = 1e-3
    lingua_clip: float = 7.0
    frequency_clip: float = 2.0
    frequency_floor: float = 1e-8
    known_cap: float = 6.0
    temperature: float = 1.0


def tokens(text: str) -> list[str]:
    """Lower-cased words with punctuation and hyphens trimmed; words with digits dropped."""
    out = []
    for raw in text.lower().split()[:_MAX_WORDS]:
        word = raw.strip(_PUNCTUATION)
        if word and not _DIGIT.search(word):
            out.append(word)
    return out


def features(model: MsIdModel, text: str, ms: float, id_: float) -> tuple[float, ...]:
    """(L, L|L|/clip, W_ms, W_id, K_ms, K_id, F) given lingua's Malay and Indonesian shares."""
    floor, clip = model.lingua_floor, model.lingua_clip
    lingua = max(-clip, min(clip, math.log((ms + floor) / (id_ + floor))))
    words = set(tokens(text))
    frequency_ms = frequency_id = 0.0
    malay, indonesian = _frequencies()
    low, fclip = model.frequency_floor, model.frequency_clip
    for word in words:
        a, b = malay.get(word, 0.0), indonesian.get(word, 0.0)
        if a or b:
            ratio = max(-fclip, min(fclip, math.log10(max(a, low) / max(b, low))))
            if ratio > 0:
                frequency_ms += ratio
            else:
                frequency_id -= ratio
    known = known_words()
    signed = [known.get(word, 0.0) for word in words]
    known_ms = min(model.known_cap, sum(w for w in signed if w > 0))
    known_id = min(model.known_cap, -sum(w for w in signed if w < 0))
    fitted = sum(model.words.get(word, 0.0) for word in words)
    sure = lingua * abs(lingua) / clip
    return lingua, sure, frequency_ms, frequency_id, known_ms, known_id, fitted


def lean(model: MsIdModel, text: str, ms: float, id_: float) -> float:
    """Log-odds that the text is Malay rather than Indonesian."""
    lingua, sure, frequency_ms, frequency_id, known_ms, known_id, fitted = features(
        model, text, ms, id_
    )
    return (
        model.bias
        + model.lingua * lingua
        + model.lingua_sure * sure
        + model.frequency_ms * frequency_ms
        - model.frequency_id * frequency_id
        + model.known_ms * known_ms
        - model.known_id * known_id
        + model.fitted * fitted
    )


def separate(scores: dict[str, float], window: str) -> dict[str, float]:
    """lingua's scores with the Malay + Indonesian mass split by `lean`."""
    ms, id_ = scores.get("ms", 0.0), scores.get("id", 0.0)
    mass = ms + id_
    if mass <= 0:
        return scores
    model = load_model()
    z = lean(model, window, ms / mass, id_ / mass) / model.temperature
    share = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    return {**scores, "ms": mass * share, "id": mass * (1.0 - share)}


def load_model(path: Path | None = None) -> MsIdModel:
    """The fitted weights (bundled msid_model.json unless `path` is given), read once."""
    key = f"model:{path or ''}"
    model = _CACHE.get(key)
    if model is None:
        source = path or data_path(*_MODEL_FILE)
        model = MsIdModel.model_validate(json.loads(source.read_text(encoding="utf-8")))
        _CACHE[key] = model
    assert isinstance(model, MsIdModel)
    return model


def known_words() -> dict[str, float]:
    """Hand-written Malay (positive) and Indonesian (negative) weights, from the data files."""
    table = _CACHE.get("known")
    if table is None:
        with _LOCK:
            table = _CACHE.get("known")
            if table is None:
                table = _CACHE["known"] = _read_known()
    assert isinstance(table, dict)
    return table


def _read_known() -> dict[str, float]:
    table: dict[str, float] = {}
    for name, sign in zip(_WORD_FILES, (1.0, -1.0), strict=True):
        for word, weight in _rows(name):
            table[word] = sign * float(weight or 1.0)
    for malay, indonesian in _rows(_PAIRS_FILE):
        if malay != "-":
            table.setdefault(malay, _PAIR_WEIGHT)
        if indonesian and indonesian != "-":
            table.setdefault(indonesian, -_PAIR_WEIGHT)
    for word, weight in _rows(_NAMES_FILE):
        table.setdefault(word, float(weight))
    return table


def _rows(name: str) -> list[tuple[str, str]]:
    """(first, second) fields of a bundled word file; # comments and blank lines skipped."""
    rows = []
    for line in data_path("language", name).read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            rows.append((parts[0].lower(), parts[1] if len(parts) > 1 else ""))
    return rows


def _frequencies() -> tuple[dict[str, float], dict[str, float]]:
    """wordfreq's Malay and Indonesian word frequencies, loaded on first use."""
    pair = _CACHE.get("frequencies")
    if pair is None:
        with _LOCK:
            pair = _CACHE.get("frequencies")
            if pair is None:
                from wordfreq import get_frequency_dict

                pair = _CACHE["frequencies"] = (
                    get_frequency_dict("ms"),
                    get_frequency_dict("id"),
                )
    assert isinstance(pair, tuple)
    return pair
