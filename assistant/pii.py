"""Find personal data in a text: order numbers, emails, phone numbers, cards, addresses.

Used on customer messages (take the conversation private) and on drafts (never post
personal data in a public reply). Phone numbers come from `phonenumbers`, card numbers
must pass the Luhn check, so a long order number is not mistaken for a card.
"""

from __future__ import annotations

import re

import phonenumbers

from assistant.types import PrivateDatum, Span

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
ORDER = re.compile(
    # Boundaries are ASCII-only: Japanese and Chinese write "注文番号はNH-204518です".
    r"(?:(?<![A-Za-z0-9])NH[-\s]?\d{5,10}(?!\d))"  # the sample brand's order format
    r"|(?:#\s?\d{5,12}(?!\d))"
    r"|(?:(?<=order)\s*(?:no\.?|number|num|nr\.?|#|:)?\s*\d{5,12}\b)",
    re.IGNORECASE,
)
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
ADDRESS = re.compile(
    r"\b\d{1,5}[a-z]?,?\s+(?:[\w.'-]+\s+){0,4}"
    r"(?:street|st\.|road|rd\.?|avenue|ave\.?|lane|blvd|drive|jalan|jl\.|calle|avenida|"
    r"rue|straße|strasse|str\.|rua|marg|nagar|via|gasse|weg|chowk|lorong|taman)\b"
    r"|\b(?:jalan|jl\.|calle|rue|rua|via|avenida)\s+[\w .'-]{2,40}?\s+(?:no\.?\s*)?\d{1,5}\b",
    re.IGNORECASE,
)
#: Phone regions tried for each language, most likely first.
PHONE_REGIONS: dict[str, tuple[str, ...]] = {
    "hi": ("IN",), "bn": ("IN", "BD"), "gu": ("IN",), "te": ("IN",), "ms": ("MY",),
    "id": ("ID",), "hy": ("AM",), "ja": ("JP",), "zh": ("CN",), "ar": ("AE", "SA", "EG"),
    "de": ("DE",), "fr": ("FR",), "es": ("ES", "MX"), "pt": ("BR", "PT"), "en": ("US", "GB"),
}


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that every payment card number satisfies."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def find_private_data(text: str, language: str = "en") -> list[PrivateDatum]:
    """Every piece of personal data found in `text`, in order of position."""
    found: list[PrivateDatum] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if not _overlaps((start, end), taken):
            taken.append((start, end))
            found.append(PrivateDatum(kind=kind, text=text[start:end],  # type: ignore[arg-type]
                                      span=Span(start=start, end=end)))

    for m in EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            add("card", m.start(), m.end())
    for m in ORDER.finditer(text):
        add("order_number", m.start(), m.end())
    for start, end in _phones(text, language):
        add("phone", start, end)
    for m in ADDRESS.finditer(text):
        add("address", m.start(), m.end())
    return sorted(found, key=lambda d: d.span.start)


def _phones(text: str, language: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for region in (*PHONE_REGIONS.get(language, ()), "US"):
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            if not _overlaps((match.start, match.end), spans):
                spans.append((match.start, match.end))
    return spans
