"""`assistant review add|list|show|approve|edit|reject|export|stats`: the agent's desk.

Each command opens the store, calls one `ReviewStore` method and prints the result;
a refused change (unknown id, wrong status, blocking findings, another agent first)
is one line on stderr and exit code 1; a mistaken argument, exit code 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

import typer

from assistant.types import Channel

if TYPE_CHECKING:
    from rich.console import Console

    from assistant.review import Review, ReviewEvent, ReviewStats, ReviewStore, StatsGroup
    from assistant.review.roles import Roles
    from assistant.types import Finding, Suggestion

# The same values as assistant.review.models' literals, which this module must not import
# at startup (it pulls in SQLAlchemy); a test keeps them equal.
StatusChoice = Literal["pending", "approved", "edited", "rejected", "exported"]
DimensionChoice = Literal["language", "script", "tone", "faq", "snippet", "channel", "source"]
SourceChoice = Literal["all", "desk", "helpdesk"]
DEFAULT_GROUPS = ("language", "script", "tone", "faq")

review_app = typer.Typer(
    help="Review draft replies: queue them, approve, edit or reject them, export the "
    "approved ones to an outbox, and see how often drafts are accepted.",
    no_args_is_help=True,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Review store: a SQLite file path or a SQLAlchemy URL (default: "
        "ASSISTANT_REVIEW_DB, else reviews.sqlite3 in the user's data folder).",
    ),
]
AgentOption = Annotated[
    str, typer.Option("--agent", help="Your name; it goes into the audit log.", show_default=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
IdArgument = Annotated[int, typer.Argument(help="Review id (see `assistant review list`).")]
OverrideOption = Annotated[
    str | None,
    typer.Option("--override", help="Send despite blocking findings; the reason is audited."),
]


@contextmanager
def _open(db: str | None) -> Iterator[ReviewStore]:
    """The store; a refused change or a user mistake becomes one line and an exit code."""
    from sqlalchemy.exc import SQLAlchemyError

    from assistant.errors import ReviewError, UserError
    from assistant.review import ReviewStore
    from assistant.review.safety import hide_password, shown_url

    try:
        with ReviewStore(db, roles=_roles(db)) as store:
            yield store
    except ReviewError as exc:
        typer.echo(f"error: {hide_password(str(exc), db)}", err=True)
        raise typer.Exit(1) from None
    except UserError as exc:
        typer.echo(f"error: {hide_password(str(exc), db)}", err=True)
        raise typer.Exit(2) from None
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["failed"])[0]
        typer.echo(f"error: review store {shown_url(db)}: {hide_password(reason, db)}", err=True)
        raise typer.Exit(1) from None


def _roles(db: str | None) -> Roles | None:
    """The roles file, when there is one: then only listed agents decide, leads override."""
    from assistant.review import default_db
    from assistant.review.roles import default_roles_path, load_roles

    path = default_roles_path(db or default_db())
    if not path.exists():
        return None
    from assistant.knowledge import load_knowledge_base
    from assistant.settings import Settings

    approvers = load_knowledge_base(Settings().guidelines).brand.approval.approvers
    return load_roles(path, approvers or None)


@review_app.command("add")
def add(
    text: Annotated[
        str | None,
        typer.Argument(help="The customer's message ('-' reads stdin); omit with --from-json."),
    ] = None,
    channel: Annotated[Channel, typer.Option(help="Channel the message came from.")] = "twitter",
    name: Annotated[str | None, typer.Option(help="Customer's name for the greeting.")] = None,
    draft: Annotated[
        int, typer.Option("--draft", min=1, help="Which draft variant to queue (1 = first).")
    ] = 1,
    n: Annotated[int, typer.Option("--n", min=1, max=10, help="Variants to draft.")] = 3,
    from_json: Annotated[
        Path | None,
        typer.Option(
            "--from-json",
            exists=True,
            dir_okay=False,
            help="Queue a draft from a Suggestion JSON file (`assistant draft --json`).",
        ),
    ] = None,
    agent: Annotated[str, typer.Option(help="Who queues it, for the audit log.")] = "assistant",
    reply_to: Annotated[
        str | None,
        typer.Option("--reply-to", help="Conversation or post id to answer in (to the outbox)."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Draft replies to a customer message (or load them) and queue one for review.

    Example: assistant review add "¿Dónde está mi pedido?" --name Ana --draft 2
    """
    suggestion = _suggestion(text, from_json, channel, name, n)
    if draft > len(suggestion.drafts):
        typer.echo(
            f"error: --draft {draft}: there are {len(suggestion.drafts)} draft(s), as many "
            "distinct ones as were possible for this message (one per tone that fits)",
            err=True,
        )
        raise typer.Exit(2)
    with _open(db) as store:
        review = store.add(suggestion, draft - 1, agent=agent, reply_to=reply_to)
    _print_review(review, as_json, f"queued review {review.id}")


