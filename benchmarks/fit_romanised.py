"""Refit the romanised-language model shipped as assistant/data/language/romanised.npz.

    python -m benchmarks.fit_romanised [--shared ../shared/benchmarks] [--out PATH]

Naive Bayes over character 1-4-grams and whole words (`assistant.language.romanised.
features`), 24 classes: ten Indic languages typed in Latin letters and fourteen ordinary
Latin-script languages that the Indic ones must not swallow. Only numbers are written
(n-grams, log-probabilities, decision constants); no sentence goes into the file.

Data (outside the repository, see ../shared/benchmarks/README.md):
- romanised/<code>.txt (Dakshina dev split) for the Indic classes;
- langid/sentences/<code>.txt plus sentiment/<code>.train.tsv tweets where they exist
  for the ordinary classes.
Every 5th line of each file is held out: the temperature and the margins are calibrated
on it, and the figures printed at the end are measured on it only.
"""

from __future__ import annotations

import argparse
import csv
import math
from collections import Counter
from pathlib import Path

import numpy as np

from assistant.language.romanised import INDIC, OTHER, features, load_model

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
OUT = Path(__file__).resolve().parents[1] / "assistant" / "data" / "language" / "romanised.npz"
HOLD_OUT = 5  # every 5th line is held out
KEEP = 20_000  # most frequent n-grams kept
MIN_COUNT = 3
ALPHA = 0.5  # additive smoothing
# Log-prior odds: Hindi is typed in Latin letters by far more people than its
# neighbours, so a Hindi/Urdu or Hindi/Marathi near-tie leans Hindi (still unreliable).
PRIOR = {"hi": 1.0}
MIN_WORDS = 3  # shorter texts are left to lingua and the lexicons
MAX_FALSE_FIRE = 0.002  # share of held-out ordinary texts the margin may let through


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    train, held = _data(args.shared)
    arrays = build(train, held)
    save(arrays, args.out)
    config = dict(zip(arrays["config_keys"], arrays["config_values"], strict=True))
    print(
        f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB): {len(arrays['grams'])} n-grams"
    )
    print(", ".join(f"{key} {float(value):.3f}" for key, value in config.items()))
    _report(args.out, held)


def build(train: dict[str, list[str]], held: dict[str, list[str]]) -> dict[str, np.ndarray]:
    """The arrays of the model file, fitted on `train` and calibrated on `held`.

    Both map every code of `INDIC` and `OTHER` to its lines.
    """
    classes = (*INDIC, *OTHER)
    grams, logp = _fit(train, classes)
    prior = np.array([PRIOR.get(code, 0.0) for code in classes])
    scorer = _Scorer(grams, logp, prior)
    config = {
        "margin": _margin(scorer, held, (3, 4, 6, None)),
        "min_words": float(MIN_WORDS),
        "temperature": _temperature(scorer, held),
    }
    return {
        "grams": np.array(grams),
        "logp": logp.astype(np.float16),
        "classes": np.array(classes),
        "prior": prior,
        "config_keys": np.array(list(config)),
        "config_values": np.array(list(config.values())),
    }


