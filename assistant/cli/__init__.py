"""The `assistant` command line: a thin Typer app.

Each command group lives in its own module and calls one library function; this module
lists them all in one place. Heavy imports happen inside commands so `assistant detect`
stays fast.
"""

from __future__ import annotations

import sys

import typer

from assistant.cli import detect, draft, eval, guidelines, keys, review, serve
from assistant.errors import AssistantError, UserError

app = typer.Typer(
    name="assistant",
    help="Multilingual reply assistant for social customer service (offline by default).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("detect")(detect.detect)
app.command("draft")(draft.draft)
app.add_typer(guidelines.guidelines_app, name="guidelines")
app.add_typer(review.review_app, name="review")
app.add_typer(eval.eval_app, name="eval")
app.command("serve")(serve.serve)
app.add_typer(keys.keys_app, name="keys")


def main() -> None:
    """Console entry point: user mistakes become one clear line and exit code 2."""
    try:
        app()
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except AssistantError as exc:
        typer.echo(f"failed: {exc}", err=True)
        sys.exit(3)
