"""`assistant draft TEXT`: suggested replies for one customer message."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

if TYPE_CHECKING:
    from assistant.types import Channel, Suggestion


def draft(
    text: Annotated[str, typer.Argument(help="The customer's message ('-' reads stdin).")],
    channel: Annotated[
        str,
        typer.Option(
            help="twitter, facebook, messenger, instagram, whatsapp, wechat, email or livechat."
        ),
    ] = "twitter",
    name: Annotated[str | None, typer.Option(help="Customer's name for the greeting.")] = None,
    backend: Annotated[
        str | None,
        typer.Option(help="offline (default) or openai[:model]; default from ASSISTANT_BACKEND."),
    ] = None,
    n: Annotated[int, typer.Option("--n", min=1, max=10, help="Number of variants.")] = 3,
    locale: Annotated[str | None, typer.Option(help="Customer profile locale, e.g. ms-MY.")] = None,
    guidelines: Annotated[Path | None, typer.Option(help="Guidelines folder.")] = None,
    translate_for: Annotated[
        str | None,
        typer.Option(
            "--translate-for",
            help="Also translate message and drafts for an agent who reads "
            "this language (needs a network).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Suggestion as JSON.")] = False,
) -> None:
    """Draft on-brand replies in the customer's language, with guardrail findings.

    Example: assistant draft "Որտե՞ղ է իմ պատվերը" --channel twitter --name Anahit
    """
    from assistant.pipeline import Assistant

    if text == "-":
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    assistant = Assistant.load(guidelines, backend)
    suggestion = assistant.suggest(
        text,
        channel=cast("Channel", channel),  # suggest() rejects unknown channels clearly
        customer_name=name,
        locale=locale,
        n=n,
    )
    translations = _translations(suggestion, translate_for) if translate_for else None
    if as_json:
        payload = suggestion.model_dump(mode="json")
        if translations is not None:
            payload["translations"] = translations
        import json

        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    show(suggestion, translations)


def _translations(suggestion: Suggestion, target: str) -> dict[str, object]:
    from assistant.errors import TranslationUnavailable
    from assistant.translation import translate_suggestion

    try:
        return translate_suggestion(suggestion, target)
    except TranslationUnavailable as exc:
        return {"unavailable": str(exc)}


def show(suggestion: Suggestion, translations: dict[str, object] | None = None) -> None:
    """Readable rendering: what was understood, then each draft with its findings."""
    from rich.console import Console
    from rich.panel import Panel

    console = Console()
    d, a = suggestion.detection, suggestion.analysis
    hits = ", ".join(f"{h.faq_id} ({h.score:.2f})" for h in suggestion.hits) or "no match"
    console.print(
        f"[bold]language[/] {d.language}/{d.script} ({d.confidence:.0%}) -> reply in "
        f"[bold]{suggestion.reply_language}[/] ({suggestion.language_rule})  "
        f"[bold]sentiment[/] {a.sentiment}  [bold]intent[/] {a.intent}  "
        f"[bold]urgency[/] {a.urgency}"
    )
    console.print(
        f"[bold]FAQ[/] {hits}  [bold]private[/] {a.needs_private}"
        + (
            f"  [bold red]escalate[/] {', '.join(e.trigger for e in a.escalations)}"
            if a.escalations
            else ""
        )
    )
    for note in suggestion.notes:
        console.print(f"[dim]note: {note}[/]")
    for snippet in suggestion.guidance:
        console.print(f"[dim]guideline ({snippet.source}): {snippet.text}[/]")
    if translations and "unavailable" in translations:
        console.print(f"[yellow]{translations['unavailable']}[/]")
    for i, draft in enumerate(suggestion.drafts, 1):
        findings = (
            "\n".join(
                f"  [{_colour(f.severity)}]{f.severity}[/] {f.id}: {f.message}"
                for f in draft.findings
            )
            or "  [green]no findings[/]"
        )
        cites = ", ".join(draft.citations) or "none"
        extra = f"\n[dim]{draft.fallback_reason}[/]" if draft.fallback_reason else ""
        console.print(
            Panel(
                f"{draft.text}\n\n[dim]cites: {cites} · {len(draft.text)} chars · "
                f"{draft.backend}[/]{extra}\n{findings}",
                title=f"{i}. {draft.tone} ({draft.language})",
                title_align="left",
            )
        )


def _colour(severity: str) -> str:
    return {"block": "red", "warn": "yellow"}.get(severity, "blue")
