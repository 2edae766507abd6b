"""What the message says about the conversation: the customer's register, how long
they have waited, whether they have written before, which escalation comes first.

    customer_register("¿Podría usted revisar mi pedido?", pack)   # "formal"
    elapsed_days("still nothing after two weeks")                  # 14

Register markers are the locale pack's (the register check reads the same lists); a
capitalised marker (German "Sie", Indonesian "Anda") counts only mid-sentence, where
it cannot be "she/they" or a sentence's first word.
"""

from __future__ import annotations

import re

from assistant.knowledge.models import LocalePack
from assistant.text import find_all, is_sentence_start
from assistant.types import EscalationMatch

#: Escalations in the order a reply handles them: safety before everything else.
ESCALATION_ORDER = ("safety", "legal_threat", "press", "repeated_contact")

_NUMBER_WORDS = {
    "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10,
    "un": 1, "une": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "deux": 2, "trois": 3,
    "ein": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "um": 1, "dois": 2, "duas": 2,
    "três": 3, "dua": 2, "tiga": 3, "satu": 1, "do": 2, "teen": 3, "tin": 3,
}  # fmt: skip
_COUNT = r"(\d{1,3}|[a-zA-ZÀ-ÿ]{1,5})"
#: Unit words after a count: days and weeks in the brand's languages (romanised too).
_DAY = (
    r"days?|d[ií]as?|jours?|tagen?|dias?|hari|din|dino|divas|ro[jz]u|dibos|"
    r"يوم|أيام|ايام|दिन|দিন|દિવસ|రోజులు|రోజు|օր|日|天"
)
_WEEK = (
    r"weeks?|semanas?|semaines?|wochen?|minggu|hafte|hafta|shabat|"
    r"أسبوع|اسبوع|أسابيع|اسابيع|हफ्ते|हफ़्ते|सप्ताह|সপ্তাহ|અઠવાડિયા|అઠవాడ|వారాలు|వారం|շաբաթ|週間|周|星期"
)
_ELAPSED = re.compile(rf"(?<![A-Za-zÀ-ÿ]){_COUNT}\s*(?:-\s*)?({_WEEK}|{_DAY})", re.IGNORECASE)
#: "4th message", "third time", "3. Mal": an ordinal count of contacts (romanised too).
_REPEATED = re.compile(
    r"\b(?:[2-9]|1\d)(?:nd|rd|th|e|ème|eme|º|ª|a|o|\.)?\s*(?:message|time|mail|email|"
    r"mensaje|mensagem|vez|fois|mal|nachricht|kali|baar|bar|vaar)\b|"
    r"\b(?:second|third|fourth|fifth)\s+(?:message|time|email)\b",
    re.IGNORECASE,
)


def customer_register(text: str, pack: LocalePack) -> str | None:
    """ "formal" or "informal" when the customer's words show one (more markers of it),
    None when they show none or as many of each."""
    formal = _count(text, pack.registers["formal"].markers)
    informal = _count(text, pack.registers["informal"].markers)
    if formal == informal:
        return None
    return "formal" if formal > informal else "informal"


def _count(text: str, markers: list[str]) -> int:
    found = 0
    for marker in markers:
        cased = marker != marker.lower()
        spans = find_all(text, marker, case_sensitive=cased)
        found += sum(1 for start, _ in spans if not (cased and is_sentence_start(text, start)))
    return found


def elapsed_days(text: str) -> int | None:
    """The longest wait the message states ("2 weeks", "10 दिन", "3周"), in days."""
    longest: int | None = None
    for match in _ELAPSED.finditer(text):
        count = _number(match.group(1))
        if count is None or not 0 < count <= 365:
            continue
        days = count * 7 if re.fullmatch(_WEEK, match.group(2), re.IGNORECASE) else count
        longest = max(longest or 0, days)
    return longest


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


def repeated_contact(text: str) -> str | None:
    """The words that say the customer has written several times ("4th message")."""
    match = _REPEATED.search(text)
    return match.group(0) if match else None


def ordered(escalations: list[EscalationMatch]) -> list[EscalationMatch]:
    """Escalations in handling order: safety first; unknown triggers keep their place."""
    rank = {trigger: i for i, trigger in enumerate(ESCALATION_ORDER)}
    return sorted(escalations, key=lambda e: rank.get(e.trigger, len(rank)))