@review_app.command("list")
def list_reviews(
    status: Annotated[
        StatusChoice | None, typer.Option(help="Only reviews in this status.")
    ] = None,
    language: Annotated[str | None, typer.Option(help="Reply language, e.g. es.")] = None,
    channel: Annotated[str | None, typer.Option(help="Channel, e.g. whatsapp.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List reviews, oldest first."""
    with _open(db) as store:
        reviews = store.list(status=status, language=language, channel=channel, limit=limit)
    if as_json:
        rows = [r.model_dump(mode="json", exclude={"suggestion"}) for r in reviews]
        _echo_json(rows)
        return
    _console().print(_reviews_table(reviews))


@review_app.command("show")
def show(review_id: IdArgument, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show one review: message, draft, findings, decision and history."""
    with _open(db) as store:
        review, events = store.get(review_id), store.events(review_id)
    if as_json:
        _echo_json({"review": review.model_dump(mode="json"), "events": _dump(events)})
        return
    _print_detail(review, events)


@review_app.command("approve")
def approve(
    review_id: IdArgument,
    agent: AgentOption,
    override: OverrideOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Approve the draft as it is."""
    with _open(db) as store:
        review = store.approve(review_id, agent, override_reason=override)
    _print_review(review, as_json, f"review {review.id} approved by {agent}")


@review_app.command("edit")
def edit(
    review_id: IdArgument,
    agent: AgentOption,
    text: Annotated[
        str, typer.Option("--text", help="The reply to send instead ('-' reads stdin).")
    ],
    override: OverrideOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Replace the draft with your own text; the guardrail checks run on it again."""
    if text == "-":
        text = _stdin()
    with _open(db) as store:
        review = store.edit(
            review_id, agent, text, recheck=_pipeline_recheck, override_reason=override
        )
    _print_review(review, as_json, f"review {review.id} edited by {agent}")


@review_app.command("reject")
def reject(
    review_id: IdArgument,
    agent: AgentOption,
    reason: Annotated[str, typer.Option(help="Why the draft must not be sent (required).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject the draft, saying why."""
    with _open(db) as store:
        review = store.reject(review_id, agent, reason)
    _print_review(review, as_json, f"review {review.id} rejected by {agent}")


@review_app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="Outbox JSONL file to append replies to.")],
    agent: AgentOption,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Append every approved or edited reply to the outbox, once, and mark it exported."""
    with _open(db) as store:
        exported = store.export(out, agent)
    if as_json:
        _echo_json(_dump(exported))
        return
    ids = ", ".join(str(r.id) for r in exported)
    typer.echo(
        f"exported {len(exported)} repl(ies) to {out}: {ids}" if exported else "nothing to export"
    )


@review_app.command("stats")
def stats(
    by: Annotated[
        list[str] | None,  # typer takes no list of Literal; the store names a wrong one
        typer.Option(
            help=f"Group by one of {', '.join(get_args(DimensionChoice))} (repeat for "
            "several; default: language, script, tone, faq). "
            "script: reply language and the script the customer wrote in (hi-Latn); "
            "snippet: guideline snippet shown; source: desk or the helpdesk."
        ),
    ] = None,
    source: Annotated[
        SourceChoice,
        typer.Option(
            help="Count decisions taken here (desk), replies agents sent in a helpdesk and "
            "the service learned (helpdesk), or all."
        ),
    ] = "all",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Acceptance, edit and rejection rates, mean edit distance and frequent findings per
    group, and the FAQ entries and guideline snippets whose drafts were edited most."""
    with _open(db) as store:
        figures = store.stats(by=by or DEFAULT_GROUPS, source=source)
    if as_json:
        _echo_json(figures.model_dump(mode="json"))
        return
    _print_stats(figures)


# --- helpers -------------------------------------------------------------------------


def _suggestion(
    text: str | None, from_json: Path | None, channel: Channel, name: str | None, n: int
) -> Suggestion:
    from pydantic import ValidationError

    from assistant.types import Suggestion

    if (text is None) == (from_json is None):
        typer.echo("error: give the customer's message or --from-json FILE (one of them)", err=True)
        raise typer.Exit(2)
    if from_json is not None:
        try:
            return _rechecked(Suggestion.model_validate_json(_read(from_json)))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "(top level)"
            more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
            typer.echo(
                f"error: {from_json} is not a Suggestion JSON (`assistant draft --json` writes "
                f"one): {where}: {first['msg']}{more}",
                err=True,
            )
            raise typer.Exit(2) from None
    from assistant.pipeline import Assistant

    if text == "-":
        text = _stdin()
    assistant = Assistant.load()
    return assistant.suggest(text or "", channel=channel, customer_name=name, n=n)


def _rechecked(suggestion: Suggestion) -> Suggestion:
    """The suggestion with every draft's findings computed again: a JSON file is input, and
    the findings written in it (say, none) are not to be trusted."""
    from assistant.pipeline import Assistant

    assistant = Assistant.load()
    drafts = [
        draft.model_copy(update={"findings": assistant.recheck(suggestion, draft.text, index)})
        for index, draft in enumerate(suggestion.drafts)
    ]
    return suggestion.model_copy(update={"drafts": drafts})


def _read(path: Path) -> str:
    from assistant.errors import FileError
    from assistant.text import read_bounded

    try:
        return read_bounded(path, what="Suggestion JSON file")
    except FileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _stdin() -> str:
    """The message or reply on stdin: UTF-8, at most 80,000 bytes."""
    from assistant.errors import InputError
    from assistant.text import read_stream

    try:
        return read_stream(sys.stdin.buffer)
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _pipeline_recheck(review: Review, text: str) -> list[Finding] | None:
    """Recheck with the pipeline, loaded only when the review kept its suggestion."""
    if review.suggestion is None:
        return None
    from assistant.pipeline import Assistant
    from assistant.review import recheck_with

    return recheck_with(Assistant.load())(review, text)


def _console() -> Console:
    from rich.console import Console

    return Console()


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _dump(items: Sequence[Review] | Sequence[ReviewEvent]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json") for item in items]


def _print_review(review: Review, as_json: bool, headline: str) -> None:
    if as_json:
        _echo_json(review.model_dump(mode="json"))
        return
    findings = review.final_findings if review.decision else review.draft.findings
    summary = f"{headline} · {review.status} · {review.language} · {review.tone}"
    if review.edit_distance is not None:
        summary += f" · edit distance {review.edit_distance:.2f}"
    typer.echo(summary)
    for finding in findings:
        typer.echo(f"  {finding.severity} {finding.id}: {finding.message}")


def _reviews_table(reviews: Sequence[Review]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table("id", "status", "channel", "lang", "tone", "faq", "agent", "message", "reply")
    for r in reviews:
        cells = [r.status, r.message.channel, r.language, r.tone, r.faq_id or "", r.agent or ""]
        message, reply = _short(r.message.text, 40), _short(r.final_text or r.draft.text, 60)
        table.add_row(str(r.id), *(Text(c) for c in cells), Text(message), Text(reply))
    return table


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _print_detail(review: Review, events: Sequence[ReviewEvent]) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = _console()
    m = review.message
    who = f" from {m.customer_name}" if m.customer_name else ""
    console.print(Text(f"review {review.id} · {review.status} · {m.channel}{who} ({m.language})"))
    console.print(Panel(Text(m.text), title="message", title_align="left"))
    title = f"draft · {review.tone} ({review.language}) · cites {review.faq_id or 'none'}"
    console.print(Panel(Text(review.draft.text), title=title, title_align="left"))
    console.print(_findings_text("draft findings", review.draft.findings))
    if review.decided_at is not None:
        console.print(Text(_decision_line(review)))
    if review.final_text is not None and review.decision == "edited":
        console.print(Panel(Text(review.final_text), title="sent instead", title_align="left"))
        console.print(_findings_text("findings on the edited text", review.final_findings))
    history = Table("when (UTC)", "agent", "action", "from", "to", "details", title="history")
    for e in events:
        when = e.at.strftime("%Y-%m-%d %H:%M:%S")
        details = json.dumps(e.details, ensure_ascii=False)
        cells = [e.agent, e.action, e.from_status or "", e.to_status, details]
        history.add_row(when, *(Text(c) for c in cells))
    console.print(history)


def _decision_line(review: Review) -> str:
    stamp = "%Y-%m-%d %H:%M:%S UTC"
    line = f"{review.decision} by {review.agent} at {review.decided_at:{stamp}}"
    if review.reason:
        line += f" · reason: {review.reason}"
    if review.exported_at is not None:
        line += f" · exported by {review.exported_by} at {review.exported_at:{stamp}}"
    return line


def _findings_text(label: str, findings: Sequence[Finding]) -> Any:
    from rich.text import Text

    text = Text(f"{label}: ", style="bold")
    if not findings:
        return text.append("none", style="green")
    colours = {"block": "red", "warn": "yellow"}
    for f in findings:
        text.append(f"\n  {f.severity} ", style=colours.get(f.severity, "blue"))
        text.append(f"{f.id}: {f.message}")
    return text


def _print_stats(figures: ReviewStats) -> None:
    console = _console()
    origin = "" if figures.source == "all" else f" ({figures.source} decisions)"
    for title, groups in [("overall", [figures.overall]), *figures.by.items()]:
        label = (title if title == "overall" else f"by {title}") + origin
        console.print(_stats_table(label, groups))
        console.print(_top_findings(groups), end="\n\n")
    names = {"faq": "FAQ entries", "snippet": "guideline snippets"}
    for kind, groups in figures.most_edited.items():
        if groups:
            console.print(_stats_table(f"edited most: {names[kind]}{origin}", groups))
            console.print(_snippet_texts(groups), end="\n\n")
        else:
            console.print(f"edited most: {names[kind]}{origin}: no edited drafts", end="\n\n")


def _snippet_texts(groups: Sequence[StatsGroup]) -> Any:
    from rich.text import Text

    text = Text()
    for g in groups:
        if g.label:
            text.append(f"  {g.key}: ", style="bold").append(_short(g.label, 100) + "\n")
    return text


def _stats_table(title: str, groups: Sequence[StatsGroup]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    table.add_column("group", overflow="fold")
    for header in ("reviews", "decided", "accepted", "edited", "rejected", "edit dist"):
        table.add_column(header, justify="right", no_wrap=True)
    for g in groups:
        rates = (g.acceptance_rate, g.edit_rate, g.rejection_rate)
        distance = "—" if g.mean_edit_distance is None else f"{g.mean_edit_distance:.2f}"
        row = [str(g.total), str(g.decided), *(_percent(r) for r in rates), distance]
        table.add_row(Text(g.key), *row)
    return table


def _top_findings(groups: Sequence[StatsGroup]) -> Any:
    from rich.text import Text

    text = Text("top findings on the drafts:", style="bold")
    for g in groups:
        top = ", ".join(f"{f.id} ×{f.count}" for f in g.top_findings) or "none"
        text.append(f"\n  {g.key}: ", style="bold").append(top)
    return text


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"
