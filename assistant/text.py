"""The one text matcher: words, phrases and sentences in every script.

Analysis, retrieval and the checks all match through this module, so a cue word, an
escalation keyword and a banned phrase are found by the same rules:

- Text and phrases are compared after NFKC + casefold (`normalize`): full-width and
  half-width forms, ligatures and case stop mattering. Spans are always reported in the
  original text (`fold` keeps a map from each normalised character back to it).
- A phrase matches whole words. Python's `\\w` misses combining marks (Indic vowel signs
  and viramas, Arabic harakat, Hebrew points, Cyrillic titlo, kana voicing marks) and
  ZWJ/ZWNJ, which would split "ఆర్డర్" or "תּוֹדָה" into pieces; `MARKS` adds them back.
  The danda (।) is punctuation: "धन्यवाद।" still matches "धन्यवाद".
- Han, kana (full and half width) and Hangul are written without spaces: phrases in
  them match as substrings, and they are not letters of a neighbouring Latin word
  ("DM" is a whole word in "番号をDMにて").
- A phrase ending in `*` matches as a prefix ("refund*": refunds, refunded), which also
  covers suffixing languages (Telugu "నంబర్‌ను", Armenian "օրում"). Any run of spaces
  matches the space between two words of a phrase.

Every pattern is an alternation of literals with one-character look-arounds: matching
is linear in the length of the text.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import threading
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import BinaryIO

from assistant.errors import FileError, InputError, UserError
from assistant.pattern_cache import compiled_as
from assistant.resources import data_path

Range = tuple[int, int]

# Combining marks of the scripts the brands write in, without the danda (U+0964/5).
MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0963\u0966-\u0dff\u0e00-\u0e7f\u1ab0-\u1aff\u200c\u200d\u3099\u309a"
    "\uff9e\uff9f"
)
CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f"
CJK = re.compile(f"[{CJK_RANGES}]")
_CJK_RUN = re.compile(f"[{CJK_RANGES}]+")
_BEFORE = rf"(?<![\w{MARKS}])"
_AFTER = rf"(?![\w{MARKS}])"
_REST = rf"[\w{MARKS}]*"
_WORDLIKE = re.compile(rf"[\w{MARKS}]")
# A phrase of Han or kana that starts or ends in a digit or Latin letter ("2回", "3天")
# is matched in the text as written, where Han and kana are word characters too: its
# boundary looks only at a digit or letter of another script ("が2回計上" has "2回").
_NOT_CJK_WORD = rf"[^\W{CJK_RANGES}]|[{MARKS}]"
_BEFORE_CJK = rf"(?<!{_NOT_CJK_WORD})"
_AFTER_CJK = rf"(?!{_NOT_CJK_WORD})"
_REST_CJK = rf"(?:{_NOT_CJK_WORD})*"
_WORDLIKE_CJK = re.compile(_NOT_CJK_WORD)
LETTER = rf"(?:[^\W\d_]|[{MARKS}])"
_WORD = re.compile(rf"{LETTER}+(?:['’]{LETTER}+)?|\d+")
PREFIX = 5
GRAM = 3
# Bounded repeats: an unbounded `[\w.+-]+@` backtracks quadratically on a long word.
_NOISE = re.compile(
    r"https?://\S+|www\.\S+|@\w+|[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,253}"
    r"|[\d+()#-][\d\s()+-]{4,64}"
)


# --- normalisation -------------------------------------------------------------------


# Optional vowel points: Hebrew niqqud and cantillation, Arabic harakat, the dagger alif
# and the tatweel (a stretching stroke). Customers rarely type them; texts sometimes do.
# Also Armenian's emphasis, exclamation and question marks (U+055B, U+055C, U+055E),
# written over the stressed vowel INSIDE a word: "ուղարկու՞մ եք" is "ուղարկում եք" asked.
_OPTIONAL = re.compile(
    "[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0640\u064b-\u065f\u0670\u055b\u055c\u055e]"
)


def normalize(text: str, case: bool = True) -> str:
    """NFKC + casefold, without optional vowel points, Traditional Chinese characters in
    their Simplified form and Arabic letter variants in one form (`ARABIC_VARIANTS`):
    full-width forms, ligatures, case, niqqud or harakat, Traditional or Simplified Han
    and a hamza on the alif stop mattering (`case=False` keeps the case)."""
    text = unicodedata.normalize("NFKC", text)
    return _simplified(_OPTIONAL.sub("", text.casefold() if case else text))


#: Traditional -> Simplified Han, one character each (data/language/zh_hant_hans.tsv).
HANT_FILE = ("language", "zh_hant_hans.tsv")


#: Arabic letters customers write either way, folded to one (one character each): the
#: alif with or without a hamza or madda ("أرجعه" / "ارجعه"), the final yaa with or without
#: dots ("فى" / "في") and the taa marbuta written as haa ("مكسورة" / "مكسوره"), as in
#: Arabic search engines' light normalisation. Word lists then match however the customer
#: typed them (60 fresh Arabic messages: "ينفع أرجعه" missed the listed "ارجعه").
ARABIC_VARIANTS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}


@lru_cache(maxsize=1)
def _hant_table() -> dict[int, str]:
    table: dict[int, str] = {ord(k): v for k, v in ARABIC_VARIANTS.items()}
    for line in data_path(*HANT_FILE).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            traditional, simplified = line.split("\t")
            table[ord(traditional)] = simplified
    return table


def _simplified(text: str) -> str:
    """`text` with Traditional Chinese characters in their Simplified form and Arabic
    letter variants folded (`ARABIC_VARIANTS`; same length)."""
    return text if text.isascii() else text.translate(_hant_table())


@dataclass(frozen=True)
class Folded:
    """A normalised text and, for each of its characters, the span it came from."""

    text: str
    starts: array[int] | None = None  # None: character i came from character i
    ends: array[int] | None = None

    def span(self, start: int, end: int) -> Range:
        """The span in the original text of the normalised span `start:end`."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:  # an empty match, possibly at the very end
            position = self.starts[start] if start < len(self.starts) else self.ends[-1]
            return position, position
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=1)
def _segment() -> re.Pattern[str]:
    """A character and the combining marks after it (built once, on first need)."""
    marks = [chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c))[0] == "M"]
    marks += ["\uff9e", "\uff9f"]  # half-width voiced marks are letters (Lm) in Unicode
    return re.compile("(?s).[" + "".join(re.escape(m) for m in marks) + "]*")


