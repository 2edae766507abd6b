"""Find personal data in a text: order numbers, e-mails, phones, cards, national ids,
dates of birth, passwords and addresses.

Used on customer messages (take the conversation private) and on drafts (never post
personal data in a public reply). Phone numbers come from `phonenumbers` (the regions
of the message's language first, then common ones: people write from abroad), card
numbers must pass the Luhn check and IBANs the mod-97 check, so a long order number is
not mistaken for either. IBANs, and bank account numbers after a cue ("no akaun"), are
reported as `card` (payment details).

The text is folded first (full-width "４１１１" and "＠", other scripts' digits, zero-width
characters; see `folding`) and every span maps back to what was written. Every pattern
runs in linear time, and `phonenumbers`, which is not linear, only sees short windows
around digit runs, a bounded number of them per text.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import Literal

import phonenumbers
import yaml
from pydantic import TypeAdapter

from assistant.knowledge.models import PhoneRegion
from assistant.resources import sample_guidelines
from assistant.types import PrivateDatum, Span
from assistant.understanding import prescan
from assistant.understanding.cued_data import (
    addresses,
    bank_accounts,
    birth_dates,
    national_ids,
    order_numbers,
    passwords,
    upi_ids,
)
from assistant.understanding.folding import fold
from assistant.understanding.identifiers import IBAN_LENGTHS, digits_of, iban_valid, luhn_valid

# phonenumbers compiles its metadata patterns through the re module's small cache, which
# they overflow: about 2.5 recompiles per message. Its own cache keeps each one (a
# bounded set: the patterns of its metadata).
phonenumbers.re_util.enable_pattern_cache()

__all__ = [
    "EMAIL",
    "MaskPrivateData",
    "find_private_data",
    "iban_valid",
    "luhn_valid",
    "mask_private_data",
]

Kind = Literal[
    "order_number", "email", "phone", "card", "national_id", "date_of_birth", "password",
    "address",
]  # fmt: skip

# Starts only where the local part starts (the look-behind), so "a.a.a.a..." is linear.
EMAIL = re.compile(
    r"[A-Za-z0-9._%+-](?<![A-Za-z0-9._%+-].)[A-Za-z0-9._%+-]*@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}"
)
ORDER = re.compile(
    # Boundaries are ASCII-only: Japanese and Chinese write "注文番号はNH-204518です".
    r"(?<![A-Za-z0-9])(?P<brand>NH[-\s]?[0-9]{5,10})(?![0-9])"  # the sample brand's format
    r"|(?P<hash>#\s?[0-9]{5,12})(?![0-9])"
    r"|(?<=order)(?:\s*(?:no\.?|number|num|nr\.?|:))?\s*(?P<bare>[0-9]{5,12})(?![0-9A-Za-z])",
    re.IGNORECASE,
)
#: Digits with at most one separator between them, at least 13 of them: card candidates.
DIGIT_RUN = re.compile(r"[0-9](?<![0-9].)(?<![0-9][ .-].)(?:[ .-]?[0-9]){12,}")
IBAN = re.compile(
    r"[A-Za-z](?<![A-Za-z0-9].)[A-Za-z][0-9]{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,4})?"
    r"(?![A-Za-z0-9])"
)
_GROUP = re.compile(r"[0-9]+")
#: Groups of 3+ digits in a row ("4111 1111 1111 1111"): a card is made of such groups,
#: so groups of one or two digits ("1.1.1.1...") are skipped at C speed.
_CHAIN = re.compile(r"(?<![0-9])[0-9]{3,}(?:[ .-][0-9]{3,})*")
_CARD_WINDOWS = 400  # card checks inside long digit runs, per text

#: Tried for digit runs that no region of the language explains.
FALLBACK_REGIONS = ("US", "GB", "IN", "NG", "PH", "MY", "SG", "AE", "AU")
#: A phone number's characters: digits, then digits, spaces, brackets, dots and dashes.
PHONE_RUN = re.compile(r"[0-9][0-9 ().-]{5,}[0-9]")
_PHONE_CALLS = 24  # phonenumbers calls per text (0.2-0.3 ms each, whatever the window)
_PHONE_CHARS = 24  # the longest formatted number a window holds: "+44 (0) 20 7946 0958"
_PHONE_RUN_CHARS = 64  # a run this short is given to phonenumbers whole

Span2 = tuple[int, int]


def _overlaps(span: Span2, taken: list[Span2]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


#: Phone regions tried first, most likely first (a locale pack's `lexicon.phone_regions`).
Regions = tuple[str, ...]
Finder = Callable[[str, Regions], Iterator[Span2]]


def _emails(text: str, regions: Regions) -> Iterator[Span2]:
    return (m.span() for m in EMAIL.finditer(text)) if prescan.may_hold(text, "@") else iter(())


def _cards(text: str, regions: Regions) -> Iterator[Span2]:
    budget = [_CARD_WINDOWS]
    yield from upi_ids(text)  # "rahul.sharma@okicici" holds no digit
    if not prescan.may_hold(text, "[0-9]"):
        return
    yield from bank_accounts(text)
    for m in DIGIT_RUN.finditer(text):
        yield from _cards_in_run(m.group(), m.start(), budget)
    if prescan.may_hold(text, "[0-9]{2}"):
        for m in IBAN.finditer(text):
            yield from _iban(m.group(), m.start())


def _cards_in_run(run: str, offset: int, budget: list[int]) -> Iterator[Span2]:
    """The run if it is a card number, else cards among its groups of 3+ digits
    ("ref 12 4111 1111 1111 1111"), at most `budget` checks per text."""
    count = len(run) - run.count(" ") - run.count(".") - run.count("-")  # its digits
    if 13 <= count <= 19 and luhn_valid(digits_of(run)):
        yield offset, offset + len(run)
        return
    if count <= 13:
        return
    for chain in _CHAIN.finditer(run):
        groups = [g.span() for g in _GROUP.finditer(run, chain.start(), chain.end())]
        for i in range(len(groups)):
            if budget[0] <= 0:
                return
            card = _card_from(run, groups, i, budget)
            if card:
                yield offset + card[0], offset + card[1]
                return


def _card_from(run: str, groups: list[Span2], i: int, budget: list[int]) -> Span2 | None:
    """A card number made of groups i, i+1... of 3+ digits each, if there is one."""
    count = 0
    for j in range(i, len(groups)):
        size = groups[j][1] - groups[j][0]
        if size < 3 or count + size > 19:
            return None
        count += size
        if count >= 13:
            budget[0] -= 1
            if luhn_valid(digits_of(run[groups[i][0] : groups[j][1]])):
                return groups[i][0], groups[j][1]
    return None


def _iban(candidate: str, offset: int) -> Iterator[Span2]:
    """An IBAN of its country's length, also when a word or number follows it."""
    need = IBAN_LENGTHS.get(candidate[:2].upper(), 0)
    count = 0
    for end, char in enumerate(candidate, start=1):
        count += char != " "
        if count == need:
            if iban_valid(candidate[:end]):
                yield offset, offset + end
            return


