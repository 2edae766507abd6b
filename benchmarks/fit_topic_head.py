"""Refit the topic head (assistant/data/understanding/topic_head.npz).

Usage: python -m benchmarks.fit_topic_head [--cache DIR]

Data: the sample brand's FAQ question variants (label: the entry) and the dev split of
`evaluation/datasets/messages.jsonl` (label: `faq_id`, or "none" when no entry fits); the
test split is never read. Every text is embedded as the pipeline embeds a message (the e5
query vector of `searchable(text)`, cached under --cache).

The head is linear discriminant analysis with a shared, shrunk covariance, as the
sentiment head (`fit_sentiment.py`): closed form and deterministic. The settings
(shrinkage, weight of a dev message against a question variant) are chosen by accuracy
in 5-fold cross-validation over the dev messages (the variants always in the fit), and
the chosen setting is refitted on everything. First chosen 2026-12-07 with the 385 dev
messages before the 300 fresh ones joined: shrinkage 0.2, dev weight 3: 87.8 % in
cross-validation, and 74.3 % on the 300 fresh messages it had not seen. The check
threshold (`checks/fit.py` MODEL_LOW) was read off the same fresh messages with that
fit. Refitted the same day on all 685 dev messages (the fresh ones included): shrinkage
0.4, dev weight 3, 81.6 % in cross-validation (0.2 ties). Refitted the same day on 817
dev messages (132 more fresh ones in hi, ar, gu, ms and es): shrinkage 0.2, dev weight 3,
84.7 % in cross-validation; and again on 901 (84 fresh ones in bn, te, hy, de, pt and id):
shrinkage 0.4, dev weight 3, 83.6 %; and on 991 (90 fresh ones in en, fr, ja, zh, hi, gu
and bn): shrinkage 0.4, dev weight 3, 84.8 %. That head read 224 of the 280 dev messages
written fresh the next session (80.0 %) before they joined; refitted on all 1,346 dev
messages: shrinkage 0.4, dev weight 3, 85.0 %. That head read 175 of the next 224 fresh
ones (78.1 %, harder batches: two asks, sarcasm, slang, private data, romanised text)
before they joined; refitted on all 1,570: shrinkage 0.2, dev weight 3, 84.6 %. That
head read 110 of the next 120 (91.7 %: calm questions, near misses, formal letters, short
chat, X posts); refitted on all 1,690: shrinkage 0.2, dev weight 3, 84.9 %. That head
read 98 of the next 106 (92.5 %: en, zh, hi, es and pt) before they joined; refitted on
all 1,796: shrinkage 0.2, dev weight 3, 85.2 %, no dev send-ready verdict changed. That
head read 129 of the next 170 (75.9 %: e-mails, praise beside a complaint, near misses,
two asks; every language) before they joined; refitted on all 1,966: shrinkage 0.4, dev
weight 3, 84.5 %; one dev send-ready verdict changed (`es-273`, a sarcastic double charge
"y encima nadie contesta": the head no longer confirms the charge beside the repeated
contact, so the reply is the escalation alone). That head read 115 of the next 146 fresh
ones (78.8 %: e-mails, sarcasm, near misses, everyday words not the FAQ's; en, ar, es, gu
and 4 in each other language) before they joined; refitted on all 2,172: shrinkage 0.4,
dev weight 3, 83.9 %; one dev send-ready verdict changed, back (`es-273` gained). That
head read 70 of the next 96 (72.9 %: two thirds ordinary questions in everyday words; en,
ar, es, gu, zh, bn) before they joined; refitted on all 2,268: shrinkage 0.4, dev weight
3, 83.7 %; `es-273` lost again (a sarcastic double charge beside a repeated contact, on
the edge of the head's confirmation), no other verdict changed. That head read 110 of
the next 160 (68.8 %: 35 of 48, 35 of 48, and 40 of 64 sarcastic, mixed, safety and
praise messages, where emotion outweighs the topic in the embedding) before they joined;
refitted on all 2,428: shrinkage 0.2, dev weight 3, 82.9 %; `es-273` gained again, no
other verdict changed. The shipped head is this one. With each
of the 817
drafted by a head fitted without its fold (out of fold), the fit check flagged 46 of 478
right drafts (10 %; 8 with a head that had seen them): in-sample dev figures flatter it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from benchmarks._util import ROOT
from benchmarks.fit_sentiment import embed

MESSAGES = ROOT / "evaluation" / "datasets" / "messages.jsonl"
OUT = ROOT / "assistant" / "data" / "understanding" / "topic_head.npz"
SHRINKAGE = (0.05, 0.1, 0.2, 0.4)
DEV_WEIGHT = (1.0, 3.0)
FOLDS = 5
Array = NDArray[np.float64]


def fit(
    x: Array, y: NDArray[np.int64], weight: Array, shrinkage: float, n: int
) -> tuple[Array, Array]:
    """Weights (d, n) and bias (n) of weighted LDA with a shared, shrunk covariance."""
    d = x.shape[1]
    share = weight / weight.sum()
    means, prior = np.zeros((n, d)), np.full(n, 1e-9)
    for label in range(n):
        rows = y == label
        if rows.any():
            prior[label] = share[rows].sum()
            means[label] = (share[rows, None] * x[rows]).sum(0) / prior[label]
    residual = x - means[y]
    covariance = (residual * share[:, None]).T @ residual
    covariance = (1 - shrinkage) * covariance + shrinkage * np.trace(covariance) / d * np.eye(d)
    weights = np.linalg.solve(covariance, means.T)
    bias = -0.5 * np.sum(means.T * weights, axis=0) + np.log(prior)
    return weights, bias


def main() -> None:
    from assistant.knowledge import load_knowledge_base
    from assistant.understanding.embeddings import default_embedder
    from assistant.understanding.topic_head import NO_ENTRY

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "fit-topic-head")
    args = parser.parse_args()
    kb = load_knowledge_base()
    labels = [*kb.faq, NO_ENTRY]
    variants = [
        (q, labels.index(f)) for f, e in kb.faq.items() for qs in e.questions.values() for q in qs
    ]
    dev = [json.loads(line) for line in MESSAGES.read_text(encoding="utf-8").splitlines()]
    dev = [row for row in dev if row["split"] == "dev"]
    xv = embed([t for t, _ in variants], "variants", args.cache)
    yv = np.array([label for _, label in variants])
    xd = embed([row["text"] for row in dev], "dev", args.cache)
    yd = np.array([labels.index(row["faq_id"] or NO_ENTRY) for row in dev])
    fold = np.arange(len(dev)) % FOLDS
    best = (-1.0, 0.0, 0.0)
    for shrinkage in SHRINKAGE:
        for dev_weight in DEV_WEIGHT:
            right = 0
            for k in range(FOLDS):
                train = fold != k
                x = np.vstack([xv, xd[train]])
                y = np.concatenate([yv, yd[train]])
                w = np.concatenate([np.ones(len(yv)), np.full(int(train.sum()), dev_weight)])
                weights, bias = fit(x, y, w, shrinkage, len(labels))
                right += int(((xd[~train] @ weights + bias).argmax(1) == yd[~train]).sum())
            accuracy = right / len(dev)
            print(f"shrinkage {shrinkage} dev weight {dev_weight}: {accuracy:.1%} in CV")
            best = max(best, (accuracy, shrinkage, dev_weight))
    _, shrinkage, dev_weight = best
    w = np.concatenate([np.ones(len(yv)), np.full(len(yd), dev_weight)])
    weights, bias = fit(np.vstack([xv, xd]), np.concatenate([yv, yd]), w, shrinkage, len(labels))
    np.savez_compressed(
        OUT,
        weights=weights.astype(np.float32),
        bias=bias.astype(np.float32),
        labels=np.array(labels),
        embedder_id=np.array(default_embedder().id),
    )
    print(f"chose shrinkage {shrinkage}, dev weight {dev_weight} ({best[0]:.1%}); wrote {OUT}")


if __name__ == "__main__":
    main()