@lru_cache(maxsize=4096)
def _fold_piece(piece: str, case: bool) -> str:
    return normalize(piece, case)


@lru_cache(maxsize=128)  # at most ~20 MB for texts at the 20,000-character limit
def fold(text: str, case: bool = True) -> Folded:
    """`text` normalised (NFKC, casefolded unless `case=False`) with a map back to it.

    Each base character and its combining marks are normalised together, so a mark that
    composes ("ｶﾞ" -> "ガ", "ে"+"া" -> "ো") stays with its letter; optional vowel points
    map to nothing ("شكراً" is "شكرا", "תּוֹדָה" is "תודה").
    """
    if unicodedata.is_normalized("NFKC", text) and not _OPTIONAL.search(text):
        folded = _simplified(text.casefold() if case else text)
        if len(folded) == len(text):  # casefold maps no character to zero characters
            return Folded(folded, None, None)
    # The segments cover the text end to end, so their ends are their running lengths.
    segments = _segment().findall(text)
    pieces = [_fold_piece(segment, case) for segment in segments]
    bounds = list(accumulate(map(len, segments)))
    folded = "".join(pieces)
    if set(map(len, pieces)) == {1}:  # one character for each segment (CJK, full-width)
        return Folded(folded, array("i", [0, *bounds[:-1]]), array("i", bounds))
    starts: array[int] = array("i")
    ends: array[int] = array("i")
    start = 0
    for end, piece in zip(bounds, pieces, strict=True):
        starts.extend([start] * len(piece))
        ends.extend([end] * len(piece))
        start = end
    return Folded(folded, starts, ends)


