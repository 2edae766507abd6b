"""Malay vs Indonesian: the romanised-Indic veto, the fitted ms/id model and the hint."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from assistant.language import detect_language, msid, romanised
from assistant.language.noise import strip_noise


def test_malay_text_the_romanised_model_calls_indic_is_malay() -> None:
    text = "Puisi karya Rahimidin Zahari dari Kedah"
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
    [("Ustaz Haji Mohd Azhar Idrus", "ms"), ("Sekretaris Jenderal Hasto Kristiyanto", "id")],
)
def test_a_romanised_answer_that_rests_on_names_yields_to_malay_indonesian(
    text: str, language: str
) -> None:
    # names alone made the n-gram model answer Urdu / Bengali; lingua sees Malay/Indonesian
    window = strip_noise(text)
    found = romanised.identify(window, text)
    assert found is not None and max(found[0], key=found[0].__getitem__) in romanised.INDIC
    assert romanised.rests_on_names(window)
    assert detect_language(text).language == language


def test_names_without_malay_or_indonesian_keep_the_romanised_answer() -> None:
    text = "Pandit Jawaharlal Nehru Smarak Sangrahalay"
    assert romanised.rests_on_names(text)
    assert detect_language(text).language in romanised.INDIC
    # lower-case words that carry the language decide without the names
    assert not romanised.rests_on_names("Rabindranath Thakur er kobita Gitanjali")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("isteri saya sakit", "ms"),
        ("istri saya sakit", "id"),
        ("datang hari Isnin", "ms"),
        ("datang hari Senin", "id"),
        ("saya jumpa Dato tadi", "ms"),
        ("tadi saya bertemu camat", "id"),
        ("wang saya belum dipulangkan kerana sistem rosak", "ms"),
        ("uang saya belum dikembalikan karena sistemnya rusak", "id"),
        ("pesanan saya berjaya dihantar semalam", "ms"),
        ("pesanan saya berhasil dikirim kemarin", "id"),
    ],
)
def test_known_spelling_and_word_differences_decide_short_texts(text: str, language: str) -> None:
    assert detect_language(text).language == language


def test_the_model_splits_only_the_malay_indonesian_mass() -> None:
    scores = {"ms": 0.3, "id": 0.5, "tl": 0.2}
    split = msid.separate(scores, "kerana wang kerajaan")
    assert split["tl"] == 0.2
    assert split["ms"] + split["id"] == pytest.approx(0.8)
    assert split["ms"] > split["id"]
    assert msid.separate({"en": 1.0}, "kerana") == {"en": 1.0}


def test_hand_written_lists_have_both_sides() -> None:
    known = msid.known_words()
    assert known["kerana"] > 0 > known["karena"]
    assert known["berjaya"] > 0 > known["berhasil"]  # msid_pairs.tsv
    assert known["selangor"] > 0 > known["jakarta"]  # msid_names.tsv
    assert "-" not in known


def test_a_text_without_evidence_is_a_tie_the_hint_breaks() -> None:
    plain = detect_language("terima kasih")
    assert {c.language for c in plain.candidates[:2]} == {"ms", "id"}
    assert not plain.reliable
    for hint, language in [("ms-MY", "ms"), ("id-ID", "id")]:
        tie = detect_language("terima kasih", hint=hint)
        assert (tie.language, tie.method, tie.reliable) == (language, "hint", False)


def test_hint_never_overrides_clear_evidence() -> None:
    assert detect_language("datang hari Senin", hint="ms-MY").language == "id"
    assert detect_language("isteri saya sakit", hint="id-ID").language == "ms"


def _fit_script() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "fit_msid.py"
    spec = importlib.util.spec_from_file_location("fit_msid", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_refit_writes_weights_the_detector_loads(tmp_path: Path) -> None:
    fit = _fit_script()
    malay = [
        "saya nak pergi ke pejabat kerana kereta saya rosak teruk pagi tadi",
        "kerajaan negeri berkata wang itu akan dibayar selepas mesyuarat minggu depan",
        "pelajar universiti itu berjaya mendapat biasiswa daripada syarikat tempatan",
    ]
    indonesian = [
        "saya mau pergi ke kantor karena mobil saya rusak parah tadi pagi",
        "pemerintah daerah mengatakan uang itu akan dibayar setelah rapat minggu depan",
        "mahasiswa universitas itu berhasil mendapatkan beasiswa dari perusahaan lokal",
    ]
    model = fit.fit(malay, indonesian)
    assert model.lingua > 0 and model.frequency_ms > 0 and model.frequency_id > 0
    assert model.bias == 0.0 and model.temperature == fit.TEMPERATURE
    assert model.words == fit.word_table(malay, indonesian)  # the table of every sentence
    assert model.words["kerana"] > 0 > model.words["karena"]
    path = tmp_path / "msid_model.json"
    fit.save(model, path)
    assert msid.load_model(path) == model
    assert fit.windows("a b c d e f g h i j") == ["a b c d e f", "e f g h i j"]
    bundled = msid.load_model()
    assert bundled.lingua > 0 and bundled.frequency_ms > 0 and bundled.known_ms > 0
    assert bundled.fitted > 0 and len(bundled.words) > 1000


def test_word_table_counts_sentences_smooths_and_clips(monkeypatch: pytest.MonkeyPatch) -> None:
    fit = _fit_script()
    # made-up words, which wordfreq does not know, so only the counts decide
    malay = ["qam qix qam", "qam qop", "qam qet"]
    indonesian = ["quu qix", "quu qop", "quu qaz"]
    table = fit.word_table(malay, indonesian)
    # a word counts once per sentence: "qam" is in 3 of 3 Malay sentences, "quu" in 3 of 3
    assert table["qam"] == pytest.approx(-table["quu"])
    assert 0 < table["qam"] <= fit.WORD_CLIP
    assert table["qix"] == pytest.approx(0.0, abs=0.2)  # once on each side
    assert table["qet"] > 0 and table["qaz"] < 0  # seen once: smoothed, not infinite
    assert table["qet"] < table["qam"]
    monkeypatch.setattr(fit, "WORD_MIN_SENTENCES", 2)
    assert "qet" not in fit.word_table(malay, indonesian)
    assert fit._but(list("abcdefg"), 0) == list("bcdeg")  # every CROSS_FOLDS-th left out


def test_word_table_keeps_only_words_wordfreq_leans_the_same_way() -> None:
    fit = _fit_script()
    malay = ["wang kasih", "wang kasih", "uang"]  # "uang" on the wrong side once
    indonesian = ["karena", "karena", "itu"]
    table = fit.word_table(malay, indonesian)
    assert table["wang"] > 0 > table["karena"]  # wordfreq agrees
    assert "uang" not in table  # wordfreq says Indonesian: a counting accident
    assert "kasih" not in table  # both languages write it: news counts cannot decide


def test_fitted_words_add_their_weighted_sum_to_the_lean() -> None:
    shape = _fit_script()._SHAPE  # every weight 0
    assert msid.lean(shape, "tak bisa", 0.5, 0.5) == 0.0  # no weight, no table: no evidence
    model = shape.model_copy(update={"fitted": 2.0, "words": {"tak": 0.5, "bisa": -1.5}})
    assert msid.features(model, "Tak bisa, tak!", 0.5, 0.5)[-1] == pytest.approx(-1.0)
    assert msid.lean(model, "Tak bisa, tak!", 0.5, 0.5) == pytest.approx(-2.0)
    assert msid.lean(model, "tak boleh", 0.5, 0.5) == pytest.approx(1.0)


def test_bundled_table_learned_the_standard_spellings() -> None:
    words = msid.load_model().words
    for malay, indonesian in [("bahawa", "bahwa"), ("kerana", "karena"), ("wang", "uang")]:
        assert words[malay] > 0 > words[indonesian]
