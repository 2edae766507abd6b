"""Rules that span several guidelines files (each file alone is checked by its model).

Every rule returns located `Problem`s; errors block loading, warnings do not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlparse

from assistant.errors import Problem
from assistant.knowledge.base import KnowledgeBase
from assistant.knowledge.models import PLACEHOLDER, RUNTIME_PLACEHOLDERS, FaqEntry, LocalePack
from assistant.knowledge.word_files import screening_gaps
from assistant.knowledge.yaml_source import YamlDocument
from assistant.types import CHANNELS

ISO_639_1 = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs
    cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha
    he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn
    ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb
    nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd
    se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw
    ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu fil
    """.split()
)
LOCALE = re.compile(r"^([a-z]{2,3})(?:[-_][A-Za-z]{2,4})*$")
URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&*+,;=%]*[A-Za-z0-9/_=#%~]")
MIN_QUESTIONS = 3


def is_language_code(code: str) -> bool:
    """True for an ISO 639-1 code or a locale built on one (pt-BR, zh-Hant)."""
    match = LOCALE.match(code)
    return bool(match) and match.group(1) in ISO_639_1  # type: ignore[union-attr]


def cross_check(
    kb: KnowledgeBase,
    brand_doc: YamlDocument,
    channels_doc: YamlDocument,
    locales: dict[str, tuple[LocalePack, YamlDocument]],
    faq: dict[str, tuple[FaqEntry, YamlDocument]],
) -> list[Problem]:
    declared = set(RUNTIME_PLACEHOLDERS) | set(kb.brand.placeholders)
    problems = [
        *_brand_codes(kb, brand_doc),
        *_channel_codes(kb, brand_doc, channels_doc),
        *_missing_locales(kb, brand_doc, locales),
        *_script_policy(kb, brand_doc, locales),
        *_escalation_gaps(kb, brand_doc),
    ]
    english = locales.get("en", (None, None))[0]
    for pack, doc in locales.values():
        problems += _locale_placeholders(pack, doc, declared)
        problems += _lexicon_gaps(pack, doc)
        problems += _cue_gaps(pack, doc)
        problems += _screening_gaps(pack, doc)
        problems += _untranslated(pack, doc, english)
    for entry, doc in faq.values():
        problems += _faq_problems(kb, entry, doc, declared)
    problems += _waiting_entries(faq)
    return problems


def _waiting_entries(faq: dict[str, tuple[FaqEntry, YamlDocument]]) -> Iterator[Problem]:
    """One entry at most answers complaints about a wait (`answers_waits`)."""
    marked = [(entry, doc) for entry, doc in faq.values() if entry.answers_waits]
    for entry, doc in marked[1:]:
        yield _error(
            doc,
            ("answers_waits",),
            f"only one FAQ entry may set answers_waits (already set in {marked[0][0].id}); "
            f"remove it from {entry.id} or from {marked[0][0].id}",
        )


def _error(doc: YamlDocument, loc: tuple[str | int, ...], message: str) -> Problem:
    return Problem(doc.label, doc.line_of(loc), ".".join(map(str, loc)), message)


def _warning(doc: YamlDocument, loc: tuple[str | int, ...], message: str) -> Problem:
    return Problem(doc.label, doc.line_of(loc), ".".join(map(str, loc)), message, "warning")


def _unknown_language(doc: YamlDocument, loc: tuple[str | int, ...], code: str) -> Problem:
    return _error(
        doc,
        loc,
        f"unknown language code {code!r}; use an ISO 639-1 code such as "
        "en, es, hy, ms (optionally with a region: pt-BR)",
    )


def _brand_codes(kb: KnowledgeBase, doc: YamlDocument) -> Iterator[Problem]:
    policy = kb.brand.languages
    for i, code in enumerate(policy.supported):
        if not is_language_code(code):
            yield _unknown_language(doc, ("languages", "supported", i), code)
    if policy.default not in policy.supported:
        yield _error(
            doc,
            ("languages", "default"),
            f"{policy.default!r} is not in "
            "languages.supported; add it there or pick a supported language",
        )
    for source, target in policy.fallbacks.items():
        if not is_language_code(source):
            yield _unknown_language(doc, ("languages", "fallbacks", source), source)
        if target not in policy.supported:
            yield _error(
                doc,
                ("languages", "fallbacks", source),
                f"falls back to {target!r}, which is not in languages.supported",
            )
    for i, rule in enumerate(kb.brand.escalation):
        for code in rule.keywords:
            if code != "any" and not is_language_code(code):
                yield _unknown_language(doc, ("escalation", i, "keywords", code), code)


def _channel_codes(
    kb: KnowledgeBase, brand_doc: YamlDocument, channels_doc: YamlDocument
) -> Iterator[Problem]:
    known = ", ".join(CHANNELS)
    for name in kb.channels:
        if name not in CHANNELS:
            yield _error(
                channels_doc, ("channels", name), f"unknown channel {name!r}; channels are: {known}"
            )
    for name in kb.brand.response_targets:
        if name not in CHANNELS:
            yield _error(
                brand_doc,
                ("response_targets", name),
                f"unknown channel {name!r}; channels are: {known}",
            )
    for name in CHANNELS:
        if name not in kb.channels:
            yield _warning(
                channels_doc,
                ("channels",),
                f"channel {name!r} has no policy; replies on it use the strictest defaults",
            )


def _missing_locales(
    kb: KnowledgeBase, doc: YamlDocument, locales: dict[str, tuple[LocalePack, YamlDocument]]
) -> Iterator[Problem]:
    for i, code in enumerate(kb.brand.languages.supported):
        if code not in locales:
            yield _error(
                doc,
                ("languages", "supported", i),
                f"no locale pack for {code!r}; "
                f"create guidelines/locales/{code}.yaml (copy locales/en.yaml)",
            )


#: Lexicon lists with no English fallback: every language's words count together, and
#: phone regions default to US and common ones (see `_counting_gaps`).
COUNTING = (
    "currency_words", "percent_words", "phone_regions", "number_words", "day_words",
    "week_words", "month_words", "contact_words", "ordinal_suffixes", "ordinal_words",
)  # fmt: skip


def _lexicon_gaps(pack: LocalePack, doc: YamlDocument) -> Iterator[Problem]:
    missing = [name for name in pack.lexicon.missing() if name not in COUNTING]
    yield from _counting_gaps(pack, doc)
    if not missing:
        return
    fallback = (
        "the checks recognise no such words in any language"
        if pack.language == "en"
        else f"checks of {pack.language!r} replies use only the English lists for them"
    )
    yield _warning(
        doc,
        ("lexicon",),
        f"no {', '.join(missing)} word list(s): {fallback}. Add them under lexicon: "
        f"in {pack.name} (or `name: []` for a list the language does not need)",
    )


def _counting_gaps(pack: LocalePack, doc: YamlDocument) -> Iterator[Problem]:
    missing = [name for name in pack.lexicon.missing() if name in COUNTING]
    if missing:
        yield _warning(
            doc,
            ("lexicon",),
            f"no {', '.join(missing)} list(s): phone numbers in {pack.language!r} are read "
            "as US or common regions' ones, and amounts, percentages, a stated wait or "
            "repeated contact only in the other languages' words. Add them under lexicon: "
            f"in {pack.name} (or `name: []` for a list the language does not need)",
        )


def _screening_gaps(pack: LocalePack, doc: YamlDocument) -> Iterator[Problem]:
    for gap in screening_gaps(pack.language):
        yield _warning(
            doc,
            ("language",),
            f"the product's word file assistant/data/{gap} has no {pack.language!r} line: "
            f"{pack.language!r} messages are screened only with the other languages' "
            "phrases (English catches most code-mixed ones); add lines for it there",
        )


def _cue_gaps(pack: LocalePack, doc: YamlDocument) -> Iterator[Problem]:
    empty = [name for name, words in pack.cues if not words]
    if empty:
        yield _warning(
            doc,
            ("cues",),
            f"no {', '.join(empty)} cue words: sentiment and urgency of {pack.language!r} "
            "messages rest on English cues, emoji and examples; add the words customers use",
        )


def _escalation_gaps(kb: KnowledgeBase, doc: YamlDocument) -> Iterator[Problem]:
    for i, rule in enumerate(kb.brand.escalation):
        if "any" in rule.keywords:
            continue
        missing = [code for code in kb.brand.languages.supported if code not in rule.keywords]
        if missing:
            yield _warning(
                doc,
                ("escalation", i, "keywords"),
                f"no {rule.trigger} keywords in {', '.join(map(repr, missing))}: messages in "
                "those languages trigger it only with English words; add keywords.<code>",
            )


def _pack_texts(pack: LocalePack) -> list[str]:
    texts = [text for _, text in _strings(pack.model_dump()["lines"], ())]
    for forms in pack.registers.values():
        texts += [forms.greeting, forms.greeting_no_name]
    return texts


def _untranslated(
    pack: LocalePack, doc: YamlDocument, english: LocalePack | None
) -> Iterator[Problem]:
    """A pack copied from en.yaml whose lines were left in English (a warning, like a
    machine-translated answer: the brand still loads, `check --strict` fails)."""
    if english is None or pack.language.split("-")[0] == "en":
        return
    ours = _pack_texts(pack)
    theirs = set(_pack_texts(english))
    same = [text for text in ours if text in theirs]
    if len(same) * 2 >= len(ours):
        yield _warning(
            doc,
            ("lines",),
            f"{len(same)} of {len(ours)} lines are the English text of locales/en.yaml, "
            f"as if the file was copied and not translated: replies in {pack.language!r} "
            f"would be in English. Write its name, lines, greetings, cues and lexicon in "
            f"{pack.language!r}",
        )


def _script_policy(
    kb: KnowledgeBase, doc: YamlDocument, locales: dict[str, tuple[LocalePack, YamlDocument]]
) -> Iterator[Problem]:
    """`reply_script` names supported languages; script packs (hi-Latn) have a base."""
    policy = kb.brand.languages
    for code, choice in policy.reply_script.items():
        loc: tuple[str | int, ...] = ("languages", "reply_script", code)
        if code not in policy.supported:
            yield _error(doc, loc, f"{code!r} is not in languages.supported; add it there")
        elif choice == "customer" and not any(k.startswith(f"{code}-") for k in locales):
            yield _warning(
                doc,
                loc,
                f"no script variant of {code!r} (e.g. locales/{code}-Latn.yaml): customers "
                f"who write {code!r} in another script are answered in its native script",
            )
    for code, (_, pack_doc) in locales.items():
        base = code.split("-")[0]
        if "-" in code and base not in policy.supported:
            yield _warning(
                pack_doc,
                ("language",),
                f"{code} is a variant of {base!r}, which is not in languages.supported; "
                "it is never used",
            )


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _undeclared(
    doc: YamlDocument, loc: tuple[str | int, ...], text: str, declared: set[str]
) -> Iterator[Problem]:
    for name in sorted(_placeholders(text) - declared):
        yield _error(
            doc,
            loc,
            f"placeholder {{{name}}} is not declared; use one of "
            f"{', '.join('{' + d + '}' for d in sorted(declared))} or declare it "
            "under placeholders: in brand.yaml",
        )


def _strings(
    value: object, loc: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*loc, i))


