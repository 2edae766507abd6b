"""Refit the Malay-vs-Indonesian word weights shipped as assistant/data/language/msid_words.tsv.

    python -m benchmarks.fit_msid [--shared ../shared/benchmarks] [--out PATH]

Naive Bayes log-odds (Malay over Indonesian) of each word, from the even lines of
../shared/benchmarks/msid/{ms,id}.txt (the odd lines are left for the benchmark).
Only words seen in at least `MIN_DOCS` sentences are written, with their weight;
no sentence goes into the file. `detect_language` adds `SCALE` times the summed
weights of a text's words to its Malay/Indonesian evidence, beside the hand-written
marker lists (markers_ms.txt, markers_id.txt).
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
    args = parser.parse_args()
    lines = {code: _even_lines(args.shared / "msid" / f"{code}.txt") for code in ("ms", "id")}
    weights = fit(lines["ms"], lines["id"])
    save(weights, args.out)
    print(f"wrote {args.out}: {len(weights)} words from {sum(map(len, lines.values()))} lines")


def fit(malay: list[str], indonesian: list[str]) -> dict[str, float]:
    """Each word's clipped log-odds of appearing in a Malay rather than an Indonesian line."""
    counts = {
        "ms": Counter(word for line in malay for word in set(word_tokens(line))),
        "id": Counter(word for line in indonesian for word in set(word_tokens(line))),
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