def _orders(text: str, regions: Regions) -> Iterator[Span2]:
    if not prescan.may_hold(text, "[0-9]{4}"):  # every order number has 5 in a row
        return
    yield from (m.span(m.lastgroup or 0) for m in ORDER.finditer(text))
    yield from order_numbers(text)  # after a phrase of any language: "n° de commande 640293"


def _phones(text: str, regions: Regions) -> Iterator[Span2]:
    regions = (*regions, "US")
    spans: list[Span2] = []
    budget = [_PHONE_CALLS]
    for run in PHONE_RUN.finditer(text):
        for start, end in _windows(text, run.start(), run.end()):
            if budget[0] <= 0:
                return iter(spans)
            if _overlaps((start, end), spans):
                continue
            found = _phones_in(text, start, end, regions, budget)
            if not found and 8 <= len(digits_of(text[start:end])) <= 15:
                found = _phones_in(text, start, end, FALLBACK_REGIONS, budget)
            spans += [span for span in found if not _overlaps(span, spans)]
    return iter(spans)


@cache
def sample_phone_regions(language: str) -> Regions:
    """The sample brand's `lexicon.phone_regions` for `language` (or its base language),
    for callers with no brand (the log filter); none for a language it lacks."""
    for code in dict.fromkeys((language, language.split("-")[0])):
        path = sample_guidelines() / "locales" / f"{code}.yaml"
        if path.is_file():
            pack = yaml.safe_load(path.read_text(encoding="utf-8"))
            listed = (pack.get("lexicon") or {}).get("phone_regions") or []
            return tuple(TypeAdapter(list[PhoneRegion]).validate_python(listed))
    return ()


