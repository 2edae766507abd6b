"""Personal data recognised by its shape or by the words around it: national ids, bank
account numbers, dates of birth, passwords and postal addresses.

Cue words ("passport", "生年月日", "kata laluan"...) are data, one file for every
language (assistant/data/private_data/cues.txt, checked by
assistant/knowledge/word_files.py). Every pattern is linear: it starts
only at a cue or a token boundary and its repetitions are bounded or separated by
characters they cannot share, so a 20,000-character message takes milliseconds.
All finders work on folded text (ASCII digits, NFKC letters).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from assistant.knowledge.word_files import private_data_cues
from assistant.understanding import prescan
from assistant.understanding.identifiers import (
    china_id_valid,
    digits_of,
    dni_valid,
    rut_valid,
    verhoeff_valid,
)

Spans = Iterator[tuple[int, int]]

_NUM = "(?<![0-9])"
_END = "(?![0-9])"
_TOKEN_START = "(?<![A-Za-z0-9])"
_TOKEN_END = "(?![A-Za-z0-9])"
# The same look-behinds placed after the first character ("[0-9](?<![0-9].)" is
# "(?<![0-9])[0-9]"): a pattern that starts with a character class lets the regex engine
# skip at C speed to where that class matches, instead of trying every position.
_NUM_1 = "(?<![0-9].)"
_TOKEN_START_1 = "(?<![A-Za-z0-9].)"
_CJK = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def cues() -> dict[str, tuple[str, ...]]:
    """Cue phrases by kind (address, street, passport, id, birth, password), from the
    bundled data file (validated)."""
    return private_data_cues()


def cue_pattern(*kinds: str) -> str:
    """An alternation of cues, longest first, ignoring case; cues of scripts written with
    spaces only as whole words. Literals come first (the word check is a look-behind
    after each), so the regex engine skips quickly to where a cue may start."""
    phrases = sorted({p for kind in kinds for p in cues()[kind]}, key=len, reverse=True)
    parts = [
        re.escape(p) if _CJK.match(p) else f"{re.escape(p)}(?<!\\w{re.escape(p)})(?!\\w)"
        for p in phrases
    ]
    return "(?i:" + "|".join(parts) + ")"


@cache
def _phrases(*kinds: str) -> frozenset[str]:
    """The cues of `kinds`, lowercase: every match of a pattern that starts with
    `cue_pattern(*kinds)` starts with one of them (`prescan.cue_matches`)."""
    return frozenset(p.lower() for kind in kinds for p in cues()[kind])


def _either(kind: str) -> str:
    """The cues of `kind` as an alternation of literals, longest first."""
    return "|".join(re.escape(p) for p in sorted(set(cues()[kind]), key=len, reverse=True))


def has_cue(text: str, *kinds: str) -> bool:
    """Whether any cue of `kinds` occurs in `text` (a fast substring test that lets
    most texts skip the cue patterns)."""
    return _any_cue(kinds).search(prescan.lowered(text)) is not None


@cache
def _any_cue(kinds: tuple[str, ...]) -> re.Pattern[str]:
    """The lowercase cues of `kinds` as one alternation of literals, searched in the
    lowercased text: the regex engine skips at C speed to a character a cue starts with."""
    return re.compile("|".join(sorted(map(re.escape, _phrases(*kinds)))))


#: What every match of a pattern below holds, searched first (`prescan`): digits in a row,
#: a "-" between digits.
_DIGIT, _TWO, _FOUR, _SEVEN, _DASHED = "[0-9]", "[0-9]{2}", "[0-9]{4}", "[0-9]{7}", "[0-9]-[0-9]"
_SIX = "[0-9]{6}"
# National ids written in their own format, each with a check where one exists.
_IDS: tuple[tuple[re.Pattern[str], object], ...] = (
    # US SSN 123-45-6789 (never 000, 666 or 9xx; group and serial never zero)
    (
        re.compile(
            rf"[0-8]{_NUM_1}[0-9]{{2}}(?<!000|666)-(?!00)[0-9]{{2}}-(?!0000)[0-9]{{4}}{_END}"
        ),
        None,
    ),
    # India's Aadhaar: 12 digits, first 2-9, Verhoeff check
    (re.compile(rf"[2-9]{_NUM_1}[0-9]{{3}}[ -]?[0-9]{{4}}[ -]?[0-9]{{4}}{_END}"), "aadhaar"),
    # UK National Insurance number: AB 12 34 56 C
    (
        re.compile(
            rf"[A-CEGHJ-PR-TW-Z]{_TOKEN_START_1}[A-CEGHJ-NPR-TW-Z](?<!BG|GB|NK|KN|TN|NT|ZZ)"
            rf" ?[0-9]{{2}} ?[0-9]{{2}} ?[0-9]{{2}} ?[A-D]{_TOKEN_END}",
            re.IGNORECASE,
        ),
        None,
    ),
    # India's PAN: ABCDE1234F (fourth letter: holder type)
    (
        re.compile(rf"[A-Z]{_TOKEN_START_1}[A-Z]{{2}}[ABCFGHJLPT][A-Z][0-9]{{4}}[A-Z]{_TOKEN_END}"),
        None,
    ),
    # Malaysia's MyKad: YYMMDD-PB-###G
    (
        re.compile(
            rf"[0-9]{_NUM_1}[0-9](?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])-[0-9]{{2}}-[0-9]{{4}}{_END}"
        ),
        None,
    ),
    # Brazil's CPF: 123.456.789-09
    (re.compile(rf"[0-9]{_NUM_1}[0-9]{{2}}\.[0-9]{{3}}\.[0-9]{{3}}-[0-9]{{2}}{_END}"), None),
    # Spain's DNI / NIE with its control letter
    (re.compile(rf"{_TOKEN_START}[XYZ]?[0-9]{{7,8}}-?[A-Z]{_TOKEN_END}", re.IGNORECASE), "dni"),
    # Chile's RUT/RUN: 12.345.678-5 (modulo-11 check character, K for 10)
    (re.compile(rf"[0-9]{_NUM_1}[0-9]?\.[0-9]{{3}}\.[0-9]{{3}}-[0-9Kk]{_TOKEN_END}"), "rut"),
    # Mexico's CURP: 4 letters, birth date, sex, state, 3 consonants, 2 more
    (
        re.compile(
            rf"[A-Z]{_TOKEN_START_1}[AEIOUX][A-Z]{{2}}[0-9]{{2}}(?:0[1-9]|1[0-2])"
            rf"(?:0[1-9]|[12][0-9]|3[01])[HM][A-Z]{{2}}[B-DF-HJ-NP-TV-Z]{{3}}[A-Z0-9][0-9]"
            rf"{_TOKEN_END}",
            re.IGNORECASE,
        ),
        None,
    ),
    # China's resident id: 17 digits and a check character
    (re.compile(rf"[0-9]{_NUM_1}[0-9]{{16}}[0-9Xx]{_TOKEN_END}"), "china"),
)
_NEEDS = (_DASHED, _FOUR, _TWO, _FOUR, _DASHED, _DASHED, _SEVEN, _DIGIT, _SIX, _SEVEN)
_CHECKS: dict[str, Callable[[str], bool]] = {
    "aadhaar": lambda text: verhoeff_valid(digits_of(text)),
    "dni": dni_valid,
    "china": china_id_valid,
    "rut": rut_valid,
}


def national_ids(text: str) -> Spans:
    """SSN, Aadhaar, UK NI, PAN, MyKad, CPF, DNI/NIE, Chinese ids, and any id or
    passport number announced by a cue ("passport no. X1234567")."""
    for (pattern, check), need in zip(_IDS, _NEEDS, strict=True):
        if not prescan.may_hold(text, need):
            continue
        for m in pattern.finditer(text):
            if check is None or _CHECKS[str(check)](m.group()):
                yield m.span()
    yield from _cued(text, ("passport", "id"), 5, 22)


def bank_accounts(text: str) -> Spans:
    """A bank account number announced by a cue ("No akaun Maybank 1642 3398 7712",
    "account no: 00123456789"): 8 to 20 digits, up to two words (a bank's name, "is")
    allowed between."""
    yield from _cued(text, ("account",), 8, 20)


#: A UPI id: a name, "@" and a bank's handle with no domain after it ("rahul.sharma@okicici";
#: an e-mail address has one). Starts only where the name starts (the look-behind).
_UPI_ID = re.compile(
    r"[A-Za-z0-9._-](?<![A-Za-z0-9._-].)[A-Za-z0-9._-]{1,63}@[A-Za-z]{2,32}(?![\w@-])(?!\.[A-Za-z])"
)


def upi_ids(text: str) -> Spans:
    """A UPI id in a message that names UPI or a UPI app (cue kind `upi`: "refund mere
    UPI pe bhej do: rahul.sharma@okicici"): payment details, as a bank account number."""
    if prescan.may_hold(text, "@") and has_cue(text, "upi"):
        for m in _UPI_ID.finditer(text):
            yield m.span()


def order_numbers(text: str) -> Spans:
    """A bare order number right after an order-number phrase of any brand language ("n°
    de commande 640293", "注文番号は558201", "ऑर्डर नंबर 384027"): 5 to 20 digits (shops
    in China number orders with 18 or 19), only "n°" and punctuation (or は/是) between;
    "order #NH-204518" needs no cue."""
    if prescan.may_hold(text, "[0-9]{5}") and has_cue(text, "order"):
        for m in prescan.cue_matches(_order_after_cue(), text, _phrases("order")):
            yield m.span("value")


@cache
def _order_after_cue() -> re.Pattern[str]:
    return re.compile(
        rf"{cue_pattern('order')}(?:\s?(?:n[°ºo]\.?|nr\.?|№))?[\s:：#＃.-]{{0,3}}"
        r"(?:は|是|为|為)?[\s:：]{0,2}(?P<value>(?<![0-9])[0-9]{5,20})(?![0-9])",
        re.IGNORECASE,
    )


def _cued(text: str, kinds: tuple[str, ...], fewest: int, most: int) -> Spans:
    """The value a cue of `kinds` announces, with `fewest` to `most` digits."""
    if prescan.may_hold(text, _DIGIT) and has_cue(text, *kinds):
        for m in prescan.cue_matches(_after_cue(kinds), text, _phrases(*kinds)):
            if fewest <= len(digits_of(m.group("value"))) <= most:
                yield m.span("value")


#: What a cue is followed by before its value: a national id or passport number is a
#: token with digits ("passport: K1234567", "NIK 3174...", "身份证号：1101..."); an account
#: number is digits, maybe after a bank's name ("no akaun Maybank 1642 3398 7712").
_BETWEEN = {
    "id": r"(?:no\.?|number|nº|nr\.?|番号)?[^\n0-9A-Za-z]{0,4}",
    "account": r"(?:(?:no\.?|number|nº|nr\.?)[^\n0-9A-Za-z]{0,4})?"
    r"(?:[A-Za-z]{2,20}[^\n0-9A-Za-z]{1,4}){0,2}",
}
_VALUE = {
    "id": rf"{_TOKEN_START}[A-Za-z0-9](?:[A-Za-z0-9]|[ .-](?=[0-9])){{4,22}}{_TOKEN_END}",
    "account": rf"{_NUM}[0-9](?:[0-9]|[ -](?=[0-9])){{7,30}}{_END}",
}


@cache
def _after_cue(kinds: tuple[str, ...]) -> re.Pattern[str]:
    shape = kinds[-1]
    return re.compile(
        rf"{cue_pattern(*kinds)}[^\n0-9A-Za-z]{{0,12}}{_BETWEEN[shape]}(?P<value>{_VALUE[shape]})",
        re.IGNORECASE,
    )


_DATE = (
    r"(?:[0-9]{1,4}[./-][0-9]{1,2}[./-][0-9]{2,4}"
    r"|[0-9]{4}\s?年\s?[0-9]{1,2}\s?月\s?[0-9]{1,2}\s?日"
    r"|[0-9]{1,2}(?:st|nd|rd|th|er|\.)?\s(?:de\s)?[^\W\d_]{3,12}\.?,?\s(?:de\s)?[0-9]{4}"
    r"|[^\W\d_]{3,12}\.?\s[0-9]{1,2}(?:st|nd|rd|th)?,?\s[0-9]{4})"
)


@cache
def _birth() -> re.Pattern[str]:
    return re.compile(
        rf"{cue_pattern('birth')}[^\n0-9]{{0,16}}?(?P<value>{_NUM}{_DATE}){_END}", re.IGNORECASE
    )


def birth_dates(text: str) -> Spans:
    """A date announced as a date of birth ("DOB: 12/03/1990", "生年月日は1990年3月12日")."""
    if prescan.may_hold(text, _DIGIT) and has_cue(text, "birth"):
        matches = prescan.cue_matches(_birth(), text, _phrases("birth"))
        yield from (m.span("value") for m in matches)


_SECRET_SYMBOLS = set("!@#$%^&*_+=?~")


@cache
def _password() -> re.Pattern[str]:
    return re.compile(
        rf"{cue_pattern('password')}(?P<sep>\s*[:=：]\s*|\s+(?:{_either('is')})\s+|\s*[はが是]\s*|\s+)"
        r"(?P<value>[A-Za-z0-9!@#$%^&*_+=?~.-]{4,64})",
        re.IGNORECASE,
    )


def passwords(text: str) -> Spans:
    """A secret after a password cue: anything after "password:"; after "password is"
    only a token with a digit or a symbol (so "password is case-sensitive" is not one)."""
    if not has_cue(text, "password"):
        return
    for m in prescan.cue_matches(_password(), text, _phrases("password")):
        value = m.group("value").rstrip(".-")
        plain = value.isalpha() or not any(c.isdigit() or c in _SECRET_SYMBOLS for c in value)
        if len(value) < 4 or (plain and not re.search("[:=：]", m.group("sep"))):
            continue
        yield m.start("value"), m.start("value") + len(value)


_NAME = r"[^\W\d_][\w'’.-]{0,40}"
_WORD = r"[^\s0-9,!?;:()]{1,40}"
_HAN = "\u4e00-\u9fff\u30a0-\u30ff"
# Chinese and Japanese addresses are written without spaces. Each is found from its
# end ("...区神南1-2-3", "...建国路88号") and extended left over at most 14 Han or
# katakana characters, stopping at the words that precede an address ("请寄到", "は").
_EAST_ASIAN = re.compile(
    r"[市区町村郡县縣][\u3040-\u30ff\u4e00-\u9fff]{0,10}?[0-9]{1,4}(?:丁目|-)[0-9]{1,4}"
    r"(?:(?:番地?|-)[0-9]{1,4}号?)?"
    # "建国路88号", "信義路五段7號" (a Taiwanese road's section), "彌敦道600號12樓"
    r"|(?:大道|胡同|路|街|道|巷|弄)(?:[一二三四五六七八九十]段)?[0-9]{1,5}[号號]"
    r"(?:[0-9]{1,4}[楼樓室])?"
    # "南山区科技园南区8栋", "朝阳区望京花园3号楼1201": a district, then a building
    r"|[区區县縣镇鎮][\u4e00-\u9fff]{0,12}?[0-9]{1,4}(?:栋|棟|幢|号楼|號樓)(?:[0-9]{1,5}室?)?"
)
_EAST_ASIAN_NEED = "[0-9](?:丁目|-|[号號栋棟幢])"
_NOT_ADDRESS = set("是在到寄的我请為为送往您你は")


@cache
def _suffixed() -> re.Pattern[str]:
    """Compounds ("Lindenstraße 12"): found from the street suffix (cue kind `suffix`),
    then extended left."""
    return re.compile(rf"(?:{_either('suffix')})\s[0-9]{{1,4}}[a-z]?\b", re.IGNORECASE)


def _extend_left(text: str, start: int, limit: int, letter: str) -> int:
    """Move `start` left over at most `limit` characters of the class `letter`."""
    stop = max(0, start - limit)
    while start > stop and re.fullmatch(letter, text[start - 1]):
        if text[start - 1] in _NOT_ADDRESS:
            break
        start -= 1
    return start


@cache
def _addresses() -> tuple[re.Pattern[str], ...]:
    """Separate patterns, each starting with a literal or a class the engine can skip to."""
    street = cue_pattern("street")
    number = "[0-9](?<![0-9][0-9])[0-9]{0,4}[a-z]?,?\\s{1,3}"
    return tuple(
        re.compile(pattern, re.IGNORECASE)
        for pattern in (
            # "Jalan Ampang 5", "मकान नं. 12", "شارع التحرير رقم 12": street type, words, number
            rf"{street}\s{{1,3}}(?:{_WORD}\s{{1,3}}){{0,4}}?(?:no\.?\s?|nº\s?|رقم\s?)?[0-9]{{1,5}}"
            rf"{_END}",
            # "14 rue des Lilas", "120 Avenida Paulista": number, street type, its name
            rf"{number}(?:rue|avenue|av\.|boulevard|allée|chemin|impasse|rua|avenida|calle|"
            rf"jalan|jl\.)\s{{1,3}}{_NAME}(?:\s{_NAME}){{0,3}}"
            # "221B Baker Street", "12, गांधी नगर": number, up to three words, street type
            rf"|{number}(?:{_WORD}\s{{1,3}}){{0,3}}{street}",
            # Armenian: "Բաղրամյան 44, բն. 12" (բն. = apartment)
            r"[Ա-Ֆ][ա-ֆ]{1,30}\s[0-9]{1,4}\s?,\s?բն\.?\s?[0-9]{1,4}",
            # Indian PIN codes, Japanese postal codes, UK postcodes ("BN2 1TL", capitals)
            r"(?:pin\s?code|पिन\s?कोड|पिनकोड)\s?[:-]?\s?[0-9]{6}|〒\s?[0-9]{3}-?[0-9]{4}"
            r"|(?-i:\b[A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][ABD-HJLNP-UW-Z]{2}\b)",
        )
    )


@cache
def _cued_address() -> re.Pattern[str]:
    #: "<address word> ... <Name> <number>": a street named after an address cue;
    #: "<address word>: <number>, <words>": a house number right after the cue and its
    #: colon, as addresses are written in scripts without capitals ("पता: 14, शिवाजी
    #: पार्क", "ঠিকানা: ২৩/১ গড়িয়াহাট রোড", "అడ్రస్: 5-9-22, అబిడ్స్"; digits of any script).
    return re.compile(
        rf"{cue_pattern('address')}(?:[^\n.!?։]{{0,60}}?"
        r"(?P<street>(?<!\w)[A-ZÀ-ÞԱ-Ֆ][^\W\d_]{2,30}\s[0-9]{1,4}[a-zA-Z]?(?![0-9]))"
        r"|\s?[:：]\s*(?P<numbered>\d{1,4}(?:[/-]\d{1,4}){0,3}[a-zA-Z]?,?\s+[^\W\d_][^\s,،、，]*))"
        r"|(?P<before>(?<!\w)[Ա-Ֆ][ա-ֆ]{1,30}\s[0-9]{1,4})\sհասցե",
    )


def addresses(text: str) -> Spans:
    """Postal addresses in the brand's languages and scripts (each holds a digit)."""
    if not prescan.may_hold(text, _DIGIT):
        return
    streets = has_cue(text, "street")
    first, *others = _addresses()  # the first starts with a street cue
    if streets:
        yield from (m.span() for m in prescan.cue_matches(first, text, _phrases("street")))
    for pattern, need in zip(others, (_DIGIT, _DIGIT, _DIGIT), strict=True):
        if (streets or "(?i:" not in pattern.pattern) and prescan.may_hold(text, need):
            yield from (m.span() for m in pattern.finditer(text))
    yield from _written_together(text)
    if has_cue(text, "address"):
        # Without an Armenian capital (the second branch's start), a match starts at a cue.
        armenian = prescan.may_hold(text, "[Ա-Ֆ]")
        matches = (
            _cued_address().finditer(text)
            if armenian
            else prescan.cue_matches(_cued_address(), text, _phrases("address"))
        )
        for m in matches:
            yield m.span(next(g for g in ("street", "numbered", "before") if m.group(g)))


def _written_together(text: str) -> Spans:
    """Addresses found from their end and extended left: Chinese and Japanese ones, and
    compounds with a street suffix."""
    if prescan.may_hold(text, _EAST_ASIAN_NEED):
        for m in _EAST_ASIAN.finditer(text):
            start = _extend_left(text, m.start(), 14, f"[{_HAN}]")
            if start < m.start():
                yield start, m.end()
    if prescan.may_hold_phrase(text, _phrases("suffix")):
        for m in prescan.cue_matches(_suffixed(), text, _phrases("suffix")):
            start = _extend_left(text, m.start(), 40, r"\w")
            if start < m.start():
                yield start, m.end()
