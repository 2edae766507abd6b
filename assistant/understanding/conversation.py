"""What the message says about the conversation: the customer's register, how long
they have waited, whether they have written before, which escalation comes first.

    customer_register("¿Podría usted revisar mi pedido?", pack)   # "formal"
    elapsed_days("still nothing after two weeks", CountWords.of(kb))  # 14

Register markers are the locale pack's (the register check reads the same lists); a
capitalised marker (German "Sie", Indonesian "Anda") counts only mid-sentence, where
it cannot be "she/they" or a sentence's first word. Count words (numbers, days, weeks,
"4th message") are the lexicons' of every locale pack (`CountWords`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from assistant.knowledge import KnowledgeBase
from assistant.knowledge.cache import per_kb
from assistant.knowledge.models import LocalePack
from assistant.resources import data_json, word_table
from assistant.text import contains_any, find_all, is_sentence_start
from assistant.types import EscalationMatch

#: A stated wait this long is a complaint (praise words beside it are sarcasm), is
#: acknowledged in the reply, and alone points at the FAQ entry for waits.
LONG_WAIT_DAYS = 3
#: More months than this state how old a product is, not how long a customer has waited.
WAIT_MONTHS = 3

#: Escalations in the order a reply handles them: safety before everything else.
ESCALATION_ORDER = ("safety", "legal_threat", "press", "repeated_contact")
#: Escalations that are never neutral: an injury, a threat, a customer writing again. A
#: journalist or creator asking for a contact is not upset: no "we understand how
#: upsetting this is", no apology (dev: every neutral press message got both).
UPSET_TRIGGERS = frozenset({"safety", "legal_threat", "repeated_contact"})

_LETTER = "A-Za-zÀ-ÿ"

#: Words for "times" that count anything after a bare number ("2 baar kata": charged
#: twice), a contact only after an ordinal ("तीसरी बार"): data/understanding/times_words.json.
TIMES_FILE = ("understanding", "times_words.json")
#: Words for trying something: data/understanding/attempt_words.json (`counts_attempts`).
ATTEMPT_FILE = ("understanding", "attempt_words.json")
#: Words after a count of messages that make it a rate ("4 e-mails por dia"): what the
#: customer receives, not how often they wrote: data/understanding/rate_words.json.
RATE_FILE = ("understanding", "rate_words.json")
#: Words before a number of days waited ("now on day 12"): data/understanding/
#: day_count_words.json (`elapsed_days`).
DAY_COUNT_FILE = ("understanding", "day_count_words.json")
#: Words before a count that make it a deadline to come ("within 7 days"), no wait:
#: data/understanding/deadline_words.json (`elapsed_days`).
DEADLINE_FILE = ("understanding", "deadline_words.json")
#: Characters before a count searched for a deadline word.
DEADLINE_WINDOW = 30
#: Verbs of contacting the brand before a count of times ("emailed 4 times"):
#: data/understanding/contact_verbs.json (`repeated_contact`).
CONTACT_VERB_FILE = ("understanding", "contact_verbs.json")
#: Characters either side of a repeated-contact keyword searched for an attempt word:
#: "tried several times to", "mehrmals versucht", "何度も試した"; 25 reaches a card
#: "declined on your site again and again" (20 did not; dev: `en-435`, no other change).
ATTEMPT_WINDOW = 25


@cache
def times_words() -> frozenset[str]:
    """Every language's words of `TIMES_FILE`, casefolded."""
    table = word_table(*TIMES_FILE)
    return frozenset(w.casefold() for words in table.values() for w in words)


