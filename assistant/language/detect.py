"""Which language a customer wrote in: `detect_language()`.

Social messages are short, noisy and often mixed, so one model is not enough.
Signals, cheapest first:

1. noise is stripped (URLs, handles, hashtags, emoji, digits...): it only misleads;
2. the writing system: Armenian, Gujarati, Thai... are written by one language;
3. for shared scripts (Latin, Cyrillic, Arabic, Devanagari): Roman-script Hindi
   markers, short chat words, then lingua's n-gram models, re-split by marker
   words and letters for the pairs the models confuse (ms/id, hi/mr, ar/fa/ur);
   Malay words in an English sentence make it Malay (Manglish, `manglish.py`), and
   names alone do not take English away from it (`names.py`);
4. the caller's constraints: `languages=` (what the brand supports) and `hint=`
   (a locale that breaks near-ties).

lingua's detectors are built lazily (a trigram screen once, a high-accuracy detector
per set of languages the screen keeps); everything is deterministic and thread-safe.
Long texts are analysed on a bounded window.
"""

from __future__ import annotations

import functools
import math
import re
import string
import threading
from collections.abc import Iterable
from typing import Any

from assistant.errors import ConfigError
from assistant.language import manglish, msid, names, romanised
from assistant.language.noise import strip_noise
from assistant.language.scripts import (
    CHAT_WORDS,
    FAMILIES,
    HINGLISH,
    LETTER_MARKERS,
    SCRIPT_LANGUAGE,
    SHARED_SCRIPTS,
    TAGALOG_MARKERS,
    WORD_MARKERS,
    count_scripts,
    script_of,
)
from assistant.types import Candidate, Detection

__all__ = ["LANGUAGE_NAMES", "detect_language", "normalize_language_code"]

