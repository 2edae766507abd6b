"""`assistant keys`: a key is printed once and only its hash is stored."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from assistant.cli import app
from assistant.service.keys import hash_key


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_keys_create_list_revoke(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "reviews.sqlite3")]
    code, out, err = run("keys", "create", "lena", "--role", "lead", *db)
    assert code == 0 and "not shown again" in err
    key = out.strip()
    assert key.startswith("ak_") and len(key) > 40
    engine = create_engine(f"sqlite:///{tmp_path / 'reviews.sqlite3'}")
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT name, key_hash, role FROM api_keys")).all()
    engine.dispose()
    assert stored == [("lena", hash_key(key), "lead")]  # the hash, never the key
    assert run("keys", "create", "lena", *db)[0] == 2  # names are unique
    assert run("keys", "list", *db)[1].split() == ["lena", "lead", "active"]
    assert run("keys", "revoke", "lena", *db)[0] == 0
    assert run("keys", "list", *db)[1].split() == ["lena", "lead", "revoked"]
    code, _out, err = run("keys", "revoke", "lena", *db)
    assert code == 1 and "no active key" in err