@dataclass(frozen=True)
class CountWords:
    """The brand's words for counting days, weeks and contacts, from every locale pack's
    lexicon (`number_words`, `day_words`, `week_words`, `month_words`, `contact_words`,
    `ordinal_suffixes`, `ordinal_words`): a romanised or code-mixed message is often
    detected as another language, so every language's words count in every message."""

    numbers: tuple[tuple[str, int], ...]
    days: tuple[str, ...]
    weeks: tuple[str, ...]
    months: tuple[str, ...]
    contacts: tuple[str, ...]
    suffixes: tuple[str, ...]
    ordinals: tuple[str, ...]
    #: Per locale pack: its counts of two or more written as words and its contact words
    #: ("drei" and "Mails"), paired only within one language (`_spelled`).
    spelled: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, kb: KnowledgeBase) -> CountWords:
        """The brand's count words, gathered once per knowledge base (`per_kb`)."""
        return per_kb(kb, "count-words", lambda: cls._gather(kb))

    @classmethod
    def _gather(cls, kb: KnowledgeBase) -> CountWords:
        return cls(
            numbers=tuple(kb.number_words().items()),
            days=kb.all_words("day_words"),
            weeks=kb.all_words("week_words"),
            months=kb.all_words("month_words"),
            contacts=kb.all_words("contact_words"),
            suffixes=kb.all_words("ordinal_suffixes"),
            ordinals=kb.all_words("ordinal_words"),
            spelled=tuple(
                (
                    tuple(w for w, n in (pack.lexicon.number_words or {}).items() if n >= 2),
                    tuple(pack.lexicon.contact_words or ()),
                )
                for pack in kb.locales.values()
            ),
        )


def _either(words: Iterable[str]) -> str:
    """An alternation of literal words, longest first; one that never matches if empty."""
    ordered_words = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in ordered_words) or "(?!)"


@cache
def _elapsed(words: CountWords) -> re.Pattern[str]:
    # Any short word, then looked up (a longer or non-Latin number word is listed whole):
    # "adia semana" is the verb "adia", not "a dia".
    short = re.compile(f"[{_LETTER}]{{1,5}}")
    longer = [w for w, _ in words.numbers if not short.fullmatch(w)]
    count = f"[{_LETTER}]{{1,5}}|{_either(longer)}"
    units = f"{_either(words.months)}|{_either(words.weeks)}|{_either(words.days)}"
    return re.compile(rf"(?<![{_LETTER}])(\d{{1,3}}|{count})\s*(?:-\s*)?({units})", re.IGNORECASE)


@cache
def _repeated(words: CountWords) -> re.Pattern[str]:
    """An ordinal (digit with an ordinal suffix, or word) before a contact word, or a bare
    number before a contact word that is not a word for "times" (`times_words`), or such
    a count written as a word (`_spelled`: "meine drei Mails", "three emails")."""
    contacts = _either(words.contacts)
    plain = _either(w for w in words.contacts if w.casefold() not in times_words())
    count = r"\b(?:[2-9]|1\d)"
    # "4 e-mails por dia" counts a newsletter's mails, not the customer's (dev: pt-425).
    rate = rf"(?!\s+(?:{_either(w for ws in word_table(*RATE_FILE).values() for w in ws)})\b)"
    pattern = rf"{count}\s*(?:{plain})\b{rate}"
    if spelled := _spelled(words):
        pattern += f"|(?:{spelled}){rate}"
    if words.suffixes:
        pattern += rf"|{count}(?:{_either(words.suffixes)})\s*(?:{contacts})\b"
    if words.ordinals:
        pattern += rf"|\b(?:{_either(words.ordinals)})\s+(?:{contacts})\b"
    return re.compile(pattern, re.IGNORECASE)


#: A count written as a word shorter than this in Latin letters is left out: Hindi "do"
#: (two) is also "please do call", Portuguese "do chat".
SPELLED_MIN = 3


def _spelled(words: CountWords) -> str:
    """A count of two or more written as a word, then a contact word of the same locale
    pack that is not a word for "times" ("drei Mails", "deux courriels", "three
    emails"): pairs across languages would read Hindi "do" before English "call"."""
    pairs = []
    for numbers, contacts in words.spelled:
        counts = [n for n in numbers if not (n.isascii() and len(n) < SPELLED_MIN)]
        nouns = [w for w in contacts if w.casefold() not in times_words()]
        if counts and nouns:
            pairs.append(rf"(?<![\w-])(?:{_either(counts)})\s+(?:{_either(nouns)})\b")
    return "|".join(pairs)


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


