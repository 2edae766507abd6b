"""`assistant detect`: one message, JSON, stdin batches, --languages and --hint."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.errors import InputError

runner = CliRunner()


def test_single_text_prints_one_readable_line() -> None:
    result = runner.invoke(app, ["detect", "mera order abhi tak nahi aaya"])
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1
    assert "hi Hindi" in result.output
    assert "Latn" in result.output


def test_json_prints_the_detection() -> None:
    result = runner.invoke(app, ["detect", "Բարև, իմ պատվերը դեռ չի ստացվել", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["language"] == "hy"
    assert payload["script"] == "Armn"
    assert payload["reliable"] is True
    assert set(payload) == {"language", "script", "confidence", "reliable", "candidates", "method"}


def test_stdin_batch_gives_one_json_line_per_input_line() -> None:
    lines = [
        b"Hola, mi pedido no ha llegado",
        b"",
        b"\xff\xfe\xfd",  # invalid UTF-8: replaced, not fatal
        "😀😀".encode(),
        b"Bonjour, ma commande est en retard",
    ]
    result = runner.invoke(app, ["detect", "-"], input=b"\n".join(lines) + b"\n")
    assert result.exit_code == 0, result.output
    outputs = [json.loads(line) for line in result.output.splitlines()]
    assert [o["language"] for o in outputs] == ["es", "und", "und", "und", "fr"]


def test_stdin_batch_past_the_file_limit_is_refused_with_advice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assistant import text

    monkeypatch.setattr(text, "MAX_FILE_BYTES", 1_000)  # 64 MB in production
    result = runner.invoke(app, ["detect", "-"], input=b"hello there\n" * 200)
    assert isinstance(result.exception, InputError)  # main() prints it as one line, exit 2
    assert "more than 1,000 bytes; split the input" in str(result.exception)


def test_stdin_batch_keeps_crlf_and_missing_final_newline() -> None:
    result = runner.invoke(app, ["detect", "-"], input=b"where is my order\r\nok")
    assert [json.loads(line)["language"] for line in result.output.splitlines()] == ["en", "en"]


def test_languages_option_restricts_the_answer() -> None:
    result = runner.invoke(app, ["detect", "terima kasih", "--languages", "id,en", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["language"] == "id"
    assert payload["reliable"] is False


def test_languages_option_applies_to_batches() -> None:
    text = b"terima kasih\nSaya nak tanya pasal penghantaran\n"
    result = runner.invoke(app, ["detect", "-", "--languages", "ms, en"], input=text)
    assert [json.loads(line)["language"] for line in result.output.splitlines()] == ["ms", "ms"]


def test_unknown_language_code_is_a_usage_error() -> None:
    result = runner.invoke(app, ["detect", "hello", "--languages", "en,xx"])
    assert result.exit_code == 2
    assert "xx" in result.output


def test_hint_option_breaks_a_tie() -> None:
    for hint, language in [("ms-MY", "ms"), ("id-ID", "id")]:
        result = runner.invoke(app, ["detect", "terima kasih", "--hint", hint, "--json"])
        payload = json.loads(result.output)
        assert payload["language"] == language
        assert payload["method"] == "hint"


def test_help_has_examples() -> None:
    result = runner.invoke(app, ["detect", "--help"])
    assert result.exit_code == 0
    assert "--languages" in result.output
    assert "assistant detect" in result.output
