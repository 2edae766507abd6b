"""Hostile input to the review desk: untrusted JSON, NUL bytes, long names, passwords in
URLs, folders as outboxes, invalid UTF-8 on stdin, markup in fields; private data at rest."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.review import ReviewStore
from assistant.review.desk import _context_html
from assistant.text import create_private_file
from tests.review.review_support import invoke, make_draft, make_suggestion

EVIL = (
    "Hi Ana, we'll give you a 200 % refund tomorrow! Your card 4111 1111 1111 1111 is "
    "on file, see https://evil.example/claim"
)


def _code(*args: str, input: str | bytes | None = None) -> tuple[int, str]:
    result = invoke(*args, input=input)  # type: ignore[arg-type]
    return result.exit_code, result.output + result.stderr


def test_from_json_findings_are_recomputed_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDINGS", "false")
    source = tmp_path / "suggestion.json"
    forged = make_suggestion(
        "my lamp broke", (make_draft(EVIL, "en", citations=()),), language="en"
    )
    source.write_text(forged.model_dump_json(), encoding="utf-8")
    db = ["--db", str(tmp_path / "r.sqlite3")]
    code, output = _code("review", "add", "--from-json", str(source), "--json", *db)
    assert code == 0, output
    findings = json.loads(output)["draft"]["findings"]
    blocking = {f["id"] for f in findings if f["severity"] == "block"}
    assert {"privacy.data_in_public", "channel.link_domain"} <= blocking
    code, output = _code("review", "approve", "1", "--agent", "mo", *db)
    assert code == 1 and "override" in output


def test_nul_bytes_and_control_characters_are_refused(store: ReviewStore) -> None:
    review = store.add(make_suggestion())
    with pytest.raises(InputError, match="U\\+0000"):
        store.edit(review.id, "mo", "Hola\x00 Ana")
    with pytest.raises(InputError, match="U\\+001B"):
        store.edit(review.id, "mo", "Hola \x1b[31mAna")
    with pytest.raises(InputError, match="NUL"):
        store.add(make_suggestion("hola\x00"))


def test_names_longer_than_their_column_are_refused_on_sqlite_too(store: ReviewStore) -> None:
    with pytest.raises(InputError, match="at most 200"):
        store.add(make_suggestion(), agent="a" * 201)
    review = store.add(make_suggestion(name="N" * 500))  # a display name is cut, not refused
    assert review.message.customer_name is not None
    assert len(review.message.customer_name) == 200
    with pytest.raises(InputError, match="tone"):
        store.add(make_suggestion(drafts=(make_draft(tone="t" * 65),)))


def test_a_password_in_the_database_url_is_never_printed() -> None:
    url = "postgresql+psycopg://ana:s3cr3t-pw@127.0.0.1:1/reviews"
    code, output = _code("review", "list", "--db", url)
    assert code != 0
    assert "s3cr3t-pw" not in output and "error:" in output


def test_export_to_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    code, output = _code(
        "review", "export", "--out", str(tmp_path), "--agent", "mo", "--db", str(tmp_path / "r.db")
    )
    assert code == 2 and "is a folder" in output


@pytest.mark.parametrize(
    "command", [["review", "add", "-"], ["review", "edit", "1", "--agent", "mo", "--text", "-"]]
)
def test_invalid_utf8_on_stdin_is_a_clear_error(tmp_path: Path, command: list[str]) -> None:
    code, output = _code(*command, "--db", str(tmp_path / "r.db"), input=b"caf\xe9 \xff")
    assert code == 2 and "not UTF-8" in output


def test_markup_in_fields_is_escaped_in_the_desk(store: ReviewStore) -> None:
    review = store.add_draft(
        make_suggestion().message, make_draft(language="<b>x</b>"), language="<i>y</i>"
    )
    shown = _context_html(review)
    assert "<b>x</b>" not in shown and "&lt;b&gt;x&lt;/b&gt;" in shown
    assert "<i>y</i>" not in shown


def test_files_with_personal_data_are_private(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "new" / "reviews.sqlite3") as store:
        review = store.add(make_suggestion())
        store.approve(review.id, "mo")
        store.export(tmp_path / "out" / "outbox.jsonl", "mo")
    for file in (tmp_path / "new" / "reviews.sqlite3", tmp_path / "out" / "outbox.jsonl"):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700
    loose = tmp_path / "loose.txt"
    loose.write_text("x")
    loose.chmod(0o644)
    assert stat.S_IMODE(create_private_file(loose).stat().st_mode) == 0o600


def test_private_data_can_be_stored_masked(tmp_path: Path) -> None:
    text = "my card 4111 1111 1111 1111 was charged twice, mail ana@example.com"
    suggestion = make_suggestion(text, language="en").model_copy(
        update={
            "analysis": make_suggestion(language="en").analysis.model_copy(
                update={
                    "private_data": __import__(
                        "assistant.understanding.private_data", fromlist=["x"]
                    ).find_private_data(text)
                }
            )
        }
    )
    with ReviewStore(tmp_path / "masked.sqlite3", mask_private=True) as store:
        review = store.add(suggestion)
    stored = (tmp_path / "masked.sqlite3").read_bytes()
    assert b"4111" not in stored and b"ana@example.com" not in stored
    assert review.message.text == "my card [card] was charged twice, mail [email]"
    assert review.suggestion is not None
    kinds = [(d.kind, d.text, d.span.start) for d in review.suggestion.analysis.private_data]
    assert kinds == [("card", "[card]", 8), ("email", "[email]", 52)]
