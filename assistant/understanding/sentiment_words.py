"""The word view of sentiment: hashed word and character n-grams, naive-Bayes log-odds.

A second, cheap reading of the text beside the e5 head (`sentiment.py`): the text is
lower-cased (links, @mentions and letters repeated 3+ times normalised), cut into words
and single symbols (emoji, "!"), and every word, word pair and character 3-5-gram of a
word is hashed (CRC-32, deterministic across runs and machines) into 2**bits buckets.
Each bucket holds three numbers, the per-class log-probabilities of a binarised
multinomial naive Bayes centred over the classes, fitted on real tweets by
`benchmarks/fit_sentiment.py`; the view's logits are their sum over the text's distinct
buckets divided by the square root of their number. No word list ships: only numbers (int8
steps of one scale in `sentiment_head.npz`).
"""

from __future__ import annotations

import itertools
import re
import zlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_REPEAT = re.compile(r"(.)\1{2,}")
_TOKEN = re.compile(r"\w+|[^\w\s]")
CHAR_NGRAMS = (3, 4, 5)


def tokens(text: str) -> list[str]:
    """Lower-cased words and single symbols; links and @mentions as one token each."""
    text = _MENTION.sub(" @user ", _URL.sub(" url ", text.lower()))
    return _TOKEN.findall(_REPEAT.sub(r"\1\1", text))


def ngrams(text: str) -> list[str]:
    """Words, word pairs and character 3-5-grams of each word (with its edges)."""
    words = tokens(text)
    grams = ["w:" + w for w in words]
    grams += ["b:" + a + " " + b for a, b in itertools.pairwise(words)]
    for word in words:
        if len(word) < 2 or not word[0].isalnum():
            continue
        padded = f" {word} "
        for n in CHAR_NGRAMS:
            grams += ["c:" + padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


def buckets(text: str, bits: int) -> NDArray[np.int64]:
    """The distinct hash buckets of the text's n-grams (sorted)."""
    mask = (1 << bits) - 1
    hashed = [zlib.crc32(gram.encode("utf-8")) & mask for gram in ngrams(text)]
    return np.unique(np.array(hashed, dtype=np.int64))


@dataclass(frozen=True)
class WordView:
    """Centred per-class log-probabilities (3 x 2**bits) of the hashed n-grams."""

    log_odds: NDArray[np.float32]

    @property
    def bits(self) -> int:
        return int(self.log_odds.shape[1]).bit_length() - 1

    def logits(self, text: str) -> NDArray[np.float64]:
        """(negative, neutral, positive) log-odds of the text, length-normalised; zeros for
        a text without words."""
        found = buckets(text, self.bits)
        if not len(found):
            return np.zeros(3)
        summed = self.log_odds[:, found].astype(np.float64).sum(axis=1)
        return np.asarray(summed / np.sqrt(len(found)), dtype=np.float64)
