"""`assistant detect TEXT`: the language of one message, or of many from stdin."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from assistant.types import Detection


def detect(
    text: Annotated[
        str,
        typer.Argument(
            help="The message. '-' reads stdin, one message per line, and prints JSON lines."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Detection as JSON.")] = False,
    languages: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated codes the answer must be one of (the brand's languages), "
            "e.g. en,es,ms,id."
        ),
    ] = None,
    hint: Annotated[
        str | None,
        typer.Option(help="Locale that breaks near-ties, e.g. ms-MY or pt_BR."),
    ] = None,
) -> None:
    """Detect the language (ISO 639-1) and script (ISO 15924) of customer messages.

    Examples:

        assistant detect "mera order abhi tak nahi aaya"

        assistant detect "terima kasih" --hint ms-MY --json

        cat messages.txt | assistant detect - --languages en,es,ms,id > detections.jsonl
    """
    from assistant.errors import ConfigError
    from assistant.language import detect_language

    allowed = [code.strip() for code in languages.split(",") if code.strip()] if languages else None
    try:
        detect_language("", languages=allowed, hint=hint)  # validates the options up front
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="--languages") from None
    if text == "-":
        for line in _stdin_lines():
            typer.echo(detect_language(line, languages=allowed, hint=hint).model_dump_json())
        return
    detection = detect_language(text, languages=allowed, hint=hint)
    if as_json:
        typer.echo(detection.model_dump_json(indent=2))
    else:
        _show(detection)


def _stdin_lines() -> list[str]:
    """Stdin split on newlines only, read as bytes so an invalid byte cannot abort a batch."""
    from assistant.text import MAX_FILE_BYTES, read_stream_bytes

    data = read_stream_bytes(sys.stdin.buffer, limit=MAX_FILE_BYTES).decode("utf-8", "replace")
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line does not open a new message
    return [line.removesuffix("\r") for line in lines]


def _show(detection: Detection) -> None:
    """One readable line: language and name, script, confidence, reliability."""
    from rich.console import Console
    from rich.markup import escape

    from assistant.language.detect import LANGUAGE_NAMES

    name = LANGUAGE_NAMES.get(detection.language, "undetermined")
    reliable = "[green]reliable[/]" if detection.reliable else "[yellow]not reliable[/]"
    others = ", ".join(f"{c.language} {c.confidence:.0%}" for c in detection.candidates[1:4])
    Console(highlight=False, soft_wrap=True).print(
        f"[bold]{detection.language}[/] {escape(name)}  script {detection.script}  "
        f"confidence {detection.confidence:.0%}  {reliable}  via {detection.method}"
        + (f"  [dim](also {others})[/]" if others else "")
    )