@lru_cache(maxsize=256)
def latin_view(text: str) -> str:
    """`text` with Han, kana and Hangul blanked out (same length).

    Those scripts need no spaces, so "DM" is a whole word in "番号をDMにて"; blanking
    them keeps word boundaries simple (a class "word but not Han" compiles very slowly).
    Kept for the last texts: a check looks for each of its phrases in the same draft.
    """
    return _CJK_RUN.sub(lambda m: "\x00" * len(m.group()), text)


_DIGIT_BLOCKS = (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0C66, 0x0CE6, 0x0D66, 0xFF10)
_TABLE: dict[int, str] = {start + i: str(i) for start in _DIGIT_BLOCKS for i in range(10)}
_TABLE.update({ord(k): v for k, v in zip("٪％٫٬～〜－：／＄￥，．", "%%.,~~-:/$¥,.", strict=True)})


def ascii_digits(text: str) -> str:
    """`text` with native digits (Devanagari, Arabic-Indic, full-width...) made ASCII,
    one character for one, so spans survive."""
    return text.translate(_TABLE)


# --- phrases ---------------------------------------------------------------------------


def _needs_boundary(char: str) -> bool:
    return bool(_WORDLIKE.match(char)) and not CJK.match(char)


def is_cjk(phrase: str) -> bool:
    """True when `phrase` has Han, kana or Hangul: it then matches as a substring."""
    return CJK.search(phrase) is not None


@lru_cache(maxsize=8192)
def _parts(phrase: str, case: bool) -> tuple[bool, str, str] | None:
    """(boundary before?, escaped body, what follows) of a phrase, or None if empty.

    What follows is "end" (a word boundary), "rest" (a prefix: the rest of the word is
    part of the match) or "" (the phrase ends in Han, kana or punctuation).
    """
    units = _units(phrase, case)
    if units is None:
        return None
    needle = normalize(phrase, case).strip().strip("〜~").strip()
    prefix = needle.endswith("*")
    needle = needle.rstrip("*").strip()
    tail = "" if not _needs_boundary(needle[-1]) else "rest" if prefix else "end"
    return _needs_boundary(needle[0]), "".join(units), tail


_SPACES = r"\s+"


@lru_cache(maxsize=8192)
def _units(phrase: str, case: bool) -> tuple[str, ...] | None:
    """A phrase's body as pattern pieces: each character escaped, `\\s+` between words."""
    needle = normalize(phrase, case).strip().strip("〜~").strip().rstrip("*").strip()
    if not needle:
        return None
    units: list[str] = []
    for part in needle.split():
        units += [_SPACES] if units else []
        units += [re.escape(char) for char in part]
    return tuple(units)


def _alternation(phrases: list[str], case: bool) -> str:
    """One kind's phrases (longest first) as one group: a trie of their pieces when that
    finds what the flat alternation finds, else the flat alternation.

    At each position a regex tries the alternatives of a group one by one; sharing their
    first characters ("refund", "refunded", "return") halves the scans of a draft. Two
    phrases can match at the same place only when one's pieces begin the other's; the
    flat list tries the longer raw phrase first and the trie the longer pieces, which
    agree unless a raw phrase is no longer than one whose pieces begin its own (then the
    flat list stays)."""
    if max(len(_units(p, case) or ()) for p in phrases) > _DEEPEST:
        return "(?:" + "|".join("".join(_units(p, case) or ()) for p in phrases) + ")"
    root: _Trie = {}
    for phrase in phrases:
        node = root
        for unit in _units(phrase, case) or ():
            node = node.setdefault(unit, {})
        node.setdefault("", {})[phrase] = {}  # the phrases ending here
    trie = _emit(root, 0)
    if trie is None:
        return "(?:" + "|".join("".join(_units(p, case) or ()) for p in phrases) + ")"
    return trie


