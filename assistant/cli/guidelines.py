"""`assistant guidelines init|check|coverage|schema`: the content lead's commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from assistant.knowledge import KnowledgeBase
    from assistant.knowledge.coverage import CoverageCell

guidelines_app = typer.Typer(
    help="Start a guidelines folder, check it, see translation coverage, write JSON Schemas "
    "for editors.",
    no_args_is_help=True,
)

DirArg = Annotated[
    Path | None,
    typer.Argument(help="Guidelines folder (default: the sample brand, or ASSISTANT_GUIDELINES)."),
]


def _dir(directory: Path | None) -> Path | None:
    if directory is not None:
        return directory
    from assistant.settings import Settings

    return Settings().guidelines


@guidelines_app.command("check")
def check(
    directory: DirArg = None,
    strict: Annotated[bool, typer.Option(help="Fail on warnings too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print problems as JSON.")] = False,
) -> None:
    """Validate every guidelines file. Exit 0 when clean, 1 on errors (or warnings with --strict).

    Each problem is printed as file:line: field.path: message.
    """
    from assistant.errors import GuidelinesError, Problem
    from assistant.knowledge import load_knowledge_base

    problems: list[Problem]
    try:
        problems = load_knowledge_base(_dir(directory)).warnings
    except GuidelinesError as exc:
        problems = exc.problems
    errors = [p for p in problems if p.severity == "error"]
    if as_json:
        typer.echo(json.dumps([{**p.__dict__} for p in problems], ensure_ascii=False, indent=2))
    else:
        for p in problems:
            typer.echo(f"{p.severity}: {p}", err=p.severity == "error")
        typer.echo(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)")
    if errors or (strict and problems):
        raise typer.Exit(1)


@guidelines_app.command("init")
def init(
    directory: Annotated[Path, typer.Argument(help="New folder for your brand's guidelines.")],
) -> None:
    """Copy the sample brand (Nimbus Home) into DIRECTORY as a starting point to edit."""
    from assistant.knowledge.starter import copy_sample_brand

    written = copy_sample_brand(directory)
    typer.echo(f"wrote {len(written)} files to {directory}")
    typer.echo(
        f"next: edit {directory}/brand.yaml, then run `assistant guidelines check {directory}` "
        f"and use it with ASSISTANT_GUIDELINES={directory}"
    )


@guidelines_app.command("coverage")
def coverage_table(
    directory: DirArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print cells as JSON.")] = False,
) -> None:
    """Table of FAQ entry x language: present, missing, stale or machine-translated.

    Works on a folder with errors too (answers still being written show as ✗); the
    errors are listed below the table and the exit code is 1.
    """
    from assistant.errors import GuidelinesError
    from assistant.knowledge.coverage import coverage
    from assistant.knowledge.loader import inspect_guidelines

    kb, problems = inspect_guidelines(_dir(directory))
    errors = [p for p in problems if p.severity == "error"]
    if kb is None:
        raise GuidelinesError(errors)
    cells = coverage(kb)
    if as_json:
        typer.echo(json.dumps([c.model_dump() for c in cells], ensure_ascii=False, indent=2))
    else:
        _print_coverage(kb, cells)
        for problem in errors:
            typer.echo(f"error: {problem}", err=True)
    if errors:
        raise typer.Exit(1)


def _print_coverage(kb: KnowledgeBase, cells: list[CoverageCell]) -> None:
    from rich.console import Console
    from rich.table import Table

    marks = {
        "present": "[green]✓[/]",
        "missing": "[red]✗[/]",
        "stale": "[yellow]old[/]",
        "machine": "[magenta]MT[/]",
    }
    languages = list(dict.fromkeys(c.language for c in cells)) or kb.languages
    table = Table(title=f"FAQ translation coverage: {kb.brand.name}")
    table.add_column("FAQ entry")
    for lang in languages:
        table.add_column(lang, justify="center")
    for faq_id in kb.faq:
        row = {c.language: marks[c.status] for c in cells if c.faq_id == faq_id}
        table.add_row(faq_id, *(row[lang] for lang in languages))
    console = Console()
    console.print(table)
    done = sum(c.status == "present" for c in cells)
    console.print(
        f"{done}/{len(cells)} answers present and fresh "
        "(✓ present, ✗ missing, old = stale review, MT = machine-translated)"
    )


@guidelines_app.command("schema")
def schema(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Guidelines folder: schemas go to its schemas/ (default: ASSISTANT_GUIDELINES, "
            "or ./guidelines)."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the schemas here instead of DIRECTORY/schemas.")
    ] = None,
) -> None:
    """Write JSON Schemas for brand, channels, tones, locale and FAQ files.

    Each YAML file's first line `# yaml-language-server: $schema=...` points to them, so
    editors (VS Code with the YAML extension) autocomplete and underline mistakes.
    """
    from assistant.knowledge.coverage import write_schemas

    target = out or (_dir(directory) or Path("guidelines")) / "schemas"
    for path in write_schemas(target):
        typer.echo(f"wrote {path}")
