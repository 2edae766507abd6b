"""Only listed agents decide and only roles with `override` send over blocking findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.review import ReviewBlocked, ReviewStore
from assistant.review.roles import NotPermitted, Roles, load_roles
from tests.review.review_support import (
    BLOCK,
    FakeAssistant,
    install_fake_pipeline,
    invoke,
    make_draft,
    make_suggestion,
)

ROLES = Roles({"alice": "agent", "lena": "lead"})


def test_store_with_roles(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "r.sqlite3", roles=ROLES) as store:
        blocked = store.add_draft(make_suggestion().message, make_draft(findings=(BLOCK,)))
        plain = store.add(make_suggestion())
        with pytest.raises(NotPermitted, match="'mallory' is not in the roles file"):
            store.approve(plain.id, "mallory")
        with pytest.raises(ReviewBlocked):
            store.approve(blocked.id, "alice")
        with pytest.raises(NotPermitted, match="alice is agent and may not override: only lead"):
            store.approve(blocked.id, "alice", override_reason="customer insisted")
        assert store.approve(blocked.id, "lena", override_reason="hotline").agent == "lena"
        # an override reason without blocking findings needs no permission
        assert store.approve(plain.id, "alice", override_reason="fine").status == "approved"
        with pytest.raises(NotPermitted):
            store.export(tmp_path / "out.jsonl", "mallory")


def test_roles_file_must_name_known_roles(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text("alice: agent\nbob: boss\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown role"):
        load_roles(path)
    path.write_text("alice: agent\nlena: lead\n", encoding="utf-8")
    assert load_roles(path).role("lena") == "lead"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeAssistant]:
    return install_fake_pipeline(monkeypatch)


def test_cli_enforces_the_roles_file(
    fake: type[FakeAssistant], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roles = tmp_path / "roles.yaml"
    roles.write_text("alice: agent\nlena: lead\n", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_ROLES", str(roles))
    db = str(tmp_path / "desk.sqlite3")
    with ReviewStore(db) as store:
        store.add_draft(make_suggestion().message, make_draft(findings=(BLOCK,)))
    stranger = invoke("review", "approve", "1", "--agent", "mallory", "--db", db)
    assert stranger.exit_code == 1 and "not in" in stranger.stderr and str(roles) in stranger.stderr
    agent = invoke("review", "approve", "1", "--agent", "alice", "--override", "ok", "--db", db)
    assert agent.exit_code == 1 and "may not override" in agent.stderr
    lead = invoke("review", "approve", "1", "--agent", "lena", "--override", "ok", "--db", db)
    assert lead.exit_code == 0, lead.output
