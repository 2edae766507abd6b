"""How far below the trigram screen's leader a language may be left out of lingua's decision.

    python -m benchmarks.fit_screen   (about two minutes; prints one table, writes nothing)

`assistant.language.detect` ranks its lingua languages with lingua's trigram model (low-
accuracy mode, cheap to load) and builds the high-accuracy detector, whose uni- to fivegram
models are most of a cold start, only from the languages whose screen confidence is at
least `_SCREEN_RATIO` times the leader's (plus family siblings). lingua scores each
language on its own and normalises over the detector's languages, so leaving a language
out renormalises the others; this script measures what that costs for several ratios,
against the full 21-language detector on the same text:

- "top changed": the best language after the prior differs (answers lost / won vs gold);
- "reliable flipped": confidence >= 0.5 with a 0.15 lead holds on one side only;
- "moved > 0.05": the answer's confidence moved by more than 0.05;
- "kept": languages in the decisive detector (of 14 for Latin text), mean and 90th pct.

Data (outside the repository): the even lines of ../shared/benchmarks/langid words,
word pairs and sentences for the languages lingua decides, msid even lines (whole and
first six words), every 4th tweet of sentiment/{en,es,pt,fr,de}, and the evaluation
dataset's dev messages. benchmarks/langid.py reports the odd lines too.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from typing import Any

from assistant.language.detect import _MODEL_LANGUAGES, _PRIOR
from assistant.language.noise import strip_noise
from assistant.language.scripts import FAMILIES
from benchmarks._util import ROOT
from benchmarks.langid import SHARED, _lines, _tweets

RATIOS = (1e-6, 1e-7, 2e-9, 1e-10, 1e-12)
LINGUA = ("en", "es", "fr", "de", "pt", "it", "nl", "ms", "id", "tl", "vi", "tr", "sw", "pl",
          "ar", "fa", "ur", "ru", "uk", "hi")  # fmt: skip


def _texts() -> list[tuple[str, str, str]]:
    texts = [
        (kind, code, line)
        for kind in ("single-words", "word-pairs", "sentences")
        for code in LINGUA
        for line in _lines(kind, code)[::2]
    ]
    for code in ("ms", "id"):
        path = SHARED / "msid" / f"{code}.txt"
        lines = path.read_text(encoding="utf-8").splitlines()[::2][:400]
        texts += [("msid", code, line) for line in lines]
        texts += [("msid six words", code, " ".join(line.split()[:6])) for line in lines]
    texts += [
        ("tweets", code, t) for code in ("en", "es", "pt", "fr", "de") for t in _tweets(code)[::4]
    ]
    messages = ROOT / "evaluation" / "datasets" / "messages.jsonl"
    rows = [json.loads(line) for line in messages.read_text(encoding="utf-8").splitlines()]
    texts += [("dev messages", r["language"], r["text"]) for r in rows if r["split"] == "dev"]
    return [(kind, code, strip_noise(text)[:2000]) for kind, code, text in texts]


def _scores(
    texts: list[tuple[str, str, str]],
) -> list[tuple[str, str, dict[str, float], dict[str, float]]]:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = [getattr(IsoCode639_1, code.upper()) for code in _MODEL_LANGUAGES]
    full = LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()
    screen = LanguageDetectorBuilder.from_iso_codes_639_1(*isos).with_low_accuracy_mode().build()

    def values(detector: Any, text: str) -> dict[str, float]:
        found = detector.compute_language_confidence_values(text)
        return {v.language.iso_code_639_1.name.lower(): v.value for v in found}

    return [(kind, code, values(full, t), values(screen, t)) for kind, code, t in texts]


def _with_prior(scores: dict[str, float]) -> dict[str, float]:
    raw = {c: v * _PRIOR.get(c, 1.0) for c, v in scores.items() if v > 0}
    total = sum(raw.values())
    return {c: v / total for c, v in raw.items()} if total else {}


def _kept(screened: dict[str, float], ratio: float) -> set[str] | None:
    best = max(screened.values(), default=0.0)
    if best <= 0:
        return None
    kept = {c for c, v in screened.items() if v > 0 and v >= best * ratio}
    for family in FAMILIES:
        if kept.intersection(family):
            kept.update(family)
    return kept


def _reliable(scores: dict[str, float]) -> bool:
    top = [*sorted(scores.values(), reverse=True), 0.0, 0.0]
    return top[0] >= 0.5 and top[0] - top[1] >= 0.15


def _row(
    rows: list[tuple[str, str, dict[str, float], dict[str, float]]], ratio: float
) -> dict[str, list[float]]:
    stats: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    sizes: dict[str, list[int]] = defaultdict(list)
    for kind, code, full, screened in rows:
        kept = _kept(screened, ratio)
        before = _with_prior(full)
        after = (
            before if kept is None else _with_prior({c: v for c, v in full.items() if c in kept})
        )
        first = max(before, key=before.__getitem__, default="")
        second = max(after, key=after.__getitem__, default="")
        s = stats[kind]
        s[0] += 1
        s[1] += first != second
        s[2] += first == code and second != code
        s[3] += first != code and second == code
        s[4] += _reliable(before) != _reliable(after)
        s[5] += bool(first) and first == second and abs(after[second] - before[first]) > 0.05
        sizes[kind].append(len(kept) if kept is not None else sum(v > 0 for v in full.values()))
    for kind, s in stats.items():
        ordered = sorted(sizes[kind])
        s += [sum(ordered) / len(ordered), ordered[int(0.9 * len(ordered))]]
    return stats


def main() -> None:
    rows = _scores(_texts())
    header = "texts  top changed (lost/won)  reliable flipped  moved>0.05  kept mean / p90"
    for ratio in RATIOS:
        print(f"\nratio {ratio:g} (e**{math.log(ratio):.1f}):   {header}")
        for kind, s in _row(rows, ratio).items():
            print(
                f"  {kind:16s} {s[0]:5.0f}  {s[1]:4.0f} ({s[2]:.0f}/{s[3]:.0f})  {s[4]:16.0f}  "
                f"{s[5]:10.0f}  {s[6]:5.1f} / {s[7]:.0f}"
            )


if __name__ == "__main__":
    main()