#: English names of every language `detect_language` can return.
LANGUAGE_NAMES: dict[str, str] = {
    "am": "Amharic", "ar": "Arabic", "bn": "Bengali", "bo": "Tibetan", "de": "German",
    "dv": "Dhivehi", "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian",
    "fr": "French", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hy": "Armenian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ka": "Georgian", "km": "Khmer",
    "kn": "Kannada", "ko": "Korean", "lo": "Lao", "ml": "Malayalam", "mr": "Marathi",
    "ms": "Malay", "my": "Burmese", "nl": "Dutch", "or": "Odia", "pa": "Punjabi",
    "pl": "Polish", "pt": "Portuguese", "ru": "Russian", "si": "Sinhala", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip

# Deprecated ISO 639-1 codes and ISO 639-2/3 codes seen in locales and profiles.
_ALIASES: dict[str, str] = {
    "in": "id", "iw": "he", "ji": "yi", "fil": "tl", "tgl": "tl", "zsm": "ms", "zlm": "ms",
    "msa": "ms", "may": "ms", "ind": "id", "cmn": "zh", "yue": "zh", "zho": "zh", "chi": "zh",
    "jpn": "ja", "kor": "ko", "eng": "en", "spa": "es", "fra": "fr", "fre": "fr", "deu": "de",
    "ger": "de", "por": "pt", "ita": "it", "nld": "nl", "dut": "nl", "ara": "ar", "arb": "ar",
    "hin": "hi", "ben": "bn", "guj": "gu", "tel": "te", "tam": "ta", "urd": "ur", "hye": "hy",
    "arm": "hy", "vie": "vi", "tha": "th", "rus": "ru", "ukr": "uk", "tur": "tr", "fas": "fa",
    "per": "fa", "pes": "fa", "swa": "sw", "swh": "sw", "pol": "pl", "ell": "el", "gre": "el",
    "mar": "mr", "heb": "he", "kat": "ka", "geo": "ka", "pan": "pa",
}  # fmt: skip

# Languages lingua decides between; scripts written by one language never reach it.
_MODEL_LANGUAGES = (
    "en", "es", "fr", "de", "pt", "it", "nl", "ms", "id", "tl", "vi", "tr", "sw", "pl",
    "ru", "uk", "ar", "ur", "fa", "hi", "mr",
)  # fmt: skip
# Prevalence priors multiplied into lingua's confidences. English is the lingua
# franca of social customer service: a slight edge settles short near-ties such as
# "Restart timer" (measured: English queries 96.7 -> 98.7 % right, the other Latin
# languages unchanged). Marathi has about 0.15 times as many speakers as Hindi, so
# it must show clearer evidence to win a Devanagari text.
_PRIOR: dict[str, float] = {"en": 1.3, "mr": 0.15}
_ALL_MODEL_LANGUAGES = frozenset(_MODEL_LANGUAGES)
# A language whose trigram screen confidence is below this fraction of the leader's is
# left out of the high-accuracy detector, which then loads no models for it (most of a
# cold start). lingua's high-accuracy confidences are far flatter than its trigram ones,
# so the margin is wide. benchmarks/fit_screen.py, against the full detector on the
# even langid lines, msid lines, tweets and dev messages: the answer changed on 2 of
# 4,970 single words (both to the right language) and nothing else; reliable flipped on
# 7 of 5,003 sentences and 5 of 2,705 tweets; 2.3 of 14 languages are kept for a
# sentence, 2.4 for a dev message, 7.5 for a word pair and 8.8 for a single word.
_SCREEN_RATIO = 2e-9  # e**-20

_RAW_WINDOW = 20_000  # characters looked at before noise stripping
_WINDOW = 2_000  # characters of clean text analysed
_MIN_EVIDENCE = 3.0  # weighted letters below which nothing is reliable
_TIE_MARGIN = 0.15  # candidates this close are a tie the hint may break
_MIN_ALLOWED = 0.05  # below this, no language of `languages=` was really seen: "und"
# A romanised Indic answer is vetoed for text with a Malay/Indonesian function word
# (a data file) or affixed word (se-/ke-/ter-/ber-/di-/meN-/peN-...-kan/-an/-nya, or
# -nya alone; no doubled letter and no bh/dh/th/ph/jh/gh/zh, which romanised Indic
# words have and Malay/Indonesian words hardly ever) when lingua gives Malay and
# Indonesian together this much of its confidence. On the 10,000 romanised dev lines
# and 2,993 Hinglish queries of ../shared/benchmarks the veto fires on none.
_MSID_FUNCTION_WORDS = "msid_function_words.txt"
_MSID_AFFIXED = re.compile(
    r"(?!.*([a-z])\1)(?!.*[bdtpjgz]h)"
    r"(?:(?:meng|meny|mem|men|peng|pem|pen|ber|ter|di|se|ke)[a-z]{3,}(?:kan|nya|an)|[a-z]{4,}nya)"
)
_MSID_VETO_MASS = 0.8
# An answer of the romanised n-gram model that rests on names (without the capitalised
# words after the first it would not be given: romanised.rests_on_names) is vetoed
# with a lower Malay + Indonesian share. 2-fold CV on the first six words of the msid
# sentences: 91.0 -> 91.5 % (it recovers "Ketua ... Muhammadiyah ..." and the like from
# Urdu, Bengali, Malayalam); it takes 5 of the 10,000 romanised dev lines (name-only
# lines such as "Roqaiah bint Mohammad") and none of the 5,986 Hinglish queries.
_NAMES_VETO_MASS = 0.6
# A hint lifts its language's confidence by this factor: enough to settle a real
# tie, never a lead. Measured on the first six words of msid news sentences: the right
# hint takes Malay 84 -> 88 %, Indonesian 86 -> 91 %; the wrong one costs about 4 points
# (it cost 17 when any hinted language within the tie margin won).
_HINT_BOOST = 1.1
# Answers that Malaysian, Indonesian or Indian place and brand names pull English to.
_NAMES_PULL = ("ms", "id", "tl", "sw")
_HINGLISH_SHARE = 0.12  # weighted share of Hindi markers that makes Latin text Hindi
_DOUBLED = re.compile(r"(.)\1+")
_PUNCTUATION = string.punctuation + "،؛؟۔।॥…“”‘’«»¿¡"

_Scored = tuple[str, float, str]  # (language, confidence, script)

_lock = threading.Lock()
_screen: Any = None
_codes: dict[Any, str] = {}


def normalize_language_code(code: str) -> str:
    """Reduce a language tag or locale to its ISO 639-1 code: "pt-BR" -> "pt", "iw" -> "he".

    Region, script and variant subtags are dropped ("zh-Hant" -> "zh"); deprecated
    and three-letter codes map to their two-letter code. Unknown codes come back
    lower-cased, so callers decide whether to reject them.
    """
    if not isinstance(code, str):
        raise TypeError(f"code must be a str, not {type(code).__name__}")
    primary = code.strip().replace("_", "-").split("-", 1)[0].split(".", 1)[0].lower()
    return _ALIASES.get(primary, primary)


def detect_language(
    text: str, *, languages: Iterable[str] | None = None, hint: str | None = None
) -> Detection:
    """Detect the language of one customer message.

    `languages` restricts the answer to a set of codes (the brand's languages;
    "und" when none of them was seen); `hint` is a locale such as "ms-MY" that
    decides between near-tied candidates, never against clear evidence.
    Empty, emoji-only or otherwise letterless text gives `language="und"`.

    `method` names the deciding signal: "script", "lingua", "lexicon" (marker
    words or letters re-split ms/id, hi/mr or ar/fa/ur), "hinglish", "romanised"
    (a language typed in Latin letters: Indic, Armenian, Arabizi, Malay chat),
    "manglish" (Malay words in an English sentence: `manglish.rescore`), "names"
    (lingua on the words around names that pulled English away), "chat" (a
    short chat message), "hint", "languages" or "empty". `reliable` is False for
    near-ties, answers decided by the hint or the restriction, chat words and texts
    under about three letters.

    >>> detect_language("mera order abhi tak nahi aaya").language
    'hi'
    >>> detect_language("terima kasih", hint="ms-MY").method
    'hint'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    allowed = _allowed_languages(languages)
    preferred = _hint_language(hint)
    raw = text[:_RAW_WINDOW]
    window = strip_noise(raw)[:_WINDOW]
    counts = count_scripts(window)
    if not counts:
        return Detection(
            language="und", script="Zyyy", confidence=0.0, reliable=False, method="empty"
        )
    ranked, method = _score_scripts(window, counts, raw[: 2 * _WINDOW])
    return _decide(ranked, method, counts, allowed, preferred)


def _allowed_languages(languages: Iterable[str] | None) -> frozenset[str] | None:
    if languages is None:
        return None
    if isinstance(languages, str | bytes) or not isinstance(languages, Iterable):
        raise TypeError("languages must be an iterable of language codes such as ['en', 'es']")
    codes = list(languages)
    if not all(isinstance(code, str) for code in codes):
        raise TypeError("languages must contain only str language codes such as 'en'")
    normalized = {normalize_language_code(code) for code in codes}
    unknown = sorted(code for code in normalized if code not in LANGUAGE_NAMES)
    if unknown or not normalized:
        raise ConfigError(
            f"unknown language code(s) in languages=: {', '.join(unknown) or '(none given)'}. "
            f"Supported: {', '.join(sorted(LANGUAGE_NAMES))}."
        )
    return frozenset(normalized)


def _hint_language(hint: str | None) -> str | None:
    if hint is None:
        return None
    if not isinstance(hint, str):
        raise TypeError(
            f"hint must be a locale str such as 'ms-MY' or None, not {type(hint).__name__}"
        )
    code = normalize_language_code(hint)
    # A hint is soft evidence from a channel or a profile: an unknown one is ignored.
    return code if code in LANGUAGE_NAMES else None


def _score_scripts(window: str, counts: dict[str, float], raw: str) -> tuple[list[_Scored], str]:
    """Ranked candidates from the (at most two) main scripts, each weighted by its share.

    The dominant script decides: its languages come first, so a few borrowed
    words in another script never outrank the writer's own script, but the other
    script's best languages stay among the candidates. The method is the one
    that scored the dominant script.
    """
    total = sum(counts.values())
    scripts = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:2]
    merged: dict[str, tuple[float, str, int]] = {}
    method = ""
    for group, (script, weight) in enumerate(scripts):
        if group and weight / total < 0.1:
            break
        part, part_method = _score_script(window, script, raw, mixed=len(scripts) > 1)
        method = method or part_method
        best = sorted(part.items(), key=lambda item: (-item[1], item[0]))[: 4 - 2 * group]
        for code, value in best:
            previous, first_script, first_group = merged.get(code, (0.0, script, group))
            merged[code] = (previous + value * weight / total, first_script, first_group)
    order = sorted(merged.items(), key=lambda item: (item[1][2], -item[1][0], item[0]))
    return [(code, value, script) for code, (value, script, _) in order if value > 0], method


def _score_script(window: str, script: str, raw: str, mixed: bool) -> tuple[dict[str, float], str]:
    if script in SCRIPT_LANGUAGE:
        return {SCRIPT_LANGUAGE[script]: 1.0}, "script"
    if script not in SHARED_SCRIPTS:
        return {}, "script"
    if mixed:
        window = "".join(ch if script_of(ch) == script else " " for ch in window)
    tokens = word_tokens(window)
    if script == "Latn":
        return _names_aside(_score_latin(window, tokens, raw), window)
    return _score_model(window, tokens)


def _score_latin(window: str, tokens: list[str], raw: str) -> tuple[dict[str, float], str]:
    shortcut = _latin_shortcut(tokens, window, raw)
    if shortcut:
        return shortcut
    scores = _model_scores(window)
    reread = manglish.rescore(scores, tokens)
    if reread:
        return reread, "manglish"
    return _score_model(window, tokens, scores)


def _score_model(
    window: str, tokens: list[str], scores: dict[str, float] | None = None
) -> tuple[dict[str, float], str]:
    scores = _model_scores(window) if scores is None else scores
    separated = _separate_families(scores, window, tokens)
    return separated or scores, "lexicon" if separated else "lingua"


def _names_aside(found: tuple[dict[str, float], str], window: str) -> tuple[dict[str, float], str]:
    """lingua on the words around the names, when names alone pulled English away.

    Only answers names pull English to (`_NAMES_PULL`, and the romanised model's when
    it rests on names) are looked at; the rest of the text must be plain English
    (`names.plain_english`) and lingua must read it as English. Checked on about 24,000
    texts of ../shared/benchmarks (es/pt/id/tl/sw/en/ms sentences, es/pt/it/fr/de/hi/en
    tweets, the held-out Hinglish queries, the held-out romanised lines of all ten Indic
    languages, msid lines) and the dev messages: it changes one answer, a Hinglish
    en_query, to English.
    """
    scores, method = found
    top = max(scores, key=scores.__getitem__, default="")
    pulled = top in _NAMES_PULL or (method == "romanised" and romanised.rests_on_names(window))
    if not pulled:
        return found
    rest = names.without_names(window)
    if rest is None or not names.plain_english(word_tokens(rest)):
        return found
    around = _model_scores(rest)
    if max(around, key=around.__getitem__, default="") != "en":
        return found
    return around, "names"


def word_tokens(text: str) -> list[str]:
    """Lower-cased words with surrounding punctuation removed: how marker words are looked up."""
    tokens = [token.strip(_PUNCTUATION) for token in text.lower().split()]
    return [token for token in tokens if token]


def _latin_shortcut(
    tokens: list[str], window: str, raw: str
) -> tuple[dict[str, float], str] | None:
    """Languages typed in Latin letters and short chat messages, which lingua gets wrong.

    Roman-script Hindi markers, the chat lexicons (Armenian, Arabizi, Malay, Gujarati,
    Telugu) and the
    romanised Indic n-gram model come first (`romanised.identify`); raw text keeps
    chat digits such as "3ayez".
    """
    hinglish = _hinglish_share(tokens)
    found = romanised.identify(window, raw, hinglish if hinglish >= _HINGLISH_SHARE else 0.0)
    if found and not _malay_indonesian_text(*found, window, tokens):
        return found
    if 0 < len(tokens) <= 3:
        languages = {CHAT_WORDS.get(token) for token in tokens}
        language = languages.pop() if len(languages) == 1 else None
        if language:
            return {language: 0.6}, "chat"
    return None


def _malay_indonesian_text(
    scores: dict[str, float], method: str, window: str, tokens: list[str]
) -> bool:
    """An Indic answer for Malay or Indonesian text, which lingua and the ms/id markers take.

    Names make the romanised model answer Hindi or Urdu for Malay and Indonesian text
    ("Naskhah karya Nasiruddin dari Kuching"). Such an answer is vetoed when the text has
    a Malay/Indonesian function or affixed word and lingua gives Malay and Indonesian
    together `_MSID_VETO_MASS` of its confidence, or when the n-gram model's answer
    rests on capitalised words alone and lingua gives them `_NAMES_VETO_MASS`.
    """
    if max(scores, key=scores.__getitem__) not in romanised.INDIC:
        return False
    function_words = romanised.read_weights(_MSID_FUNCTION_WORDS)
    if any(t in function_words or _MSID_AFFIXED.fullmatch(t) for t in tokens):
        needed = _MSID_VETO_MASS
    elif method == "romanised" and romanised.rests_on_names(window):
        needed = _NAMES_VETO_MASS
    else:
        return False
    lingua = _model_scores(window)
    return lingua.get("ms", 0.0) + lingua.get("id", 0.0) >= needed


def _hinglish_share(tokens: list[str]) -> float:
    """Weighted share of tokens that are Roman-script Hindi markers.

    Needs at least one strong marker: weak ones ("ko", "se", "hai") are also
    Tagalog, Spanish or Indonesian words and cannot decide alone.
    """
    weights = [_lookup(HINGLISH, token) for token in tokens]
    if sum(token in TAGALOG_MARKERS for token in tokens) >= 2:
        return 0.0
    if not any(weight >= 1.0 for weight in weights):
        return 0.0
    return sum(weights) / len(weights)


def _lookup(table: dict[str, float], token: str) -> float:
    """A token's weight, also under its de-elongated spelling ("nahii" -> "nahi")."""
    weight = table.get(token)
    if weight is None and _DOUBLED.search(token):
        weight = table.get(_DOUBLED.sub(r"\1", token))
    return weight or 0.0


def _separate_families(
    scores: dict[str, float], window: str, tokens: list[str]
) -> dict[str, float] | None:
    """Re-split the joint score of confusable siblings by their marker evidence.

    Each language's evidence (summed marker weights) is added to lingua's
    log-odds; with no evidence lingua's split stands, usually as a near-tie
    that a hint can break. Returns None when no marker was found.
    """
    top = max(scores, key=scores.__getitem__, default="")
    if top in ("ms", "id"):  # Malay vs Indonesian: its own fitted model (msid.py)
        return msid.separate(scores, window)
    family = next((members for members in FAMILIES if top in members), ())
    evidence = {language: _evidence(language, window, tokens) for language in family}
    if not any(evidence.values()):
        return None
    mass = sum(scores.get(language, 0.0) for language in family)
    floor = 0.02 * mass  # lingua may zero a sibling outright; markers can revive it
    odds = {
        language: (scores.get(language, 0.0) + floor) * math.exp(evidence[language])
        for language in family
    }
    total = sum(odds.values())
    return {**scores, **{language: mass * value / total for language, value in odds.items()}}


def _evidence(language: str, window: str, tokens: list[str]) -> float:
    """Summed weight of a language's marker words and letters, capped so one cue cannot flood."""
    words = WORD_MARKERS.get(language, {})
    letters = LETTER_MARKERS.get(language, {})
    found = sum(_lookup(words, token) for token in tokens) if words else 0.0
    found += sum(weight * min(window.count(mark), 2) for mark, weight in letters.items())
    return min(found, 8.0)


def _model_scores(window: str) -> dict[str, float]:
    """lingua's relative confidences, times the prevalence prior, renormalised."""
    raw: dict[str, float] = {}
    for code, value in _lingua_confidences(window):
        if value <= 0:
            break
        raw[code] = value * _PRIOR.get(code, 1.0)
    total = sum(raw.values())
    return {code: value / total for code, value in raw.items()} if total else {}


def _lingua_confidences(window: str) -> list[tuple[str, float]]:
    """lingua's high-accuracy confidences (best first) over the languages still in the running.

    A trigram screen ranks every language of `_MODEL_LANGUAGES` first; the detector
    that decides then holds only the languages within `_SCREEN_RATIO` of the
    screen's leader, with their family siblings (`_in_the_running`). lingua scores
    each language on its own and normalises over the detector's languages, so the
    answer is the full detector's, renormalised over languages that held almost none
    of its confidence. A language alone in the running is the answer (lingua's
    one-language detectors answer 0.0 for most texts).
    """
    screened = _get_screen().compute_language_confidence_values(window)
    running = _in_the_running([(_codes[v.language], v.value) for v in screened])
    if len(running) == 1:
        return [(next(iter(running)), 1.0)]
    found = _get_detector(running).compute_language_confidence_values(window)
    return [(_codes[v.language], v.value) for v in found]


def _in_the_running(screened: list[tuple[str, float]]) -> frozenset[str]:
    """The languages the screen cannot rule out, or all of them when it saw nothing.

    Siblings of a family (ms/id, hi/mr, ar/fa/ur) stay together: `_separate_families`
    re-splits their joint confidence and needs each one's own.
    """
    best = max((value for _, value in screened), default=0.0)
    if best <= 0:  # under three letters, or no letters lingua knows: nothing screened
        return _ALL_MODEL_LANGUAGES
    kept = {code for code, value in screened if value >= best * _SCREEN_RATIO}
    for family in FAMILIES:
        if kept.intersection(family):
            kept.update(family)
    return frozenset(kept & _ALL_MODEL_LANGUAGES)


def _get_screen() -> Any:
    """lingua in low-accuracy mode (trigrams only) over every model language, built once."""
    global _screen
    if _screen is None:
        with _lock:
            if _screen is None:
                from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

                isos = [getattr(IsoCode639_1, code.upper()) for code in _MODEL_LANGUAGES]
                screen = LanguageDetectorBuilder.from_iso_codes_639_1(*isos)
                _codes.update({lang: lang.iso_code_639_1.name.lower() for lang in Language.all()})
                _screen = screen.with_low_accuracy_mode().build()
    return _screen


@functools.lru_cache(maxsize=256)
def _get_detector(languages: frozenset[str]) -> Any:
    """lingua in high-accuracy mode over `languages`, built once per set (builds are cheap).

    Models are not preloaded. Preloading loads a set's models at once on lingua's own
    thread pool (1.12 s instead of 1.75 s for the 14 Latin-script languages), but an
    evaluation forks its workers after this process has detected (`evaluation.parallel`),
    and a child inherits a pool whose threads do not exist: its first preload hung.
    lingua loads each language's n-gram models on first need,
    once per process for every detector (itself thread-safe), so a set costs only the
    models no earlier set loaded. Loading the five model orders (uni- to fivegrams) of
    a language is most of a cold start: about 0.05-0.25 s of CPU each, 2 s for the 14
    Latin-script languages, which every Latin text needed before the screen. The screen
    uses the trigram models alone (as lingua itself does for texts of 120 letters or
    more): 0.12 s of CPU for all 14. Deciding in low-accuracy mode was 3-4x faster but
    lost 6-7 points on words and word pairs; a minimum relative distance only turns
    answers into None.
    """
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = [getattr(IsoCode639_1, code.upper()) for code in sorted(languages)]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


def _decide(
    ranked: list[_Scored],
    method: str,
    counts: dict[str, float],
    allowed: frozenset[str] | None,
    preferred: str | None,
) -> Detection:
    """Apply the caller's constraints to the ranked candidates and build the Detection.

    Text with letters but no candidate (an unsupported script, or nothing the
    caller allows) is "und" in its dominant script.
    """
    script = max(sorted(counts), key=counts.__getitem__)
    if allowed is not None:
        ranked, method = _restrict(ranked, method, allowed)
    if not ranked:
        return Detection(
            language="und", script=script, confidence=0.0, reliable=False, method=method
        )
    ranked, method = _apply_hint(ranked, method, preferred)
    language, confidence, script = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    reliable = (
        sum(counts.values()) >= _MIN_EVIDENCE
        and confidence >= 0.5
        and confidence - runner_up >= _TIE_MARGIN
        and method not in ("hint", "languages", "chat")
    )
    candidates = [Candidate(language=c, confidence=round(min(1.0, v), 4)) for c, v, _ in ranked[:5]]
    return Detection(
        language=language,
        script=script,
        confidence=round(min(1.0, confidence), 4),
        reliable=reliable,
        candidates=candidates,
        method=method,
    )


def _restrict(
    ranked: list[_Scored], method: str, allowed: frozenset[str]
) -> tuple[list[_Scored], str]:
    """Keep the allowed languages that were really seen, best first, whatever their script."""
    kept = [entry for entry in ranked if entry[0] in allowed and entry[1] >= _MIN_ALLOWED]
    kept.sort(key=lambda entry: (-entry[1], entry[0]))
    if not kept or kept[0] != ranked[0]:
        method = "languages"
    return kept, method


def _apply_hint(
    ranked: list[_Scored], method: str, preferred: str | None
) -> tuple[list[_Scored], str]:
    """Let the hinted language win a near-tie; the method then says "hint".

    The hint is soft evidence: it wins only when its language is within the tie
    margin and its confidence times `_HINT_BOOST` reaches the leader's. Outside
    such a tie the text's own evidence stands, whatever the hint says.
    """
    best = ranked[0][1]
    tied = len(ranked) > 1 and best - ranked[1][1] <= _TIE_MARGIN
    if ranked[0][0] == preferred:
        return ranked, "hint" if tied else method
    for index, entry in enumerate(ranked[1:], start=1):
        close = best - entry[1] <= _TIE_MARGIN and entry[1] * _HINT_BOOST >= best
        if entry[0] == preferred and close:
            return [entry, *ranked[:index], *ranked[index + 1 :]], "hint"
    return ranked, method
