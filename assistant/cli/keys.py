"""`assistant keys create|list|revoke`: API keys of the HTTP service, stored hashed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from assistant.service.keys import KeyStore

keys_app = typer.Typer(
    help="API keys for `assistant serve`: each request sends `Authorization: Bearer KEY`.",
    no_args_is_help=True,
)
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Review store path or URL (default: ASSISTANT_REVIEW_DB)."),
]


def _keys(db: str | None) -> KeyStore:
    from assistant.review import default_db
    from assistant.service.keys import KeyStore
    from assistant.service.state import open_engines

    _engine, writer = open_engines(db or default_db())
    return KeyStore(writer)


@keys_app.command("create")
def create(
    name: Annotated[
        str, typer.Argument(help="Who uses the key; it is the agent in the audit log.")
    ],
    role: Annotated[
        Literal["agent", "lead"],
        typer.Option(help="lead: may override blocking findings; agent: may not."),
    ] = "agent",
    db: DbOption = None,
) -> None:
    """Make a key and print it once: only its hash is stored."""
    from assistant.errors import UserError

    try:
        key = _keys(db).create(name, role)
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(key)
    typer.echo(f"key for {name} ({role}); it is not shown again, store it now", err=True)


@keys_app.command("list")
def list_keys(db: DbOption = None) -> None:
    """Names, roles and whether each key is active (never the keys)."""
    for name, role, active in _keys(db).names():
        typer.echo(f"{name}\t{role}\t{'active' if active else 'revoked'}")


@keys_app.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help="The key's name.")], db: DbOption = None
) -> None:
    """Revoke a key at once (cached checks expire within 30 s in running services)."""
    if not _keys(db).revoke(name):
        typer.echo(
            f"error: no active key is named {name!r}; `assistant keys list` shows them", err=True
        )
        raise typer.Exit(1)
    typer.echo(f"revoked {name}")