def _locale_placeholders(
    pack: LocalePack, doc: YamlDocument, declared: set[str]
) -> Iterator[Problem]:
    for section in ("registers", "lines"):
        for loc, text in _strings(pack.model_dump()[section], (section,)):
            yield from _undeclared(doc, loc, text, declared)


def _faq_problems(
    kb: KnowledgeBase, entry: FaqEntry, doc: YamlDocument, declared: set[str]
) -> Iterator[Problem]:
    yield from _faq_languages(kb, entry, doc)
    texts: list[tuple[tuple[str | int, ...], str]] = [
        (("answers", lang), text) for lang, text in entry.answers.items()
    ]
    for register, variants in entry.register_answers.items():
        texts += [(("register_answers", register, lang), text) for lang, text in variants.items()]
    for loc, text in texts:
        yield from _undeclared(doc, loc, text, declared)
        yield from _banned(kb, doc, loc, text)
        yield from _links(kb, doc, loc, URL.findall(_expand(kb, text)))
    yield from _register_variants(entry, doc)
    for i, link in enumerate(entry.links):
        undeclared = list(_undeclared(doc, ("links", i), link, declared))
        yield from undeclared or _links(kb, doc, ("links", i), [_expand(kb, link)])
    yield from _staleness(kb, entry, doc)


