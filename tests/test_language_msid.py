"""Malay vs Indonesian: the romanised-Indic veto, the signed marker words and the hint."""

from __future__ import annotations

import pytest

from assistant.language import detect_language, romanised
from assistant.language.noise import strip_noise


def test_malay_text_the_romanised_model_calls_indic_is_malay() -> None:
    text = "Naskhah karya Nasiruddin dari Kuching"
    window = strip_noise(text)
    found = romanised.identify(window, text)
    assert found is not None and max(found[0], key=found[0].__getitem__) in romanised.INDIC
    assert detect_language(text).language == "ms"


def test_veto_needs_lingua_to_see_malay_or_indonesian() -> None:
    # a Malay/Indonesian function word alone does not overturn the romanised model
    assert detect_language("mera order abhi tak nahi aaya").language == "hi"
    assert detect_language("Arjun Singh, 13, dari Amritsar").language == "pa"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("isteri saya sakit", "ms"),
        ("istri saya sakit", "id"),
        ("datang hari Isnin", "ms"),
        ("datang hari Senin", "id"),
        ("saya jumpa Dato tadi", "ms"),
        ("saya jumpa camat tadi", "id"),
    ],
)
def test_signed_marker_words(text: str, language: str) -> None:
    assert detect_language(text).language == language


def test_hint_breaks_a_tie_but_not_clear_evidence() -> None:
    assert detect_language("datang hari Senin", hint="ms-MY").language == "id"
    assert detect_language("isteri saya sakit", hint="id-ID").language == "ms"
    tie = detect_language("terima kasih", hint="ms-MY")
    assert (tie.language, tie.method, tie.reliable) == ("ms", "hint", False)
    assert detect_language("terima kasih", hint="id-ID").language == "id"