def _windows(text: str, start: int, end: int) -> Iterator[Span2]:
    """Short stretches of a digit run that may each hold one phone number.

    A run of up to 64 characters ("555-123-4567 555-765-4321") is one window; a longer
    one (a list of numbers, or an adversarial "1.1.1.1...") gives a window starting at
    each digit group, as many groups as fit in a phone number.
    """
    if start > 0 and text[start - 1] in "+(":
        start -= 1
    if end - start <= _PHONE_RUN_CHARS:
        yield start, end
        return
    groups = _Lookahead(text, start, end)
    while groups.ahead(0):
        first, end_of_first = groups.pop()
        if end_of_first - first > _PHONE_CHARS:
            continue  # a single group this long is no phone number
        first = first - 1 if text[first - 1] in "+(" else first
        last_end, k = end_of_first, 0
        while (after := groups.ahead(k)) and after[1] - first <= _PHONE_CHARS:
            last_end, k = after[1], k + 1
        yield first, last_end


class _Lookahead:
    """The digit groups of text[start:end], read only as far as the windows need (the
    phone budget usually runs out long before the end of "1.1.1.1...")."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self._groups = _GROUP.finditer(text, start, end)
        self._read: deque[Span2] = deque()

    def ahead(self, k: int) -> Span2 | None:
        """The k-th group not yet popped, if there is one."""
        while len(self._read) <= k:
            group = next(self._groups, None)
            if group is None:
                return None
            self._read.append(group.span())
        return self._read[k]

    def pop(self) -> Span2:
        return self._read.popleft()


def _phones_in(
    text: str, start: int, end: int, regions: tuple[str, ...], budget: list[int]
) -> list[Span2]:
    """Phone numbers in text[start:end] (with a character of context on each side,
    which phonenumbers' validity checks look at) for the first region that has any."""
    left = max(0, start - 1)
    window = text[left : end + 1]
    for region in regions:
        if budget[0] <= 0:
            break
        budget[0] -= 1
        found = [
            (left + match.start, left + match.end)
            for match in phonenumbers.PhoneNumberMatcher(
                window, region, leniency=phonenumbers.Leniency.VALID
            )
        ]
        if found:
            return found
    return []


def _national_ids(text: str, regions: Regions) -> Iterator[Span2]:
    return national_ids(text)


def _birth_dates(text: str, regions: Regions) -> Iterator[Span2]:
    return birth_dates(text)


def _passwords(text: str, regions: Regions) -> Iterator[Span2]:
    return passwords(text)


def _addresses(text: str, regions: Regions) -> Iterator[Span2]:
    return addresses(text)


#: Most specific first: an email's digits are not a phone, a card is not an order
#: number, a date of birth or a password is not a phone.
FINDERS: tuple[tuple[Kind, Finder], ...] = (
    ("email", _emails),
    ("card", _cards),
    ("national_id", _national_ids),
    ("date_of_birth", _birth_dates),
    ("password", _passwords),
    ("order_number", _orders),
    ("phone", _phones),
    ("address", _addresses),
)


def find_private_data(
    text: str, language: str = "en", regions: Sequence[str] | None = None
) -> list[PrivateDatum]:
    """Every piece of personal data found in `text`, in order of position.

    Phone numbers are read as those of `regions` first (the brand's locale pack for
    `language`: `KnowledgeBase.phone_regions`); without them, the sample brand's."""
    tried = tuple(regions) if regions is not None else sample_phone_regions(language)
    folded = fold(text)
    found: list[PrivateDatum] = []
    taken: list[Span2] = []
    for kind, finder in FINDERS:
        for folded_start, folded_end in finder(folded.text, tried):
            if folded_end <= folded_start or _overlaps((folded_start, folded_end), taken):
                continue
            taken.append((folded_start, folded_end))
            start, end = folded.span(folded_start, folded_end)
            found.append(
                PrivateDatum(kind=kind, text=text[start:end], span=Span(start=start, end=end))
            )
    return sorted(found, key=lambda d: d.span.start)


def mask_private_data(text: str, language: str = "en") -> str:
    """`text` with each piece of personal data replaced by its kind: "[card]", "[email]"."""
    out: list[str] = []
    last = 0
    for datum in find_private_data(text, language):
        out += [text[last : datum.span.start], f"[{datum.kind}]"]
        last = datum.span.end
    return "".join([*out, text[last:]])


class MaskPrivateData(logging.Filter):
    """A logging filter that masks personal data in every record's message, so a log
    line never holds a card number or an e-mail even when it quotes an LLM reply."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_private_data(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