_Trie = dict[str, "_Trie"]
#: Phrases of more pieces than this stay a flat alternation (the trie is built and
#: written out recursively).
_DEEPEST = 200


def _emit(node: _Trie, above: int) -> str | None:
    """The pattern of the phrases at and below `node`, longer ones first; None when a
    phrase ending here is no longer (raw) than `above`, the longest ending on the way
    here: the flat alternation would try it first, the trie last."""
    ending = [len(phrase) for phrase in node.get("", ())]
    if ending:
        if min(ending) <= above:
            return None
        above = max(ending)
    alternatives = []
    for unit, child in node.items():
        if not unit:
            continue
        chain = [unit]
        while len(child) == 1 and "" not in child:  # no branch, no phrase ends: one run
            ((next_unit, child),) = child.items()
            chain.append(next_unit)
        rest = _emit(child, above)
        if rest is None:
            return None
        alternatives.append("".join(chain) + rest)
    if ending:
        alternatives.append("")  # longer phrases first, then the one ending here
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


def _bounded(before: bool, body: str, tail: str, cjk: bool = False) -> str:
    if cjk:
        after = {"end": _AFTER_CJK, "rest": _REST_CJK, "": ""}[tail]
        return (_BEFORE_CJK if before else "") + body + after
    after = {"end": _AFTER, "rest": _REST, "": ""}[tail]
    return (_BEFORE if before else "") + body + after


@lru_cache(maxsize=2048)
def _compiled(phrases: tuple[str, ...], case: bool) -> tuple[re.Pattern[str] | None, ...]:
    """Patterns matching any of `phrases`, longest first: (Han/kana phrases, others).
    A large one is built once per machine (`pattern_cache`)."""

    def join(group: list[str], cjk: bool) -> re.Pattern[str] | None:
        if not group:
            return None
        ordered = sorted(set(group), key=lambda p: (-len(p), p))  # the same in every run
        key = "\0".join((_pattern_source(), str(case), str(cjk), *ordered))
        pattern = compiled_as(key, lambda: _written(ordered, case, cjk))
        return None if pattern.pattern == _NOTHING else pattern

    cjk = [p for p in phrases if is_cjk(p)]
    return join(cjk, True), join([p for p in phrases if not is_cjk(p)], False)


#: The pattern of a list whose phrases are all empty: it never matches.
_NOTHING = "(?!)"


def _written(ordered: list[str], case: bool, cjk: bool) -> str:
    """The pattern of `ordered` phrases (longest first): one boundary per kind of
    phrase, not one per phrase, as the boundary classes are large and slow to compile."""
    kinds: dict[tuple[bool, str], list[str]] = {}
    for phrase in ordered:
        parts = _parts(phrase, case)
        if parts is not None:
            kinds.setdefault((parts[0], parts[2]), []).append(phrase)
    alternatives = [
        _bounded(before, _alternation(phrases, case), after, cjk)
        for (before, after), phrases in sorted(kinds.items(), reverse=True)
    ]
    return "|".join(alternatives) or _NOTHING


