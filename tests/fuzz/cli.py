"""The real Typer app, run in process with its command tree built once.

`typer.testing.CliRunner.invoke` rebuilds the click command tree of the whole app on
every call (every command's signature and type hints inspected again): about two thirds
of a fuzzed CLI case's time. A real `assistant` process builds it once; `build_once`
makes the runner do the same, so the fuzzer spends its time in the commands.
"""

from __future__ import annotations

from typing import Any

import pytest
import typer
import typer.main
import typer.testing

_BUILT: dict[int, Any] = {}


def _command_once(app: typer.Typer) -> Any:
    key = id(app)
    if key not in _BUILT:
        _BUILT[key] = typer.main.get_command(app)
    return _BUILT[key]


def build_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `CliRunner.invoke` reuse one click command per Typer app for this test."""
    monkeypatch.setattr(typer.testing, "_get_command", _command_once)