def elapsed_days(text: str, words: CountWords) -> int | None:
    """The longest wait the message states ("2 weeks", "10 दिन", "3周", "un mes"), in
    days (a month counts 30)."""
    numbers, weeks, months = _lookups(words)
    longest: int | None = None
    for match in _elapsed(words).finditer(text):
        word = match.group(1)
        count = int(word) if word.isdigit() else numbers.get(word.lower())
        if count is None or not 0 < count <= 365 or _deadline(text, match.start()):
            continue
        unit = match.group(2).lower()
        if unit in months and count > WAIT_MONTHS:
            continue  # "14 Monate alt", "dah 8 bulan guna": the product's age, not a wait
        days = count * 30 if unit in months else count * 7 if unit in weeks else count
        longest = max(longest or 0, days)
    for pattern in (_day_count(), _opening_day()):
        for match in pattern.finditer(text):
            longest = max(longest or 0, int(match.group(1)))
    return longest


def counts_wait_days(text: str) -> bool:
    """The message counts the days of a wait still going ("it's day 9", "now on day 12",
    a sentence that is only "day 19."): praise beside such a count is not meant."""
    return bool(_day_count().search(text) or _opening_day().search(text))


def _deadline(text: str, start: int) -> bool:
    """A deadline word of `DEADLINE_FILE` ends right before `start` ("within 7 days")."""
    return bool(_deadline_end().search(text[max(0, start - DEADLINE_WINDOW) : start]))


@cache
def _deadline_end() -> re.Pattern[str]:
    phrases = _file_phrases(DEADLINE_FILE)
    return re.compile(rf"(?<![{_LETTER}])(?:{phrases})\s*$", re.IGNORECASE)


@cache
def _day_count() -> re.Pattern[str]:
    """A phrase of `DAY_COUNT_FILE`, then the number of the day the wait is on."""
    phrases = _file_phrases(DAY_COUNT_FILE)
    return re.compile(rf"(?<![{_LETTER}])(?:{phrases})\s+(\d{{1,3}})(?!\d)", re.IGNORECASE)


@cache
def _opening_day() -> re.Pattern[str]:
    """A sentence (after any @handles) that is only the word for 'day' of `DAY_COUNT_FILE`
    `opening` and a number: "@NimbusHome day 19. one lampshade." The number must end the
    sentence, so "day 5 of using it" or "el día 19 llega?" counts nothing."""
    days = [w for ws in data_json(*DAY_COUNT_FILE)["opening"].values() for w in ws]
    start = r"(?:^|(?<=[.!?\n]))\s*(?:@\w+\s+)*"
    return re.compile(rf"{start}(?:{_either(days)})\s+(\d{{1,3}})\s*[.!…]", re.IGNORECASE)


def _file_phrases(file: tuple[str, str]) -> str:
    """Every language's phrases of a word file as one alternation, with each straight
    apostrophe also typed curly ("it’s")."""
    words = [w for ws in word_table(*file).values() for w in ws]
    return _either([*words, *(w.replace("'", "\u2019") for w in words)])


@cache
def _lookups(words: CountWords) -> tuple[dict[str, int], frozenset[str], frozenset[str]]:
    """The number words as a table, the week and the month words lower-cased, once per
    word set."""
    weeks = frozenset(w.lower() for w in words.weeks)
    return dict(words.numbers), weeks, frozenset(w.lower() for w in words.months)


def repeated_contact(text: str, words: CountWords) -> str | None:
    """The words that say the customer has written several times ("4th message",
    "emailed 4 times", "meine drei Mails", "నాలుగు సార్లు కాల్ చేశాను")."""
    match = _repeated(words).search(text) or next(_counted_contacts(text, words), None)
    return match.group(0).strip() if match else None


@lru_cache(maxsize=256)
def contact_counts(text: str, words: CountWords) -> tuple[tuple[int, int], ...]:
    """Where the customer counts their own calls or messages ("called 5 times", "రెండు
    సార్లు మెసేజ్ పెట్టాను"): such a 'twice' names no card charged twice. Kept for the
    last texts: topic matching asks it of the same message for every entry."""
    return tuple(m.span() for m in _counted_contacts(text, words))


def _counted_contacts(text: str, words: CountWords) -> Iterator[re.Match[str]]:
    yield from _contacted_times(words).finditer(text)
    yield from _times_then_contacted(words).finditer(text)