def _register_variants(entry: FaqEntry, doc: YamlDocument) -> Iterator[Problem]:
    """A register variant replaces an answer: the language must have one."""
    for register, variants in entry.register_answers.items():
        for code in variants:
            if code not in entry.answers:
                yield _error(
                    doc,
                    ("register_answers", register, code),
                    f"a {register} answer in {code!r} but no answers.{code}; "
                    f"write answers.{code} first (the variant only replaces it)",
                )


def _expand(kb: KnowledgeBase, text: str) -> str:
    values = kb.constants()
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _faq_languages(kb: KnowledgeBase, entry: FaqEntry, doc: YamlDocument) -> Iterator[Problem]:
    for section in ("answers", "questions"):
        for code in getattr(entry, section):
            if not is_language_code(code):
                yield _unknown_language(doc, (section, code), code)
    for code in kb.brand.languages.supported:
        if code not in entry.answers:
            yield _error(
                doc,
                ("answers",),
                f"no answer in {code!r}, a supported language; "
                f"add answers.{code} (or run `assistant guidelines coverage`)",
            )
        if len(entry.questions.get(code, [])) < MIN_QUESTIONS:
            yield _warning(
                doc,
                ("questions",),
                f"fewer than {MIN_QUESTIONS} question variants "
                f"in {code!r}; add how customers ask this in that language",
            )
    for code in entry.machine_translated:
        yield _warning(
            doc,
            ("machine_translated",),
            f"answer in {code!r} is machine-translated; "
            "ask a fluent writer to review it, then remove it from this list",
        )


