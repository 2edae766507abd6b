"""The trigram screen: lingua decides over the plausible languages only, with the same answer."""

from __future__ import annotations

import pytest

from assistant.language import detect

LABELLED = {
    "de": "Wo ist meine Bestellung? Ich warte seit zwei Wochen auf das Paket.",
    "es": "Mi pedido todavía no ha llegado y ya pasaron dos semanas, ¿qué pasó?",
    "fr": "Je n'ai toujours pas reçu ma commande, pouvez-vous vérifier s'il vous plaît ?",
    "ms": "Pesanan saya belum sampai lagi, boleh tolong semak status penghantaran?",
    "en": "I ordered a blue jacket two weeks ago and it still has not arrived.",
    "pt": "Meu pedido ainda não chegou, vocês podem verificar o rastreamento?",
}
SENTENCES = list(LABELLED.values())


def _full(window: str) -> dict[str, float]:
    """lingua's high-accuracy confidences over every model language (no screen)."""
    detector = detect._get_detector(detect._ALL_MODEL_LANGUAGES)
    found = detector.compute_language_confidence_values(window)
    return {detect._codes[v.language]: v.value for v in found if v.value > 0}


def _kept(window: str) -> frozenset[str]:
    screened = detect._get_screen().compute_language_confidence_values(window)
    return detect._in_the_running([(detect._codes[v.language], v.value) for v in screened])


@pytest.mark.parametrize("text", SENTENCES)
def test_a_sentence_is_decided_over_a_few_languages_with_the_full_detectors_answer(
    text: str,
) -> None:
    kept = _kept(text)
    assert len(kept) <= 4  # of the 14 Latin-script languages: the rest load no models
    pruned = {code: value for code, value in detect._lingua_confidences(text) if value}
    full = _full(text)
    assert max(pruned, key=pruned.__getitem__) == max(full, key=full.__getitem__)
    # lingua scores each language on its own: the kept ones keep their full-set ratios.
    top = max(full, key=full.__getitem__)
    for code in pruned:
        assert pruned[code] / pruned[top] == pytest.approx(full[code] / full[top], rel=1e-9)


def test_family_siblings_stay_in_the_running_together() -> None:
    kept = _kept("Pesanan saya belum sampai lagi, boleh tolong semak status penghantaran?")
    assert {"ms", "id"} <= kept


def test_text_too_short_for_the_screen_keeps_every_language() -> None:
    assert _kept("ok") == detect._ALL_MODEL_LANGUAGES


@pytest.mark.parametrize(
    ("code", "word"), [("ru", "ротный"), ("ru", "быстро"), ("tr", "şeker"), ("tr", "değerli")]
)
def test_a_word_whose_letters_leave_one_language_is_that_language(code: str, word: str) -> None:
    # lingua's one-language detectors answer 0.0 for most texts; the screen's survivor wins.
    assert _kept(word) == {code}
    assert detect.detect_language(word).language == code


@pytest.mark.parametrize(("code", "text"), LABELLED.items())
def test_screened_detection_finds_the_language(code: str, text: str) -> None:
    detection = detect.detect_language(text)
    assert (detection.language, detection.reliable) == (code, True)