@cache
def _contacted_times(words: CountWords) -> re.Pattern[str]:
    """A verb of contacting (`CONTACT_VERB_FILE`) where its language wants it (after a
    subject word or at a sentence's start), up to three words, then a count of two or
    more and a word for times: "called your helpline 5 times", "llamé 3 veces"."""
    data = data_json(*CONTACT_VERB_FILE)
    subjects: dict[str, list[str]] = data["subjects"]
    subject = _either(w for ws in subjects.values() for w in ws)
    starts = rf"(?<![^\s.!?,;:(])(?:{subject})\s+"
    opening = r"(?:^|(?<=[.!?,;:\n])\s*)"
    free = [w for code, ws in data["words"].items() if code not in subjects for w in ws]
    bound = [w for code, ws in data["words"].items() if code in subjects for w in ws]
    verbs = rf"(?:{opening}|{starts})(?:{_either(bound)})|(?<![{_LETTER}])(?:{_either(free)})"
    numbers = [w for w, n in words.numbers if n >= 2]
    count = rf"(?:[2-9]|1\d|{_either(numbers)})"
    between = r"(?:[^\W\d_][\w'’-]*\s+){0,3}?"
    times = _either(times_words())
    return re.compile(
        rf"(?:{verbs})\s+{between}{count}\s*(?:{times})s?\b", re.IGNORECASE | re.MULTILINE
    )


@cache
def _times_then_contacted(words: CountWords) -> re.Pattern[str]:
    """In verb-final languages, a count of two or more and a word for times, up to three
    words, then a first-person verb of contacting (`CONTACT_VERB_FILE` 'after'): "నాలుగు
    సార్లు కాల్ చేశాను", "চারবার ফোন করেছি", "4回電話しました"; where the verb does not mark
    the person, after a first-person subject ('after_subjects': "मैंने 4 बार कॉल किया")."""
    data = data_json(*CONTACT_VERB_FILE)
    subjects: dict[str, list[str]] = data["after_subjects"]
    subject = _either(w for ws in subjects.values() for w in ws)
    free = [w for code, ws in data["after"].items() if code not in subjects for w in ws]
    bound = [w for code, ws in data["after"].items() if code in subjects for w in ws]
    numbers = [w for w, n in words.numbers if n >= 2]
    # A digit may follow kana ("昨日から4回"); a number word must start a word.
    number = rf"(?<![\d.,])(?:[2-9]|1\d)|(?<!\w)(?:{_either(numbers)})"
    count = rf"(?:{number})\s*(?:{_either(times_words())})(?:も)?\s*"
    between = r"(?:[^\s.!?。！？]+\s+){0,3}?"
    after_subject = rf"(?<![\w-])(?:{subject})\s+{between}{count}{between}(?:{_either(bound)})"
    return re.compile(rf"{count}{between}(?:{_either(free)})|{after_subject}", re.IGNORECASE)


@cache
def attempt_words() -> tuple[str, ...]:
    """Every language's words of `ATTEMPT_FILE`."""
    return tuple(w for words in word_table(*ATTEMPT_FILE).values() for w in words)


def counts_attempts(text: str, keyword: str, words: CountWords) -> bool:
    """Every occurrence of the repeated-contact `keyword` stands beside a word for
    trying and no word for a contact: "I tried several times to reset my password"
    counts attempts, not messages to the brand; "I tried to call, third time" is a
    repeated contact."""
    contacts = [w for w in words.contacts if w.casefold() not in times_words()]

    def attempts(start: int, end: int) -> bool:
        near = text[max(0, start - ATTEMPT_WINDOW) : end + ATTEMPT_WINDOW]
        return contains_any(near, attempt_words()) and not contains_any(near, contacts)

    spans = find_all(text, keyword)
    return bool(spans) and all(attempts(start, end) for start, end in spans)


def ordered(escalations: list[EscalationMatch]) -> list[EscalationMatch]:
    """Escalations in handling order: safety first; unknown triggers keep their place."""
    rank = {trigger: i for i, trigger in enumerate(ESCALATION_ORDER)}
    return sorted(escalations, key=lambda e: rank.get(e.trigger, len(rank)))


def upset(escalations: Iterable[EscalationMatch]) -> bool:
    """Some escalation says the customer is upset (`UPSET_TRIGGERS`)."""
    return any(e.trigger in UPSET_TRIGGERS for e in escalations)