def _banned(
    kb: KnowledgeBase, doc: YamlDocument, loc: tuple[str | int, ...], text: str
) -> Iterator[Problem]:
    lowered = text.casefold()
    for phrase in kb.brand.banned_phrases:
        if phrase.casefold() in lowered:
            yield _error(
                doc,
                loc,
                f"contains the banned phrase {phrase!r} (brand.yaml "
                "banned_phrases); rephrase the answer",
            )


def _links(
    kb: KnowledgeBase, doc: YamlDocument, loc: tuple[str | int, ...], urls: Iterable[str]
) -> Iterator[Problem]:
    for url in urls:
        if not domain_allowed(url, kb.brand.allowed_link_domains):
            host = urlparse(url).hostname or url
            yield _error(
                doc,
                loc,
                f"links to {host!r}, which is not in allowed_link_domains "
                "(brand.yaml); link to an allowed domain or add it there",
            )


def domain_allowed(url: str, allowed: Iterable[str]) -> bool:
    """True if the URL's host is an allowed domain or one of its subdomains."""
    host = (urlparse(url if "://" in url else f"https://{url}").hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in (a.lower() for a in allowed))


def _staleness(kb: KnowledgeBase, entry: FaqEntry, doc: YamlDocument) -> Iterator[Problem]:
    age = (dt.date.today() - entry.last_reviewed).days
    if age > kb.brand.review_interval_days:
        yield _warning(
            doc,
            ("last_reviewed",),
            f"last reviewed {age} days ago (more than "
            f"{kb.brand.review_interval_days}); review the answers and update the date",
        )
