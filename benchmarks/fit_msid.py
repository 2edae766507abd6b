"""Refit the Malay-vs-Indonesian word weights shipped as assistant/data/language/msid_words.tsv.

    python -m benchmarks.fit_msid [--shared ../shared/benchmarks] [--out PATH] [--cv]

Naive Bayes log-odds (Malay over Indonesian) of each word, from the even lines of
../shared/benchmarks/msid/{ms,id}.txt (the odd lines are left for the benchmark).
Only words seen in at least `MIN_DOCS` sentences are written, with their weight;
no sentence goes into the file. `detect_language` adds `SCALE` times the summed
weights of a text's words to its Malay/Indonesian evidence, beside the hand-written
marker lists (markers_ms.txt, markers_id.txt).

`--cv` writes nothing: it scores the fitted model alone by 5-fold cross-validation on
the even lines, on whole lines and on their first six words, over words and over
words plus character 3-5-grams (measured, balanced accuracy whole / six words: words
95.8 / 78.0 %, words and n-grams 92.6 / 79.2 %). lingua alone gets 89 % on six words of
the same lines, and added to lingua and the markers with any weight, neither model
(nor a logistic regression on the same features, trained on six-word windows) gained
more than 0.6 point in cross-validation, inside the noise of 500 lines; so the word
weights are used on texts of ten words or more only.
"""

from __future__ import annotations

import argparse
import math
from collections import Counter
from pathlib import Path

from assistant.language.detect import word_tokens

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
OUT = Path(__file__).resolve().parents[1] / "assistant" / "data" / "language" / "msid_words.tsv"
ALPHA = 0.5
MIN_DOCS = 2
MIN_WEIGHT = 0.3  # words that barely lean either way are left out
CLIP = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cv", action="store_true", help="cross-validate, write nothing")
    args = parser.parse_args()
    lines = {code: _even_lines(args.shared / "msid" / f"{code}.txt") for code in ("ms", "id")}
    if args.cv:
        for grams in (False, True):
            full, six = cross_validate(lines["ms"], lines["id"], grams)
            label = "words + char 3-5-grams" if grams else "words"
            print(f"{label}: balanced accuracy {full:.1f} % whole lines, {six:.1f} % six words")
        return
    weights = fit(lines["ms"], lines["id"])
    save(weights, args.out)
    print(f"wrote {args.out}: {len(weights)} words from {sum(map(len, lines.values()))} lines")


def fit(malay: list[str], indonesian: list[str], grams: bool = False) -> dict[str, float]:
    """Each word's clipped log-odds of appearing in a Malay rather than an Indonesian line.

    With `grams`, character 3-5-grams of the words too (only `--cv` uses them).
    """
    counts = {
        "ms": Counter(f for line in malay for f in _features(line, grams)),
        "id": Counter(f for line in indonesian for f in _features(line, grams)),
    }
    vocabulary = set(counts["ms"]) | set(counts["id"])
    totals = {
        code: sum(counter.values()) + ALPHA * len(vocabulary) for code, counter in counts.items()
    }
    weights = {}
    for word in sorted(vocabulary):
        if counts["ms"][word] + counts["id"][word] < MIN_DOCS or not any(map(str.isalpha, word)):
            continue
        log_ms = math.log((counts["ms"][word] + ALPHA) / totals["ms"])
        log_id = math.log((counts["id"][word] + ALPHA) / totals["id"])
        weight = max(-CLIP, min(CLIP, log_ms - log_id))
        if abs(weight) >= MIN_WEIGHT:
            weights[word] = round(weight, 2)
    return weights


def cross_validate(
    malay: list[str], indonesian: list[str], grams: bool, folds: int = 5
) -> tuple[float, float]:
    """Balanced accuracy (whole lines, first six words) of the model alone, by k-fold CV."""
    hits: dict[tuple[str, bool], list[bool]] = {}
    for fold in range(folds):
        train = [[t for i, t in enumerate(s) if i % folds != fold] for s in (malay, indonesian)]
        weights = fit(*train, grams=grams)
        for code, lines in (("ms", malay), ("id", indonesian)):
            for line in lines[fold::folds]:
                for six in (False, True):
                    text = " ".join(line.split()[:6]) if six else line
                    lean = sum(weights.get(f, 0.0) for f in _features(text, grams))
                    hits.setdefault((code, six), []).append((lean > 0) == (code == "ms"))
    score = {
        six: 50 * sum(sum(hits[c, six]) / len(hits[c, six]) for c in ("ms", "id"))
        for six in (False, True)
    }
    return score[False], score[True]


def _features(text: str, grams: bool) -> set[str]:
    words = set(word_tokens(text))
    if grams:
        padded = [f" {word} " for word in words]
        words |= {p[i : i + n] for p in padded for n in (3, 4, 5) for i in range(len(p) - n + 1)}
    return words


def save(weights: dict[str, float], path: Path) -> None:
    """One "word<TAB>weight" line per word (positive: Malay), after a comment header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "# Malay-over-Indonesian log-odds per word; refit with python -m benchmarks.fit_msid\n"
    body = "".join(f"{word}\t{weight}\n" for word, weight in weights.items())
    path.write_text(header + body, encoding="utf-8")


def _even_lines(path: Path) -> list[str]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[0::2]


if __name__ == "__main__":
    main()
