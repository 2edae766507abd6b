"""Find personal data in a text: order numbers, emails, phone numbers, cards, addresses.

Used on customer messages (take the conversation private) and on drafts (never post
personal data in a public reply). Phone numbers come from `phonenumbers` (the regions
of the message's language first, then common ones: people write from abroad), card
numbers must pass the Luhn check and IBANs the mod-97 check, so a long order number is
not mistaken for either. IBANs are reported as `card` (payment details).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal

import phonenumbers

from assistant.types import PrivateDatum, Span

Kind = Literal["order_number", "email", "phone", "card", "address"]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
ORDER = re.compile(
    # Boundaries are ASCII-only: Japanese and Chinese write "注文番号はNH-204518です".
    r"(?<![A-Za-z0-9])(?P<brand>NH[-\s]?\d{5,10})(?!\d)"  # the sample brand's order format
    r"|(?P<hash>#\s?\d{5,12})(?!\d)"
    r"|(?<=order)\s*(?:no\.?|number|num|nr\.?|:)?\s*(?P<bare>\d{5,12})\b",
    re.IGNORECASE,
)
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
_STREET = (
    r"street|st\.|road|rd\.?|avenue|ave\.?|lane|blvd|drive|jalan|jl\.|calle|avenida|"
    r"rue|straße|strasse|str\.|rua|marg|nagar|via|gasse|weg|chowk|lorong|taman"
)
_NAME = r"[^\W\d_][\w'’.-]*"
ADDRESS = re.compile(
    # "14 rue des Lilas", "120 Avenida Paulista": number, street type, then its name
    r"\b\d{1,5}[a-z]?,?\s+(?:rue|avenue|av\.|boulevard|allée|chemin|impasse|rua|"
    rf"avenida|calle|jalan|jl\.)\s+{_NAME}(?:\s+{_NAME}){{0,3}}"
    rf"|\b\d{{1,5}}[a-z]?,?\s+(?:[\w.'-]+\s+){{0,4}}(?:{_STREET})\b"
    r"|\b(?:jalan|jl\.|calle|rue|rua|via|avenida)\s+[\w .'-]{2,40}?\s+(?:no\.?\s*)?\d{1,5}\b"
    # German compounds: "Lindenstraße 12", "Am Mühlweg 3a"
    r"|\b\w+(?:straße|strasse|str\.|weg|gasse|allee|platz|ring)\s+\d{1,4}[a-z]?\b"
    # Armenian: "Բաղրամյան 44, բն. 12" (բն. = apartment)
    r"|[Ա-Ֆ][ա-ֆ]+\s+\d{1,4}\s*,\s*բն\.?\s*\d{1,4}",
    re.IGNORECASE,
)
#: "<address word> ... <Name> <number>": a street named after an address cue.
CUED_ADDRESS = re.compile(
    r"(?i:address|adresse|dirección|endereço|anschrift|alamat|पता|ঠিকানা|સરનામું|చిరునామా|"
    r"հասցե\w*|住所|地址|العنوان)[^\n.!?։]{0,60}?"
    # a capitalised (Latin or Armenian) name and a house number: "Komitas 25"
    r"(?P<street>(?<!\w)[A-ZÀ-ÞԱ-Ֆ][^\W\d_]{2,}\s+\d{1,4}[a-zA-Z]?(?!\d))"
    r"|(?P<before>(?<!\w)[Ա-Ֆ][ա-ֆ]+\s+\d{1,4})\s+հասցե",
)
#: Phone regions tried for each language, most likely first.
PHONE_REGIONS: dict[str, tuple[str, ...]] = {
    "hi": ("IN",),
    "bn": ("IN", "BD"),
    "gu": ("IN",),
    "te": ("IN",),
    "ms": ("MY",),
    "id": ("ID",),
    "hy": ("AM",),
    "ja": ("JP",),
    "zh": ("CN",),
    "ar": ("AE", "SA", "EG"),
    "de": ("DE",),
    "fr": ("FR",),
    "es": ("ES", "MX"),
    "pt": ("BR", "PT"),
    "en": ("US", "GB"),
}
#: Tried for digit runs that no region of the language explains.
FALLBACK_REGIONS = ("US", "GB", "IN", "NG", "PH", "MY", "SG", "AE", "AU")
_DIGITS = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that every payment card number satisfies."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    """The ISO 13616 mod-97 check of an IBAN (spaces ignored)."""
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


Finder = Callable[[str, str], Iterator[tuple[int, int]]]


def _emails(text: str, language: str) -> Iterator[tuple[int, int]]:
    return (m.span() for m in EMAIL.finditer(text))


def _cards(text: str, language: str) -> Iterator[tuple[int, int]]:
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            yield m.span()
    for m in IBAN.finditer(text):
        if iban_valid(m.group()):
            yield m.span()


def _orders(text: str, language: str) -> Iterator[tuple[int, int]]:
    return (m.span(m.lastgroup or 0) for m in ORDER.finditer(text))


def _addresses(text: str, language: str) -> Iterator[tuple[int, int]]:
    yield from (m.span() for m in ADDRESS.finditer(text))
    for m in CUED_ADDRESS.finditer(text):
        yield m.span("street") if m.group("street") else m.span("before")


def _phones(text: str, language: str) -> Iterator[tuple[int, int]]:
    if not _DIGITS.search(text):  # no digit run long enough: skip the costly matcher
        return
    spans: list[tuple[int, int]] = []
    for region in (*PHONE_REGIONS.get(language, ()), "US"):
        spans += _phones_in(text, region, spans)
    if any(not _overlaps(m.span(), spans) for m in _DIGITS.finditer(text)):
        for region in FALLBACK_REGIONS:
            spans += _phones_in(text, region, spans)
    yield from spans


def _phones_in(text: str, region: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.VALID
    ):
        span = (match.start, match.end)
        if not _overlaps(span, taken + found):
            found.append(span)
    return found


#: Most specific first: an email's digits are not a phone, a card is not an order number.
FINDERS: tuple[tuple[Kind, Finder], ...] = (
    ("email", _emails),
    ("card", _cards),
    ("order_number", _orders),
    ("phone", _phones),
    ("address", _addresses),
)


def find_private_data(text: str, language: str = "en") -> list[PrivateDatum]:
    """Every piece of personal data found in `text`, in order of position."""
    found: list[PrivateDatum] = []
    taken: list[tuple[int, int]] = []
    for kind, finder in FINDERS:
        for start, end in finder(text, language):
            if end > start and not _overlaps((start, end), taken):
                taken.append((start, end))
                found.append(
                    PrivateDatum(kind=kind, text=text[start:end], span=Span(start=start, end=end))
                )
    return sorted(found, key=lambda d: d.span.start)
