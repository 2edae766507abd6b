"""Malay words in mostly-English chat ("Manglish"): "I kena charged twice, please check".

Malaysians type English with Malay words and particles in it, and expect a Malay reply
(the dataset labels such messages `ms`). lingua reads them as English: the English
words outnumber the Malay ones. This module re-reads lingua's answer for such a text:

1. lingua must answer English, or Tagalog or Swahili (its usual answers for Malay
   chat), and the text must have an English frame (an English function word from
   `english_frame_words.txt`): the rule is about Malay inside English;
2. Malay markers (`manglish_markers.txt`, hand-weighted: 2 = enough alone, 1-1.5 = Malay
   but shared with Indonesian, 0.5 = also an English, Romance or Hindi word or a
   Singapore English particle) are summed over the text's distinct words; a marker
   directly followed by an English verb or "and" ("Kat and I", "tak was closed") is a
   name in subject position, not a Malay word;
3. the evidence must reach `_ENOUGH` with one marker of `_STRONG` weight, and grow with
   the text (`_SHARE` of its words), so one Malay word does not turn a long English
   message Malay;
4. Indonesian chat words (id_latn.txt: gak, udah, aja...), Tagalog markers and strong
   Roman-script Hindi markers veto the rule: those texts are left to their own signals.

Malay then leads with a confidence that grows with the evidence, and English is the
runner-up: a lone marker ("Can you hantar to my office?") is an unreliable Malay answer
(the reply language is worth a look), two or more are reliable.
"""

from __future__ import annotations

from assistant.language import romanised
from assistant.language.scripts import HINGLISH, TAGALOG_MARKERS

__all__ = ["evidence", "rescore"]

_MARKERS = "manglish_markers.txt"
_FRAME = "english_frame_words.txt"
_INDONESIAN = "id_latn.txt"
_ENOUGH = 2.0  # summed marker weight that can make an English-framed text Malay
_STRONG = 1.5  # and the weight of at least one of its markers
_SHARE = 0.08  # the evidence also needs this much weight per word of the text
_VETO = 1.0  # an Indonesian chat word or Hindi marker of this weight vetoes the rule
# Malay's confidence: _BASE + _SLOPE * evidence, at most _CAP. One marker of weight 2
# gives 0.54 against English's 0.46 (a near-tie, unreliable); 3.0 gives 0.59 (reliable).
_BASE = 0.44
_SLOPE = 0.05
_CAP = 0.9
# Words after which the word before is a subject (a name), not a Malay word.
_SUBJECT_NEXT = frozenset("was were is are has had and".split())
# lingua's answers this module re-reads: English, and the languages it gives Malay chat
# (a Dutch "tak" (branch) or French "je" in a Dutch or French text stays there). Malay and
# Indonesian answers are left to the Malay/Indonesian model.
_REREAD = ("en", "tl", "sw")


def evidence(tokens: list[str]) -> float:
    """Summed Malay-marker weight of an English-framed text's words; 0.0 if not Manglish.

    `tokens` are the lower-cased words of the text (`detect.word_tokens`).
    """
    frame = romanised.read_weights(_FRAME)
    if not any(token in frame for token in tokens) or _vetoed(tokens):
        return 0.0
    markers = romanised.read_weights(_MARKERS)
    found: dict[str, float] = {}
    for index, token in enumerate(tokens):
        weight = markers.get(token, 0.0)
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if weight and following not in _SUBJECT_NEXT:
            found[token] = weight
    total = sum(found.values())
    strong = max(found.values(), default=0.0) >= _STRONG
    if strong and total >= max(_ENOUGH, _SHARE * len(tokens)):
        return total
    return 0.0


def rescore(scores: dict[str, float], tokens: list[str]) -> dict[str, float] | None:
    """Malay first and English second for a Manglish text lingua did not read as Malay.

    None when lingua's answer is not one of `_REREAD` (Malay and Indonesian answers are
    the Malay/Indonesian model's to split), or the text is not Manglish.
    """
    top = max(scores, key=scores.__getitem__, default="")
    if top not in _REREAD:
        return None
    found = evidence(tokens)
    if not found:
        return None
    confidence = min(_CAP, _BASE + _SLOPE * found)
    return {"ms": confidence, "en": 1.0 - confidence}


def _vetoed(tokens: list[str]) -> bool:
    """Indonesian chat, Tagalog or Roman-script Hindi words: not Malay in English."""
    markers = romanised.read_weights(_MARKERS)
    indonesian = romanised.read_weights(_INDONESIAN)
    for token in tokens:
        if token in TAGALOG_MARKERS or HINGLISH.get(token, 0.0) >= _VETO:
            return True
        if indonesian.get(token, 0.0) >= _VETO and indonesian[token] > markers.get(token, 0.0):
            return True
    return False
