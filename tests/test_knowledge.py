"""The knowledge base loads the sample brand clean and locates every mistake."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.errors import GuidelinesError
from assistant.knowledge import load_knowledge_base
from assistant.resources import sample_guidelines
from tests.support.brand import BRAND_LANGUAGES

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
CONTRACT_FAQ_IDS = {
    "order-status",
    "returns",
    "refund-status",
    "password-reset",
    "cancel-subscription",
    "double-charge",
    "international-shipping",
    "damaged-item",
    "change-address",
    "discount-code",
    "support-hours",
}
CONTRACT_LANGUAGES = BRAND_LANGUAGES


def test_sample_brand_loads_clean_with_no_warnings() -> None:
    kb = load_knowledge_base()
    assert kb.warnings == []
    assert set(kb.faq) == CONTRACT_FAQ_IDS
    assert kb.languages == CONTRACT_LANGUAGES
    assert set(kb.locales) == {*CONTRACT_LANGUAGES, "hi-Latn"}  # a script variant of hi


def test_sample_brand_is_complete_in_every_language() -> None:
    kb = load_knowledge_base()
    for entry in kb.faq.values():
        for lang in CONTRACT_LANGUAGES:
            assert entry.answers[lang].strip(), (entry.id, lang)
            assert len(entry.questions[lang]) >= 3, (entry.id, lang)


def _broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    root = tmp_path / "guidelines"
    shutil.copytree(MINIMAL, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture edit does not apply: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def _problems(root: Path) -> list[str]:
    with pytest.raises(GuidelinesError) as caught:
        load_knowledge_base(root)
    return [str(p) for p in caught.value.problems]


BROKEN = [
    pytest.param(
        "brand.yaml",
        "name: Nimbus Home",
        "name: Nimbus Home\n  bad: [",
        [
            "guidelines/brand.yaml:4: YAML syntax error: mapping values are not allowed in this context "
            "(check indentation, a missing ':' or an unclosed quote)"
        ],
        id="yaml-syntax",
    ),
    pytest.param(
        "brand.yaml",
        "sign_off: Nimbus Care",
        "sign_of: Nimbus Care",
        [
            "guidelines/brand.yaml:3: sign_off: is required but missing; add it",
            "guidelines/brand.yaml:17: sign_of: unknown field; did you mean 'sign_off'?",
        ],
        id="unknown-field",
    ),
    pytest.param(
        "brand.yaml",
        "supported: [en]",
        "supported: [en, xx]",
        [
            "guidelines/brand.yaml:111: languages.supported.1: unknown language code 'xx'; use an "
            "ISO 639-1 code such as en, es, hy, ms (optionally with a region: pt-BR)",
            "guidelines/brand.yaml:111: languages.supported.1: no locale pack for 'xx'; create "
            "guidelines/locales/xx.yaml (copy locales/en.yaml)",
            *(
                f"guidelines/faq/{name}.yaml:{line}: answers: no answer in 'xx', a supported language; "
                "add answers.xx (or run `assistant guidelines coverage`)"
                for name, line in (
                    ("order-status", 21),
                    ("password-reset", 20),
                    ("refund-status", 20),
                )
            ),
        ],
        id="unknown-language",
    ),
    pytest.param(
        "channels.yaml",
        "  livechat:",
        "  tiktok:",
        [
            "guidelines/channels.yaml:55: channels.tiktok: unknown channel 'tiktok'; channels are: "
            "twitter, facebook, messenger, instagram, whatsapp, wechat, email, livechat"
        ],
        id="unknown-channel",
    ),
    pytest.param(
        "faq/password-reset.yaml",
        "id: password-reset",
        "id: order-status",
        [
            "guidelines/faq/password-reset.yaml:2: id: duplicate FAQ id 'order-status' (also in "
            "guidelines/faq/order-status.yaml); give each entry its own id"
        ],
        id="duplicate-faq-id",
    ),
    pytest.param(
        "brand.yaml",
        "supported: [en]",
        "supported: [en, de]",
        [
            "guidelines/brand.yaml:111: languages.supported.1: no locale pack for 'de'; create "
            "guidelines/locales/de.yaml (copy locales/en.yaml)",
            "guidelines/faq/order-status.yaml:21: answers: no answer in 'de', a supported language; "
            "add answers.de (or run `assistant guidelines coverage`)",
            "guidelines/faq/password-reset.yaml:20: answers: no answer in 'de', a supported "
            "language; add answers.de (or run `assistant guidelines coverage`)",
            "guidelines/faq/refund-status.yaml:20: answers: no answer in 'de', a supported "
            "language; add answers.de (or run `assistant guidelines coverage`)",
        ],
        id="answer-and-locale-missing",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN)
def test_broken_file_is_located(
    tmp_path: Path, file: str, old: str, new: str, expected: list[str]
) -> None:
    assert _problems(_broken(tmp_path, file, old, new)) == expected


def test_undeclared_placeholder(tmp_path: Path) -> None:
    root = _broken(tmp_path, "faq/order-status.yaml", "at {track_url}", "at {tracking_link}")
    assert _problems(root) == [
        "guidelines/faq/order-status.yaml:22: answers.en: placeholder {tracking_link} is not "
        "declared; use one of {brand}, {channel}, {help_url}, {hours}, {name}, {response_time}, "
        "{returns_url}, {team}, {track_url} or declare it under placeholders: in brand.yaml"
    ]


def test_banned_phrase_in_answer(tmp_path: Path) -> None:
    root = _broken(
        tmp_path, "faq/refund-status.yaml", "Refunds are issued", "No worries, refunds are issued"
    )
    assert _problems(root) == [
        "guidelines/faq/refund-status.yaml:21: answers.en: contains the banned phrase "
        "'no worries' (brand.yaml banned_phrases); rephrase the answer"
    ]


def test_link_to_domain_not_allowed(tmp_path: Path) -> None:
    root = _broken(
        tmp_path,
        "faq/password-reset.yaml",
        "Tap 'Forgot password'",
        "See https://evil.example.com/reset or tap 'Forgot password'",
    )
    assert _problems(root) == [
        "guidelines/faq/password-reset.yaml:21: answers.en: links to 'evil.example.com', which "
        "is not in allowed_link_domains (brand.yaml); link to an allowed domain or add it there"
    ]


def test_python_tag_is_an_error_never_executed(tmp_path: Path) -> None:
    root = _broken(
        tmp_path,
        "tones.yaml",
        "description: Acknowledge",
        "description: !!python/object/apply:os.system ['touch pwned'] #",
    )
    problems = _problems(root)
    assert len(problems) == 1
    assert problems[0].startswith(
        "guidelines/tones.yaml:4: could not determine a constructor "
        "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    )
    assert "Tags like !!python are not allowed" in problems[0]
    assert not (Path.cwd() / "pwned").exists()


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    root = _broken(tmp_path, "brand.yaml", "sign_off: Nimbus Care", "sign_of: Nimbus Care")
    (root / "tones.yaml").write_text("tones: [not, a, mapping]\n", encoding="utf-8")
    files = {p.split(":")[0] for p in _problems(root)}
    assert files == {"guidelines/brand.yaml", "guidelines/tones.yaml"}


def test_warnings_do_not_block_loading(tmp_path: Path) -> None:
    root = _broken(
        tmp_path, "faq/order-status.yaml", "last_reviewed: 2026-10-15", "last_reviewed: 2020-01-01"
    )
    kb = load_knowledge_base(root)
    assert len(kb.warnings) == 1
    assert "last reviewed" in str(kb.warnings[0])
    assert kb.warnings[0].severity == "warning"


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GuidelinesError, match="is not a folder"):
        load_knowledge_base(tmp_path / "nope")


def test_fingerprint_changes_when_a_file_changes(tmp_path: Path) -> None:
    root = _broken(tmp_path, "faq/order-status.yaml", "3-5 business days.", "3-5 business days!")
    assert load_knowledge_base(root).fingerprint != load_knowledge_base(MINIMAL).fingerprint


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_arbitrary_yaml_only_raises_guidelines_error(tmp_path: Path, text: str) -> None:
    root = tmp_path / "g"
    if not root.exists():
        shutil.copytree(MINIMAL, root)
    (root / "tones.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(GuidelinesError):  # any other exception fails the test
        load_knowledge_base(root)


def test_default_guidelines_folder_is_the_sample_brand() -> None:
    assert (sample_guidelines() / "brand.yaml").exists()


# --- hostile files (issue 13): every one a located error, none a hang or a traceback ---


def _bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _faq_problems(tmp_path: Path, make: Callable[[Path], object]) -> list[str]:
    root = tmp_path / "guidelines"
    shutil.copytree(MINIMAL, root)
    make(root / "faq")
    start = time.perf_counter()
    problems = _problems(root)
    assert time.perf_counter() - start < 5, "loading must not hang"
    for problem in problems:
        problem.encode("utf-8")  # printable, whatever the file name
    return problems


HOSTILE = [
    pytest.param(
        lambda faq: (faq / "bomb.yaml").write_text(_bomb()),
        "guidelines/faq/bomb.yaml:6: expands to more than 200,000 values through aliases",
        id="alias-bomb",
    ),
    pytest.param(
        lambda faq: (faq / "loop.yaml").write_text("a: &a [*a]\n"),
        "guidelines/faq/loop.yaml:1: contains itself through an alias",
        id="recursive-alias",
    ),
    pytest.param(
        lambda faq: (faq / "gone.yaml").symlink_to(faq / "nowhere.yaml"),
        "guidelines/faq/gone.yaml: no such guidelines file (or a symlink to nothing)",
        id="dangling-symlink",
    ),
    pytest.param(
        lambda faq: (faq / "loop.yaml").symlink_to(faq / "loop.yaml"),
        "guidelines/faq/loop.yaml: cannot open the guidelines file: Too many levels of symbolic",
        id="symlink-loop",
    ),
    pytest.param(
        lambda faq: (faq / "x.yaml").mkdir(),
        "guidelines/faq/x.yaml: is a folder; give the path of a guidelines file",
        id="folder-named-yaml",
    ),
    pytest.param(
        lambda faq: os.mkfifo(faq / "pipe.yaml"),
        "guidelines/faq/pipe.yaml: is not a regular file",
        id="fifo",
    ),
    pytest.param(
        lambda faq: (faq / "zero.yaml").symlink_to("/dev/zero"),
        "guidelines/faq/zero.yaml: is not a regular file",
        id="dev-zero",
    ),
    pytest.param(
        lambda faq: (faq / "huge.yaml").write_bytes(b"# " + b"x" * (2 << 20) + b"\n"),
        "guidelines/faq/huge.yaml: the guidelines file is larger than 1,048,576 bytes; split it",
        id="oversized",
    ),
    pytest.param(
        lambda faq: (Path(os.fsdecode(bytes(faq) + b"/caf\xe9.yaml"))).write_text("id: x\n"),
        "guidelines/faq/caf\ufffd.yaml: has a file name that is not valid UTF-8",
        id="non-utf8-name",
    ),
    pytest.param(
        lambda faq: (faq / "returns.yml").write_text("id: returns\n"),
        "guidelines/faq/returns.yml: is not read: only .yaml files are; rename it to returns.yaml",
        id="yml-extension",
    ),
]


@pytest.mark.parametrize(("make", "expected"), HOSTILE)
def test_hostile_files_are_located_errors(
    tmp_path: Path, make: Callable[[Path], object], expected: str
) -> None:
    problems = _faq_problems(tmp_path, make)
    assert any(p.startswith(expected) for p in problems), problems


def test_ten_thousand_unknown_keys_are_fast_and_reported_briefly(tmp_path: Path) -> None:
    def timed(count: int) -> tuple[float, list[str]]:
        keys = "".join(f"unknown_{i}: {i}\n" for i in range(count))
        folder = tmp_path / str(count)
        folder.mkdir()
        root = _broken(
            folder, "brand.yaml", "sign_off: Nimbus Care", "sign_off: Nimbus Care\n" + keys
        )
        best = float("inf")
        for _ in range(3):  # the best of three: other processes share the machine
            start = time.perf_counter()
            problems = _problems(root)
            best = min(best, time.perf_counter() - start)
        return best, problems

    timed(100)  # warm up: imports and compiled patterns
    small, _ = timed(1_000)
    large, problems = timed(10_000)
    # Ten times the keys, about ten times the work (a did-you-mean scan per key: 100x).
    assert large / small < 40
    assert problems[0].startswith("guidelines/brand.yaml:18: unknown_0: unknown field")
    assert (
        problems[-1]
        == "guidelines/brand.yaml: ... and 9950 more problem(s) like these; fix those first"
    )


# --- what content leads get wrong, and are told how to fix ---------------------------

MISTAKES = [
    pytest.param(
        "brand.yaml",
        "review_interval_days: 180",
        "review_interval_days: 180\n\tai_disclosure: false",
        "guidelines/brand.yaml:124: contains a tab; YAML indents with spaces only",
        id="tab",
    ),
    pytest.param(
        "faq/order-status.yaml",
        "escalate: false",
        "escalate: maybe",
        "guidelines/faq/order-status.yaml:9: escalate: must be true or false (got 'maybe')",
        id="maybe-boolean",
    ),
    pytest.param(
        "faq/order-status.yaml",
        "last_reviewed: 2026-10-15",
        "last_reviewed: 15/10/2026",
        "guidelines/faq/order-status.yaml:12: last_reviewed: must be a date written "
        "year-month-day: write 2026-10-15 instead of '15/10/2026'",
        id="day-first-date",
    ),
    pytest.param(
        "faq/order-status.yaml",
        "last_reviewed: 2026-10-15",
        "last_reviewed: 03/04/2026",
        "guidelines/faq/order-status.yaml:12: last_reviewed: must be a date written "
        "year-month-day (got '03/04/2026', which reads as either 2026-04-03 or 2026-03-04)",
        id="ambiguous-date",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), MISTAKES)
def test_common_mistakes_say_what_to_do(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    problems = _problems(_broken(tmp_path, file, old, new))
    assert any(p.startswith(expected) for p in problems), problems


def test_a_brand_yml_file_is_named_when_brand_yaml_is_missing(tmp_path: Path) -> None:
    root = tmp_path / "guidelines"
    shutil.copytree(MINIMAL, root)
    (root / "brand.yaml").rename(root / "brand.yml")
    assert "guidelines/brand.yaml: is missing: brand.yml is not read; rename it to brand.yaml" in (
        _problems(root)
    )


def test_a_draft_faq_entry_is_skipped_with_a_warning(tmp_path: Path) -> None:
    root = _broken(tmp_path, "faq/password-reset.yaml", "id: password-reset", "draft: true\nid: x")
    (root / "faq" / "password-reset.yaml").write_text(
        "draft: true\nid: half-written\nanswers: {en: TODO}\n", encoding="utf-8"
    )
    kb = load_knowledge_base(root)
    assert "half-written" not in kb.faq and "password-reset" not in kb.faq
    assert [str(w) for w in kb.warnings] == [
        "guidelines/faq/password-reset.yaml:1: draft: is a draft (draft: true): skipped, "
        "customers get no answer from it; remove `draft: true` when it is ready"
    ]


def _with_locale(tmp_path: Path, text: str) -> Path:
    root = _broken(tmp_path, "brand.yaml", "supported: [en]", "supported: [en, it]")
    (root / "locales" / "it.yaml").write_text(text, encoding="utf-8")
    for faq in (root / "faq").glob("*.yaml"):
        entry = faq.read_text(encoding="utf-8")
        faq.write_text(entry.replace("answers:\n", "answers:\n  it: Risposta.\n"), encoding="utf-8")
    return root


def test_a_locale_pack_copied_from_english_is_flagged(tmp_path: Path) -> None:
    english = (MINIMAL / "locales" / "en.yaml").read_text(encoding="utf-8")
    copied = english.replace("language: en", "language: it").replace(
        "name: English", "name: Italiano"
    )
    kb = load_knowledge_base(_with_locale(tmp_path, copied))
    flagged = [str(w) for w in kb.warnings if w.field == "lines"]
    assert flagged == [
        "guidelines/locales/it.yaml:18: lines: 18 of 18 lines are the English text of "
        "locales/en.yaml, as if the file was copied and not translated: replies in 'it' "
        "would be in English. Write its name, lines, greetings, cues and lexicon in 'it'"
    ]


def test_a_missing_word_list_is_a_visible_fallback(tmp_path: Path) -> None:
    italian = (FIXTURES / "italian" / "locales" / "it.yaml").read_text(encoding="utf-8")
    without = "\n".join(line for line in italian.splitlines() if not line.startswith("  refund:"))
    kb = load_knowledge_base(_with_locale(tmp_path, without + "\n"))
    assert [str(w) for w in kb.warnings if w.field == "lexicon"] == [
        f"guidelines/locales/it.yaml:{_line_of(without, 'lexicon:')}: lexicon: no refund word "
        "list(s): checks of 'it' replies use only the English lists for them. Add them under "
        "lexicon: in Italiano (or `name: []` for a list the language does not need)"
    ]
    assert kb.words("refund", "it") == kb.words("refund", "en")


def _line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


# --- reply script: romanised customers, packs per script (issue 11) -------------------


def test_romanised_hindi_is_answered_from_the_roman_hindi_pack() -> None:
    kb = load_knowledge_base()
    assert kb.reply_locale("hi", "Latn") == ("hi-Latn", None)
    assert kb.reply_locale("hi", "Deva") == ("hi", None)  # the native script
    assert kb.reply_locale("gu", "Latn") == ("gu", None)  # the brand keeps Gujarati native
    assert kb.locale("hi-Latn").registers["formal"].greeting == "Namaste {name} ji,"
    assert all("hi-Latn" in entry.answers for entry in kb.faq.values())
    assert "paise wapas" in kb.words("refund", "hi-Latn")


def test_a_customer_script_policy_without_a_pack_falls_back_and_says_why(tmp_path: Path) -> None:
    root = _broken(
        tmp_path, "brand.yaml", "  fallbacks:", "  reply_script: {en: customer}\n  fallbacks:"
    )
    kb = load_knowledge_base(root)
    assert [str(w) for w in kb.warnings] == [
        "guidelines/brand.yaml:113: languages.reply_script.en: no script variant of 'en' (e.g. "
        "locales/en-Latn.yaml): customers who write 'en' in another script are answered in "
        "its native script"
    ]
    assert kb.reply_locale("en", "Cyrl") == (
        "en",
        "no locale pack for en-Cyrl: replying in en's native script",
    )


def test_a_script_policy_for_an_unsupported_language_is_an_error(tmp_path: Path) -> None:
    root = _broken(
        tmp_path, "brand.yaml", "  fallbacks:", "  reply_script: {gu: customer}\n  fallbacks:"
    )
    assert _problems(root) == [
        "guidelines/brand.yaml:113: languages.reply_script.gu: 'gu' is not in "
        "languages.supported; add it there"
    ]


def test_a_language_without_escalation_keywords_or_cues_is_a_visible_fallback(
    tmp_path: Path,
) -> None:
    italian = (FIXTURES / "italian" / "locales" / "it.yaml").read_text(encoding="utf-8")
    no_worry = italian.replace(
        "  worry: [preoccupato, preoccupata, in ansia, ho paura, sono preoccupato]", "  worry: []"
    )
    kb = load_knowledge_base(_with_locale(tmp_path, no_worry))  # minimal brand: en keywords
    messages = [w.message for w in kb.warnings]
    assert [m.split(" keywords")[0] for m in messages if "keywords in 'it'" in m] == [
        "no legal_threat",
        "no safety",
        "no press",
        "no repeated_contact",
    ]
    assert any(m.startswith("no worry cue words: sentiment and urgency of 'it'") for m in messages)


# -- Answers in the customer's register (register_answers) ------------------------------
def test_a_formal_answer_variant_replaces_the_answer_in_formal_replies() -> None:
    kb = load_knowledge_base()
    informal, formal = kb.answer("returns", "es"), kb.answer("returns", "es", "formal")
    assert informal and formal and informal != formal
    assert "Puedes" in informal and "Puede devolver" in formal
    assert kb.answer("returns", "de", "formal") == kb.answer("returns", "de")  # no variant
    assert kb.answer("returns", "es", "informal") == informal


def test_the_shipped_formal_variants_are_formal_and_keep_the_facts() -> None:
    from assistant.checks.verdict import draft_register
    from assistant.knowledge.rules import URL

    kb = load_knowledge_base()
    variants = [
        (entry.id, code)
        for entry in kb.faq.values()
        for code in entry.register_answers.get("formal", {})
    ]
    assert {code for _, code in variants} >= {"es", "id"}
    for faq_id, code in variants:
        plain, formal = kb.answer(faq_id, code) or "", kb.answer(faq_id, code, "formal") or ""
        assert draft_register(formal, kb.locale(code)) != "informal", (faq_id, code)
        digits = sorted(c for c in formal if c.isdigit())
        assert digits == sorted(c for c in plain if c.isdigit()), (faq_id, code)
        assert URL.findall(formal) == URL.findall(plain), (faq_id, code)


def test_a_register_variant_without_its_answer_is_located(tmp_path: Path) -> None:
    root = _broken(
        tmp_path,
        "faq/order-status.yaml",
        "answers:\n",
        "register_answers:\n  formal:\n    es: La mayoría de los pedidos llegan en 3-5 días.\nanswers:\n",
    )
    assert _problems(root) == [
        "guidelines/faq/order-status.yaml:23: register_answers.formal.es: a formal answer in "
        "'es' but no answers.es; write answers.es first (the variant only replaces it)"
    ]


def test_only_one_entry_answers_complaints_about_a_wait(tmp_path: Path) -> None:
    flag = ("escalate: false\n", "escalate: false\nanswers_waits: true\n")
    root = _broken(tmp_path, "faq/order-status.yaml", *flag)
    path = root / "faq/refund-status.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*flag), encoding="utf-8")
    assert _problems(root) == [
        "guidelines/faq/refund-status.yaml:9: answers_waits: only one FAQ entry may set "
        "answers_waits (already set in order-status); remove it from refund-status or from "
        "order-status"
    ]
