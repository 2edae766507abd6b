"""Check digits of the numbers people post by mistake: cards, IBANs, national ids.

A checksum turns "a long number" into "almost certainly a card (or an Aadhaar, a
Spanish DNI, a Chinese resident id)": a random digit string passes Luhn one time in
ten, mod-97 one time in 97, so order numbers and amounts are not mistaken for them.
"""

from __future__ import annotations

import re

#: IBAN length per country (ISO 13616 registry, the countries customers write from).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22,
    "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}  # fmt: skip

_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6), (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4), (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)  # fmt: skip
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2), (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)  # fmt: skip
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_CN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


_NOT_DIGITS = re.compile("[^0-9]+")


def digits_of(text: str) -> str:
    """The ASCII digits of `text`, in order."""
    return _NOT_DIGITS.sub("", text)


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
    """The ISO 13616 mod-97 check of an IBAN (spaces and case ignored), with the
    length of its country (a country outside the registry is not an IBAN)."""
    compact = text.replace(" ", "").upper()
    if not compact.isascii() or not compact.isalnum():
        return False
    if IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def verhoeff_valid(digits: str) -> bool:
    """The Verhoeff check digit of India's Aadhaar numbers."""
    check = 0
    for i, char in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(char)]]
    return check == 0


def dni_valid(text: str) -> bool:
    """Spain's DNI ("12345678Z") and NIE ("X1234567L") control letter."""
    compact = text.replace("-", "").replace(" ", "").upper()
    if compact[:1] in ("X", "Y", "Z"):
        compact = str("XYZ".index(compact[0])) + compact[1:]
    number, letter = compact[:-1], compact[-1:]
    return len(number) == 8 and number.isdigit() and _DNI_LETTERS[int(number) % 23] == letter


def china_id_valid(text: str) -> bool:
    """The ISO 7064 MOD 11-2 check character of an 18-character Chinese resident id."""
    body, last = text[:17], text[17:].upper()
    if len(text) != 18 or not body.isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(body, _CN_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == last


def rut_valid(text: str) -> bool:
    """Chile's RUT/RUN (12.345.678-5): modulo-11 check character, 'K' for 10."""
    body, _, check = text.upper().replace(".", "").partition("-")
    if not body.isdigit() or len(check) != 1:
        return False
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body)))
    expected = {10: "K", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    return check == expected
