"""The `assistant` command line: a thin Typer app.

Each command group lives in its own module and calls one library function; heavy
imports happen inside commands so `assistant detect` stays fast.
"""

from __future__ import annotations

import sys

import typer

from assistant.errors import AssistantError, UserError

app = typer.Typer(
    name="assistant",
    help="Multilingual reply assistant for social customer service (offline by default).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Each module adds its commands/groups to `app` on import.
    from assistant.cli import commands  # noqa: F401


def main() -> None:
    """Console entry point: user mistakes become one clear line and exit code 2."""
    _register()
    try:
        app()
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except AssistantError as exc:
        typer.echo(f"failed: {exc}", err=True)
        sys.exit(3)
