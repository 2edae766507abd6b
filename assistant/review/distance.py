"""Normalised Levenshtein edit distance between a draft and the text an agent sent.

Pure Python, by Unicode code point after NFC normalisation, so a precomposed "é" and
"e" + combining accent count as the same character, and one CJK or Armenian letter
counts as one edit, never as several UTF-8 bytes. Uses the bit-parallel algorithm of
Myers (1999) in Hyyrö's formulation: Python's unbounded integers hold the whole
pattern, so a 2,000-character e-mail costs 2,000 big-integer steps, not 4 million cells.
"""

from __future__ import annotations

import unicodedata

__all__ = ["edit_distance", "levenshtein"]


def levenshtein(a: str, b: str) -> int:
    """Number of single code-point insertions, deletions or substitutions from a to b."""
    a, b = _trim_common(a, b)
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    return _myers(pattern=b, text=a)


def edit_distance(a: str, b: str) -> float:
    """Levenshtein distance divided by the longer length: 0.0 identical, 1.0 nothing shared.

    >>> edit_distance("kitten", "sitting")
    0.42857142857142855
    >>> edit_distance("你好世界", "你好")
    0.5
    """
    a = unicodedata.normalize("NFC", a)
    b = unicodedata.normalize("NFC", b)
    longest = max(len(a), len(b))
    if longest == 0:
        return 0.0
    return levenshtein(a, b) / longest


def _trim_common(a: str, b: str) -> tuple[str, str]:
    """Drop the shared prefix and suffix: they never change the distance."""
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return a[start : len(a) - end], b[start : len(b) - end]


def _myers(pattern: str, text: str) -> int:
    """Bit-parallel Levenshtein (Myers/Hyyrö); `pattern` must not be empty."""
    size = len(pattern)
    full = (1 << size) - 1
    last = 1 << (size - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score = full, 0, size
    for char in text:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = (ph << 1) | 1
        mh <<= 1
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv & full
    return score