@lru_cache(maxsize=1)
def _pattern_source() -> str:
    """What a word-list pattern is written from besides its words: this module's code,
    the Han table and the Unicode version. A pattern kept by another version of any of
    them is never used (`pattern_cache` keys patterns with it)."""
    try:
        digest = hashlib.sha256(Path(__file__).read_bytes())
        digest.update(data_path(*HANT_FILE).read_bytes())
    except OSError:  # no source to read (a frozen build): share nothing between runs
        return os.urandom(16).hex()
    digest.update(unicodedata.unidata_version.encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """One match in the original text (same methods as `re.Match` for what we use)."""

    string: str
    begin: int
    stop: int
    folded: str  # the normalised text the match was found in
    folded_span: Range

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.stop

    def span(self) -> Range:
        return self.begin, self.stop

    def group(self) -> str:
        return self.string[self.begin : self.stop]

    @property
    def normalized(self) -> str:
        """The matched words normalised, one space between them."""
        start, end = self.folded_span
        return " ".join(self.folded[start:end].split())


@dataclass(frozen=True, slots=True)
class _Single:
    """One phrase: its words as a plain pattern and the boundaries checked around it."""

    body: re.Pattern[str]
    before: bool
    tail: str
    cjk: bool


@lru_cache(maxsize=8192)
def _single(phrase: str, case: bool) -> _Single | None:
    """A phrase matched alone (a customer's name, one marker): every message brings new
    ones, and the boundary classes cost ~0.3 ms to compile per phrase; its plain words
    compile in microseconds and the boundaries are checked one character at a time."""
    parts = _parts(phrase, case)
    if parts is None:
        return None
    before, body, tail = parts
    return _Single(re.compile(body), before, tail, is_cjk(phrase))


_REST_RUN = re.compile(_REST)
_REST_RUN_CJK = re.compile(_REST_CJK)


def _single_spans(view: str, single: _Single, first: bool = False) -> list[Range]:
    """What `finditer` of the bounded pattern finds, without compiling it: a body match
    whose boundaries fail is retried one character further on, as the regex would
    (`first`: stop at the first match)."""
    spans: list[Range] = []
    position = 0
    while (match := single.body.search(view, position)) is not None:
        start, end = match.span()
        wordlike = _WORDLIKE_CJK if single.cjk else _WORDLIKE
        if (single.before and start and wordlike.match(view, start - 1)) or (
            single.tail == "end" and wordlike.match(view, end)
        ):
            position = start + 1
            continue
        if single.tail == "rest":
            rest = _REST_RUN_CJK if single.cjk else _REST_RUN
            end = rest.match(view, end).end()  # type: ignore[union-attr]
        spans.append((start, end))
        if first:
            break
        position = end
    return spans


def _phrase_spans(
    folded: str, phrases: tuple[str, ...], case: bool, first: bool = False
) -> list[Range]:
    """Spans in the normalised text `folded` of any of `phrases`, left to right."""
    if len(phrases) == 1:
        single = _single(phrases[0], case)
        if single is None:
            return []
        return _single_spans(folded if single.cjk else latin_view(folded), single, first)
    return list(_alternation_spans(folded, phrases, case))


@lru_cache(maxsize=1024)
def _alternation_spans(folded: str, phrases: tuple[str, ...], case: bool) -> tuple[Range, ...]:
    """`_phrase_spans` of several phrases, kept: one message's analysis asks for the same
    word list in the same text two or three times (topic counts, first mentions, firm
    mentions: 46,000 scans of 400 dev messages, 17,000 of them distinct)."""
    cjk, other = _compiled(phrases, case)
    spans = [m.span() for m in cjk.finditer(folded)] if cjk else []
    spans += [m.span() for m in other.finditer(latin_view(folded))] if other else []
    return tuple(sorted(spans))


def _matches(text: str, phrases: tuple[str, ...], case: bool) -> list[PhraseMatch]:
    if not phrases:
        return []
    folded = fold(text, case)
    spans = _phrase_spans(folded.text, phrases, case)
    return [PhraseMatch(text, *folded.span(*span), folded.text, span) for span in spans]


def find_any(
    text: str, phrases: Iterable[str], *, case_sensitive: bool = False
) -> list[PhraseMatch]:
    """Matches of any of `phrases` in `text`, left to right (the longest phrase wins)."""
    return _matches(text, tuple(phrases), not case_sensitive)


def find_all(text: str, phrase: str, *, case_sensitive: bool = False) -> list[Range]:
    """Spans of every whole-word match of `phrase` in `text`."""
    return [m.span() for m in _matches(text, (phrase,), not case_sensitive)]


def contains_any(text: str, phrases: Iterable[str]) -> bool:
    """True when any of `phrases` occurs in `text` (whole words, case-insensitive)."""
    phrases = tuple(phrases)
    if len(phrases) == 1:
        return bool(_phrase_spans(fold(text).text, phrases, True, first=True))
    cjk, other = _compiled(phrases, True)
    if cjk is None and other is None:
        return False
    folded = fold(text).text
    return bool((cjk and cjk.search(folded)) or (other and other.search(latin_view(folded))))


def contains_phrase(text: str, phrase: str) -> bool:
    """Whole-word (or, for Han and kana, substring) match of `phrase`, case-insensitive."""
    return contains_any(text, (phrase,))


def find_phrase(text: str, phrase: str) -> Range | None:
    """Span of the first whole-word match of `phrase` in `text`, or None."""
    spans = find_all(text, phrase)
    return spans[0] if spans else None


class PhraseMatcher:
    """Many phrases matched at once (one compiled pattern per kind of phrase).

    Checking a message against hundreds of cue words one search at a time costs
    milliseconds and thrashes the `re` cache; one alternation costs microseconds.
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = tuple(dict.fromkeys(phrases))
        keys = {_key(p): p for p in self.phrases if _key(p)}
        self._exact = {k for k, p in keys.items() if not p.strip().endswith("*")}
        self._prefixes = sorted((k for k in keys if k not in self._exact), key=len, reverse=True)
        self._kept: dict[str, frozenset[str]] = {}
        self._kept_lock = threading.Lock()  # matchers are shared by a service's threads

    def found(self, text: str) -> set[str]:
        """The distinct phrases (normalised, without `*`) that occur in `text`.

        The answers for the last few long texts are kept: one suggestion asks the same
        cue list about the same message several times (sentiment, emotions, sarcasm),
        and at 20,000 characters each scan costs milliseconds.
        """
        if len(text) < _KEEP_FROM:
            return self._found(text)
        with self._kept_lock:
            kept = self._kept.get(text)
        if kept is None:
            kept = frozenset(self._found(text))
            with self._kept_lock:
                if len(self._kept) >= _KEPT:
                    del self._kept[next(iter(self._kept))]
                self._kept[text] = kept
        return set(kept)

    def _found(self, text: str) -> set[str]:
        out = set()
        for match in find_any(text, self.phrases):
            if match.normalized in self._exact:
                out.add(match.normalized)
            else:
                out |= {p for p in self._prefixes if match.normalized.startswith(p)}
        return out

    def count(self, text: str) -> int:
        return len(self.found(text))


#: PhraseMatcher keeps its answers for the last `_KEPT` texts of `_KEEP_FROM` characters
#: or more (shorter ones cost microseconds to scan again).
_KEEP_FROM = 1_000
_KEPT = 4


def _key(phrase: str) -> str:
    return " ".join(normalize(phrase).strip().strip("〜~").rstrip("*").split())


# --- tokens (retrieval) --------------------------------------------------------------


def searchable(text: str) -> str:
    """The text without URLs, @handles, #tags, emails and long numbers: they carry no
    intent, and an order or phone number would only pull in unrelated entries."""
    cleaned = _NOISE.sub(" ", text[:2000])
    return cleaned if cleaned.strip() else text[:2000]


def _cjk_grams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> list[str]:
    """Lexical tokens of `text`: words, word prefixes, and CJK bigrams."""
    text = normalize(text)
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out += _cjk_grams(run)
    for word in _WORD.findall(_CJK_RUN.sub(" ", text)):
        out.append(word)
        if len(word) > PREFIX + 1 and not word.isdigit():
            out.append(word[:PREFIX] + "~")
    return out


def index_tokens(text: str) -> list[str]:
    """`tokens` plus `#`-marked character trigrams of words of four letters or more."""
    out = tokens(text)
    for word in _WORD.findall(_CJK_RUN.sub(" ", normalize(text))):
        if len(word) > GRAM and not word.isdigit():
            out += ["#" + word[i : i + GRAM] for i in range(len(word) - GRAM + 1)]
    return out


# --- sentences -----------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?:[.!?](?=\s|$)|[。！？։।॥؟\n])+")
_SENTENCE_START_BEFORE = set(".!?。！？։।॥؟\n:")


def sentence_spans(text: str) -> list[Range]:
    """Spans of the sentences (and lines) of `text`, end punctuation included."""
    spans: list[Range] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start and text[start : match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def sentence_of(spans: list[Range], position: int) -> Range:
    """The sentence span that contains `position` (spans from `sentence_spans`)."""
    return next((s for s in spans if s[0] <= position < s[1]), (position, position))


def is_sentence_start(text: str, position: int) -> bool:
    """True when only spaces, quotes or brackets separate `position` from a sentence end."""
    i = position - 1
    while i >= 0 and ((text[i].isspace() and text[i] != "\n") or text[i] in "\"'«»“”„‘’([¿¡"):
        i -= 1
    return i < 0 or text[i] in _SENTENCE_START_BEFORE


def mask(text: str, spans: Iterable[Range]) -> str:
    """`text` with each span replaced by spaces (positions of the rest unchanged)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


# -- Reading text files and streams, bounded ------------------------------------------
#: The largest file the product reads whole (datasets, run folders, JSON inputs).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The largest customer message read from stdin: 20,000 characters of 4-byte UTF-8.
MAX_STDIN_BYTES = 80_000


def read_bounded(path: str | Path, *, limit: int = MAX_FILE_BYTES, what: str = "file") -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes, else FileError.

    Opened without blocking and checked with fstat before anything is read, so a FIFO
    (which would wait for a writer), a device such as /dev/zero (endless), a folder, a
    dangling symlink or a symlink loop is refused at once with a message saying so.
    """
    shown = Path(path)
    try:
        descriptor = os.open(shown, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileError(f"{shown}: no such {what} (or a symlink to nothing)") from None
    except OSError as exc:
        raise FileError(f"{shown}: cannot open the {what}: {exc.strerror}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise FileError(f"{shown}: is {kind}; give the path of a {what}")
    with os.fdopen(descriptor, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileError(f"{shown}: the {what} is larger than {limit:,} bytes; split it")
    return decode_utf8(data, str(shown), FileError)


def read_stream(stream: BinaryIO, *, limit: int = MAX_STDIN_BYTES, what: str = "stdin") -> str:
    """UTF-8 text from a byte stream (stdin), at most `limit` bytes, else InputError."""
    return decode_utf8(read_stream_bytes(stream, limit=limit, what=what), what, InputError)


def read_stream_bytes(
    stream: BinaryIO, *, limit: int = MAX_STDIN_BYTES, what: str = "stdin"
) -> bytes:
    """At most `limit` bytes of a stream, else InputError: an endless pipe is refused
    after `limit` bytes instead of filling memory."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        advice = (
            "a message is at most 20,000 characters"
            if limit == MAX_STDIN_BYTES
            else "split the input into smaller files"
        )
        raise InputError(f"{what}: more than {limit:,} bytes; {advice}")
    return data


def decode_utf8(data: bytes, where: str, error: type[UserError]) -> str:
    """`data` as UTF-8 (a leading BOM dropped); `error` saying where it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{where}: not UTF-8 text (byte {exc.start}, line {line}); save it as UTF-8"
        ) from None


PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def create_private_file(path: str | Path) -> Path:
    """Create `path` and its missing folders readable by the owner only (0600 in 0700
    folders); an existing file others can read is tightened. For files that hold
    customers' personal data: the review database, the outbox, the LLM cache."""
    target = Path(path)
    missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    try:
        if os.fstat(descriptor).st_mode & 0o077:
            os.fchmod(descriptor, PRIVATE_FILE)
    finally:
        os.close(descriptor)
    return target
