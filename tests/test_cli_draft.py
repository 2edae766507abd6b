"""`assistant draft`: the agent's command."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.errors import InputError

runner = CliRunner()


def test_armenian_question_gets_an_armenian_draft_citing_order_status() -> None:
    result = runner.invoke(app, ["draft", "Որտե՞ղ է իմ պատվերը", "--json"])
    assert result.exit_code == 0, result.output
    suggestion = json.loads(result.output)
    assert suggestion["detection"]["language"] == "hy"
    draft = suggestion["drafts"][0]
    assert draft["language"] == "hy"
    assert draft["citations"] == ["order-status"]


def test_readable_output_shows_language_tone_citations_and_findings() -> None:
    result = runner.invoke(
        app,
        [
            "draft",
            "Bila duit refund saya nak masuk?",
            "--channel",
            "facebook",
            "--name",
            "Aisyah",
            "--n",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "reply in ms" in result.output
    assert "cites: refund-status" in result.output
    assert "Aisyah" in result.output


def test_stdin_with_invalid_utf8_is_replaced_not_fatal() -> None:
    result = runner.invoke(
        app, ["draft", "-", "--json", "--n", "1"], input=b"where is my order \xff\xfe??"
    )
    assert result.exit_code == 0, result.output
    assert "\ufffd" in json.loads(result.output)["message"]["text"]


def test_stdin_longer_than_a_message_is_refused_before_it_is_read_whole() -> None:
    endless = b"a" * 200_000  # stands in for `yes | assistant draft -`
    result = runner.invoke(app, ["draft", "-", "--json"], input=endless)
    assert isinstance(result.exception, InputError)  # main() prints it as one line, exit 2
    assert "more than 80,000 bytes" in str(result.exception)


def test_translate_for_offline_says_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import translation
    from assistant.errors import TranslationUnavailable

    def offline(*args: object, **kwargs: object) -> str:
        raise TranslationUnavailable("translation unavailable (ConnectionError)")

    monkeypatch.setattr(translation.DeepTranslator, "translate", offline)
    result = runner.invoke(
        app, ["draft", "Wo ist meine Bestellung?", "--translate-for", "en", "--json", "--n", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "unavailable" in json.loads(result.output)["translations"]["unavailable"]


def test_empty_message_is_one_clear_line(capfd: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    with pytest.raises(SystemExit) as exit_info:
        import sys

        sys.argv = ["assistant", "draft", "   "]
        main()
    assert exit_info.value.code == 2
    assert "error: the message is empty" in capfd.readouterr().err