def save(arrays: dict[str, np.ndarray], path: Path) -> None:
    """Write the model file that `assistant.language.romanised.load_model` reads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, allow_pickle=False, **arrays)


def _data(shared: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    train: dict[str, list[str]] = {}
    held: dict[str, list[str]] = {}
    sources = {code: shared / "romanised" / f"{code}.txt" for code in INDIC}
    sources |= {code: shared / "langid" / "sentences" / f"{code}.txt" for code in OTHER}
    for code, path in sources.items():
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if code in OTHER:  # the romanised Hindi tweets are code-mixed: kept as a check
            lines += _tweets(shared / "sentiment" / f"{code}.train.tsv")
        train[code] = [line for i, line in enumerate(lines) if i % HOLD_OUT != HOLD_OUT - 1]
        held[code] = [line for i, line in enumerate(lines) if i % HOLD_OUT == HOLD_OUT - 1]
    return train, held


def _tweets(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [row[1] for row in rows if len(row) > 1 and row[1].strip()]


def _fit(train: dict[str, list[str]], classes: tuple[str, ...]) -> tuple[list[str], np.ndarray]:
    counts = {code: Counter(g for line in train[code] for g in features(line)) for code in classes}
    total: Counter[str] = Counter()
    for code in classes:
        total.update(counts[code])
    grams = sorted(g for g, n in total.most_common(KEEP) if n >= MIN_COUNT)
    row = {gram: i for i, gram in enumerate(grams)}
    matrix = np.zeros((len(grams), len(classes)))
    for column, code in enumerate(classes):
        for gram, n in counts[code].items():
            if gram in row:
                matrix[row[gram], column] = n
    logp = np.log((matrix + ALPHA) / (matrix.sum(axis=0) + ALPHA * len(grams)))
    return grams, logp


class _Scorer:
    """Summed class log-likelihoods of a text under the model being fitted."""

    def __init__(self, grams: list[str], logp: np.ndarray, prior: np.ndarray) -> None:
        self.index = {gram: row for row, gram in enumerate(grams)}
        self.logp = logp
        self.prior = prior

    def __call__(self, text: str) -> tuple[np.ndarray, int] | None:
        rows = [row for gram in features(text) if (row := self.index.get(gram)) is not None]
        if not rows:
            return None
        return self.logp[rows].sum(axis=0) + self.prior, len(rows)


def _temperature(scorer: _Scorer, held: dict[str, list[str]]) -> float:
    """The softmax temperature that minimises held-out log loss among the Indic classes."""
    size = len(INDIC)
    samples = []
    for column, code in enumerate(INDIC):
        for line in held[code]:
            for text in (line, _first_words(line, 4)):
                found = scorer(text)
                if found:
                    samples.append((found[0][:size] / found[1], column))
    best = (math.inf, 1.0)
    for temperature in np.geomspace(0.005, 0.5, 40):
        loss = 0.0
        for mean, column in samples:
            z = mean / temperature
            z = z - z.max()
            loss -= float(z[column] - math.log(np.exp(z).sum()))
        best = min(best, (loss / max(1, len(samples)), float(temperature)))
    return best[1]


def _margin(scorer: _Scorer, held: dict[str, list[str]], sizes: tuple[int | None, ...]) -> float:
    """The smallest lead that lets at most MAX_FALSE_FIRE of held-out ordinary texts through.

    Measured on the first `sizes` words of each held-out line (None: the whole line):
    texts of fewer than `MIN_WORDS` words are skipped, as at run time.
    """
    size = len(INDIC)
    leads = []
    for code in OTHER:
        for line in held[code]:
            for words in sizes:
                text = line if words is None else _first_words(line, words)
                found = scorer(text)
                if found and len(text.split()) >= MIN_WORDS:
                    leads.append(float(found[0][:size].max() - found[0][size:].max()))
    if not leads:
        return 0.0
    leads.sort()
    return max(0.0, leads[min(len(leads) - 1, int(len(leads) * (1 - MAX_FALSE_FIRE)))])


def _first_words(text: str, n: int) -> str:
    return " ".join(text.split()[:n])


def _report(path: Path, held: dict[str, list[str]]) -> None:
    """Held-out accuracy of the shipped file, read back through the runtime loader."""
    model = load_model(path)
    indic = len(INDIC)
    for code in (*INDIC, *OTHER):
        fired = right = 0
        for line in held[code]:
            found = model.scores(line)
            if found is None or len(line.split()) < model.min_words:
                continue
            scores = found[0]
            if scores[:indic].max() - scores[indic:].max() >= model.margin:
                fired += 1
                right += model.classes[int(np.argmax(scores[:indic]))] == code
        share = 100 * (right if code in INDIC else fired) / max(1, len(held[code]))
        label = "right" if code in INDIC else "taken as romanised Indic"
        print(f"{code}: {share:5.1f} % {label} ({len(held[code])} held-out lines)")


if __name__ == "__main__":
    main()
