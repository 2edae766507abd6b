"""Language-detection evaluation helpers: known inputs, known tables."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from assistant.knowledge import load_knowledge_base
from assistant.language.evaluate import (
    VARIANTS,
    accuracy_by_language,
    add_social_noise,
    assistant_detector,
    confusion_matrix,
    first_words,
    labelled_messages,
    labelled_questions,
    langdetect_detector,
    plot_confusion,
    predict,
    with_variants,
)

matplotlib.use("Agg")
FIXTURE = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    rows = [
        {"id": "es-1", "text": "¿Dónde está mi pedido?", "language": "es"},
        {"id": "es-2", "text": "quiero devolver esto", "language": "es"},
        {"id": "es-3", "text": "no me llegó el reembolso", "language": "es"},
        {"id": "en-1", "text": "where is my order", "language": "en"},
    ]
    path = tmp_path / "messages.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    return path


def test_labelled_messages_keep_text_language_and_source(dataset: Path) -> None:
    frame = labelled_messages(dataset)
    assert list(frame.columns) == ["text", "language", "source"]
    assert frame["language"].tolist() == ["es", "es", "es", "en"]
    assert set(frame["source"]) == {"message"}


def test_labelled_messages_filter_languages_and_limit_per_language(dataset: Path) -> None:
    assert labelled_messages(dataset, languages=["en"])["text"].tolist() == ["where is my order"]
    limited = labelled_messages(dataset, limit=2)
    assert limited["language"].tolist() == ["es", "es", "en"]
    assert limited.index.tolist() == [0, 1, 2]


def test_labelled_questions_are_every_faq_question_variant() -> None:
    kb = load_knowledge_base(FIXTURE)
    frame = labelled_questions(kb)
    expected = sum(len(qs) for entry in kb.faq.values() for qs in entry.questions.values())
    assert len(frame) == expected
    assert "where is my order??" in frame["text"].tolist()
    assert set(frame["source"]) == {"faq-question"}


@pytest.mark.parametrize(
    ("text", "n", "expected"),
    [
        ("Hola, ¿dónde está mi pedido?", 2, "Hola dónde"),
        ("@NimbusHome my order #late is late!!", 2, "my order"),
        ("https://t.co/x 😡 refund please", 1, "refund"),
        ("注文したやつまだ届かない", 1, "注文"),
        ("注文したやつまだ届かない", 2, "注文した"),
        ("😡😡 123", 1, ""),
    ],
)
def test_first_words(text: str, n: int, expected: str) -> None:
    assert first_words(text, n) == expected


def test_first_words_needs_at_least_one_word() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        first_words("hello", 0)


def test_social_noise_wraps_the_text_deterministically() -> None:
    noisy = add_social_noise("mi pedido", seed=3)
    assert noisy == add_social_noise("mi pedido", seed=3)
    handle, rest = noisy.split(" ", 1)
    assert handle.startswith("@")
    assert rest.startswith("mi pedido ")
    assert "#" in rest
    assert "http" in rest or "bit.ly" in rest


def test_with_variants_gives_five_variants_and_drops_empty_ones() -> None:
    frame = pd.DataFrame(
        {"text": ["dónde está mi pedido", "😡😡"], "language": ["es", "es"], "source": "message"}
    )
    variants = with_variants(frame)
    assert variants["variant"].tolist() == [
        "full",
        "full",
        "1 word",
        "2 words",
        "1 word + noise",
        "2 words + noise",
    ]
    assert tuple(dict.fromkeys(variants["variant"])) == VARIANTS
    assert variants.loc[variants["variant"] == "2 words", "text"].item() == "dónde está"
    noisy = variants.loc[variants["variant"] == "1 word + noise", "text"].item()
    assert " dónde " in noisy


def test_assistant_detector_ignores_social_noise() -> None:
    detect = assistant_detector()
    assert detect("¿dónde está mi pedido?") == "es"
    assert detect(add_social_noise("dónde está mi pedido")) == "es"
    assert assistant_detector(["en", "es"])("mera order kaha hai") in {"en", "es"}


def test_langdetect_detector_is_seeded_and_says_und_without_features() -> None:
    first, second = langdetect_detector(seed=1), langdetect_detector(seed=1)
    texts = ["dónde está mi pedido", "where is my order", "ok", "kapan pesanan aku sampe"]
    assert [first(t) for t in texts] == [second(t) for t in texts]
    assert first("where is my order please") == "en"
    assert first("12345 !!!") == "und"


def test_predict_adds_one_column_per_detector() -> None:
    frame = pd.DataFrame({"text": ["a", "bb"], "language": ["en", "es"]})
    result = predict(
        frame, {"short": lambda t: "en" if len(t) == 1 else "und", "es": lambda t: "es"}
    )
    assert result["short"].tolist() == ["en", "und"]
    assert result["es"].tolist() == ["es", "es"]
    assert "short" not in frame.columns


def _predictions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "language": ["ms", "ms", "ms", "ms", "id", "id", "en"],
            "variant": ["full", "full", "short", "short", "full", "short", "full"],
            "a": ["ms", "id", "ms", "id", "id", "id", "en"],
            "b": ["id", "id", "id", "und", "id", "ms", "en"],
        }
    )


def test_accuracy_by_language_per_detector_with_overall_row() -> None:
    table = accuracy_by_language(_predictions(), ["a", "b"])
    assert table.index.tolist() == ["en", "id", "ms", "all"]
    assert table["n"].tolist() == [1, 2, 4, 7]
    assert table.loc["ms", "a"] == pytest.approx(0.5)
    assert table.loc["id", "b"] == pytest.approx(0.5)
    assert table.loc["all", "a"] == pytest.approx(5 / 7)
    assert table.loc["all", "b"] == pytest.approx(2 / 7)


def test_accuracy_by_several_keys() -> None:
    table = accuracy_by_language(_predictions(), ["a"], by=["language", "variant"])
    assert table.loc[("ms", "short"), "a"] == pytest.approx(0.5)
    assert table.loc[("id", "short"), "a"] == pytest.approx(1.0)
    assert table.index[-1] == ("all", "all")


def test_confusion_matrix_counts_and_row_shares() -> None:
    frame = _predictions()
    counts = confusion_matrix(frame["language"], frame["b"], normalize=False)
    assert counts.index.tolist() == ["en", "id", "ms"]
    assert counts.columns.tolist() == ["en", "id", "ms", "und"]
    assert counts.loc["ms"].tolist() == [0, 3, 0, 1]
    assert counts.loc["id", "ms"] == 1
    shares = confusion_matrix(frame["language"], frame["b"])
    assert shares.loc["ms", "id"] == pytest.approx(0.75)
    assert shares.sum(axis=1).tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_confusion_matrix_follows_given_labels_and_keeps_empty_rows() -> None:
    shares = confusion_matrix(["ms", "ms"], ["id", "ms"], labels=["ms", "id"])
    assert shares.index.tolist() == ["ms", "id"]
    assert shares.columns.tolist() == ["ms", "id"]
    assert shares.loc["id"].tolist() == [0.0, 0.0]
    assert shares.loc["ms"].tolist() == [0.5, 0.5]


def test_plot_confusion_labels_every_non_zero_cell() -> None:
    import matplotlib.pyplot as plt

    frame = _predictions()
    matrix = confusion_matrix(frame["language"], frame["a"])
    ax = plot_confusion(matrix, title="a")
    labels = sorted(text.get_text() for text in ax.texts)
    assert labels == ["100", "100", "50", "50"]
    assert [t.get_text() for t in ax.get_xticklabels()] == matrix.columns.tolist()
    plt.close(ax.figure)


def test_plot_confusion_separates_answers_outside_the_true_languages() -> None:
    import matplotlib.pyplot as plt

    truth = ["en"] * 300 + ["es"]
    predicted = ["en"] * 299 + ["und", "es"]
    ax = plot_confusion(confusion_matrix(truth, predicted))
    assert [line.get_linestyle() for line in ax.lines] == ["--"]
    assert sorted(text.get_text() for text in ax.texts) == ["100", "100", "<1"]
    plt.close(ax.figure)
