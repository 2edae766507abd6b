"""The knowledge base loads the sample brand clean and locates every mistake."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.brand import BRAND_LANGUAGES

from assistant.errors import GuidelinesError
from assistant.knowledge import load_knowledge_base
from assistant.resources import sample_guidelines

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
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
    assert set(kb.locales) == set(CONTRACT_LANGUAGES)


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
