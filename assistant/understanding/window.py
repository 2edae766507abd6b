"""The part of a long message that is read to understand it: its head and its tail.

A message longer than `LIMIT` characters is UNDERSTOOD from a window of it, while the
SAFETY scans read all of it:

- from the window: language detection, FAQ retrieval and its embedding, guidance,
  sentiment, emotions, intent, urgency, register, escalation cues and hazards, the
  stated wait, conversation cues, the drafts and the checks that ask what the message
  is about (`checks.fit`, the verdict's answer and script);
- from the whole text: private data (`find_private_data`: a card number at character
  15,000 is still flagged and masked, and an order number given anywhere is never asked
  for again), injection markers, and what the grounding and injection checks compare a
  draft with (numbers and links the customer gave, instructions it must not echo).

Customers state the ask at the start, and often repeat it or sign off at the end, so
the window is the first `HEAD` characters and the last `TAIL` joined by a newline, each
cut at a sentence end or a space near the cut so no word is split. Short text (every
ordinary message: the dataset's longest is far below `LIMIT`) is returned unchanged,
and the window of a window is itself, so any stage may ask for it again.

The numbers. Understanding needs little: the dataset's longest message (dev split) is
409 characters, e5 embeds only the first 48 tokens of a message
(`embeddings.MESSAGE_TOKENS`), and the first 1,000 characters (about 170 words, three
times that message) hold the ask; the last 300 (two or three sentences) hold a repeated
ask or the sign-off. Smaller does not pay: `suggest()` on the worst 20,000-character
shape of `benchmarks/hostile.py` ('1 rue' + '1.'*), timed the benchmark's way with the
window varied (2026-12-07, shared 2-core machine), over the median short dev message:

    window (head + tail)    e5 (default)    lexical (embeddings=False)
    whole text (none)       3.7             23.1
    1,500 + 500             2.6 - 2.7       9.1 - 9.6
    1,000 + 300             2.4 - 2.5       8.6 - 9.0
      800 + 200             2.35 - 2.45     8.6 - 8.7

What is left is not the window's: the whole-text scans (private data about 22 ms and
injection about 15 ms on that shape) and e5's 64-token query (about 50 ms, where a short
message's takes about 17 ms), against a median of about 45 ms (e5) and 5 ms (lexical).
`Suggestion.notes` tells the agent when a window was read (`window_note`), so nothing
is silently left out.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Characters read from the start of a long message.
HEAD = 1_000
#: Characters read from its end.
TAIL = 300
#: Joins head and tail (detection and cue matching see a line break, not a word).
JOINER = "\n"
#: A text this long or shorter is read whole; no window is longer.
LIMIT = HEAD + len(JOINER) + TAIL
#: How far a cut may move back (head) or forward (tail) to reach a boundary.
SLACK = 100
#: Characters that end a sentence when a space follows (Latin, Arabic, Devanagari).
SENTENCE_ENDS = frozenset(".!?;؟।…")
#: Characters that end a sentence by themselves (CJK punctuation, line breaks).
CLOSED_ENDS = frozenset("。！？\n")


def reading_window(text: str) -> str:
    """`text` itself when at most `LIMIT` characters, else its head and tail (module doc)."""
    return text if len(text) <= LIMIT else _head_and_tail(text)


@lru_cache(maxsize=32)  # every stage asks for the window of the same long message
def _head_and_tail(text: str) -> str:
    head = text[: _head_end(text)].rstrip()
    tail = text[_tail_start(text) :].lstrip()
    return head + JOINER + tail


def is_windowed(text: str) -> bool:
    """Whether `reading_window(text)` leaves part of `text` out."""
    return len(text) > LIMIT


def window_note(text: str) -> str | None:
    """What the agent should know when the drafts answer a window of the message."""
    if not is_windowed(text):
        return None
    return (
        f"long message ({len(text):,} characters): the drafts answer its first "
        f"{HEAD:,} and last {TAIL:,} characters; private data and instructions to the "
        "assistant were checked in all of it"
    )


def _head_end(text: str) -> int:
    """Where the head ends: the last sentence end within `SLACK` before `HEAD`, else the
    last space there, else `HEAD` itself (moved back out of a combining sequence)."""
    cuts = range(HEAD, HEAD - SLACK, -1)
    found = next((i for i in cuts if _ends_sentence(text, i)), None)
    found = found or next((i for i in cuts if text[i].isspace()), None)
    return found or _outside_cluster(text, HEAD, -1)


def _tail_start(text: str) -> int:
    """Where the tail starts: the first sentence start within `SLACK` after the cut,
    else the first word start there, else the cut (moved past a combining sequence)."""
    cut = len(text) - TAIL
    cuts = range(cut, cut + SLACK)
    found = next((i for i in cuts if _ends_sentence(text, i)), None)
    found = found or next((i for i in cuts if text[i - 1].isspace()), None)
    return found or _outside_cluster(text, cut, 1)


def _ends_sentence(text: str, i: int) -> bool:
    """A sentence ends just before position `i`."""
    before = text[i - 1]
    return before in CLOSED_ENDS or (before in SENTENCE_ENDS and text[i].isspace())


def _outside_cluster(text: str, i: int, step: int) -> int:
    """`i`, moved by `step` while it would split a character from its combining marks
    (at most `SLACK` characters)."""
    for _ in range(SLACK):
        if not _joins_previous(text[i]):
            break
        i += step
    return i


def _joins_previous(char: str) -> bool:
    """A combining mark or joiner belongs to the character before it."""
    return unicodedata.combining(char) != 0 or char in "\u200c\u200d\ufe0f"
