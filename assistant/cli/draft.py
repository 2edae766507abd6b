"""`assistant draft TEXT`: suggested replies for one customer message."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

if TYPE_CHECKING:
    from assistant.types import Channel, Suggestion


def draft(
    text: Annotated[
        str | None, typer.Argument(help="The customer's message ('-' reads stdin).")
    ] = None,
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
    batch: Annotated[
        Path | None,
        typer.Option(help='A JSONL file of messages ({"id", "text", "channel", ...} a line).'),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="With --batch: the JSONL file to write.")] = None,
    engine: Annotated[
        str,
        typer.Option(help="With --batch: local (threads) or ray (pip install 'assistant[scale]')."),
    ] = "local",
    concurrency: Annotated[
        int, typer.Option(min=1, max=256, help="With --batch: messages in flight at once.")
    ] = 4,
    address: Annotated[
        str | None,
        typer.Option(help="With --engine ray: the cluster, e.g. auto or ray://host:10001."),
    ] = None,
) -> None:
    """Draft on-brand replies in the customer's language, with guardrail findings.

    Example: assistant draft "Որտե՞ղ է իմ պատվերը" --channel twitter --name Anahit

    Many messages: assistant draft --batch messages.jsonl --out drafts.jsonl [--engine ray]
    """
    if batch is not None or text is None:
        _batch(batch, out, guidelines, backend, n, engine, concurrency, address)
        return
    from assistant.pipeline import Assistant

    if text == "-":
        from assistant.text import read_stream_bytes

        text = read_stream_bytes(sys.stdin.buffer).decode("utf-8", errors="replace")
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


def _batch(
    source: Path | None,
    out: Path | None,
    guidelines: Path | None,
    backend: str | None,
    n: int,
    engine: str,
    concurrency: int,
    address: str | None,
) -> None:
    from assistant.drafting.batch import draft_batch
    from assistant.errors import InputError

    if source is None or out is None:
        raise InputError(
            "give a message to draft, or --batch IN.jsonl --out OUT.jsonl for a file of them"
        )
    done = draft_batch(
        source,
        out,
        guidelines=guidelines,
        backend=backend,
        n=n,
        engine=engine,
        concurrency=concurrency,
        address=address,
    )
    typer.echo(
        f"{done.new} drafted, {done.skipped} already in {out}, {done.errors} failed "
        f"({done.total} messages)"
    )


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
    from rich.markup import escape
    from rich.panel import Panel

    console = Console()
    d, a = suggestion.detection, suggestion.analysis
    hits = ", ".join(f"{h.faq_id} ({h.score:.2f})" for h in suggestion.hits) or "no match"
    console.print(
        f"[bold]language[/] {d.language}/{d.script} ({d.confidence:.0%}) -> reply in "
        f"[bold]{suggestion.reply_locale or suggestion.reply_language}[/] "
        f"({suggestion.language_rule})  "
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
    if suggestion.native_text:  # a romanised message, in its native script
        console.print(f"[bold]native script[/] {escape(suggestion.native_text)}")
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
