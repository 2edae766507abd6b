"""`assistant eval run|compare`: the analyst's commands (need the `eval` extra)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from assistant.evaluation import Comparison, Summary

eval_app = typer.Typer(
    help="Evaluate drafts over a labelled dataset, per language, and compare two runs.",
    no_args_is_help=True,
)

RUN_COLUMNS = (
    "quality",
    "language_match",
    "citation_correct",
    "no_match_handled",
    "channel_fit",
    "register_correct",
    "empathy_when_needed",
    "take_private_correct",
    "escalation_recall",
    "chrf",
    "similarity",
)
COMPARE_COLUMNS = (
    "quality",
    "language_match",
    "citation_correct",
    "channel_fit",
    "empathy_when_needed",
    "take_private_correct",
    "chrf",
)


@eval_app.command("run")
def run(
    dataset: Annotated[
        Path,
        typer.Argument(help="Labelled messages (.jsonl), e.g. evaluation/datasets/messages.jsonl."),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Run folder: results.jsonl, scores.jsonl, "
            "summary.json, report.html. Rerun to resume.",
        ),
    ],
    backend: Annotated[str, typer.Option(help="offline or openai[:model].")] = "offline",
    limit: Annotated[
        int | None,
        typer.Option(
            min=1, help="At most N messages: a stable sample, round-robin across languages."
        ),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Messages in flight.")] = 4,
    split: Annotated[str, typer.Option(help="dev (tuning), test (reported) or all.")] = "all",
    languages: Annotated[
        str | None, typer.Option(help="Comma-separated codes, e.g. en,hy (default: all).")
    ] = None,
    guidelines: Annotated[
        Path | None, typer.Option(help="Guidelines folder (default: the sample brand).")
    ] = None,
    n: Annotated[
        int, typer.Option("--n", min=1, max=10, help="Drafts per message (the first is scored).")
    ] = 3,
    judge: Annotated[
        str | None,
        typer.Option(help="LLM judge, e.g. openai:gpt-4o-mini (uncalibrated per language)."),
    ] = None,
    fresh: Annotated[bool, typer.Option(help="Discard results already in the folder.")] = False,
    retry_errors: Annotated[
        bool, typer.Option(help="Run again the messages that failed last time.")
    ] = False,
    progress: Annotated[bool, typer.Option(help="Progress bar (only on a terminal).")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print summary.json.")] = False,
) -> None:
    """Run the assistant over DATASET, score every draft, write the run folder.

    Example: assistant eval run evaluation/datasets/messages.jsonl --out evaluation/runs/base
    """
    from assistant.evaluation import run_evaluation

    try:
        result = run_evaluation(
            dataset,
            out,
            backend=backend,
            limit=limit,
            concurrency=concurrency,
            split=split,  # type: ignore[arg-type]  # checked by select()
            languages=_codes(languages),
            guidelines=guidelines,
            n=n,
            judge=judge,
            fresh=fresh,
            retry_errors=retry_errors,
            progress=progress,
        )
    except KeyboardInterrupt:
        typer.echo(
            f"interrupted: the finished messages are kept in {out / 'results.jsonl'}; "
            "run the same command again to resume.",
            err=True,
        )
        raise typer.Exit(130) from None
    if as_json:
        typer.echo(result.summary.model_dump_json(indent=2))
        return
    print_summary(result.summary)
    typer.echo(
        f"{result.items} messages ({result.new} run, {result.cached} cached, "
        f"{result.errors} errors) in {result.seconds:.1f} s -> {out / 'report.html'}"
    )


def _codes(languages: str | None) -> list[str] | None:
    if languages is None:
        return None
    return [code.strip() for code in languages.split(",") if code.strip()]


@eval_app.command("compare")
def compare(
    run_a: Annotated[Path, typer.Argument(help="Baseline run folder (A).")],
    run_b: Annotated[Path, typer.Argument(help="Candidate run folder (B).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
    fail_on_regression: Annotated[
        bool,
        typer.Option(help="Exit 1 when a metric regressed (CI of B - A entirely on the bad side)."),
    ] = False,
) -> None:
    """Per-language deltas B - A with paired bootstrap CIs; regressions in red."""
    from assistant.evaluation import compare_runs

    comparison = compare_runs(run_a, run_b)
    if as_json:
        typer.echo(json.dumps(comparison.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print_comparison(comparison)
    if fail_on_regression and comparison.regressions:
        raise typer.Exit(1)


def print_summary(summary: Summary) -> None:
    """Per-language table of means (quality with its 95% CI)."""
    from rich.console import Console
    from rich.table import Table

    from assistant.evaluation import METRICS
    from assistant.evaluation.report import format_stat

    columns = [m for m in RUN_COLUMNS if m in summary.metrics]
    table = Table(title=f"Evaluation per language ({summary.config.get('backend')})")
    table.add_column("language")
    table.add_column("n", justify="right")
    for metric in columns:
        table.add_column(METRICS[metric].label, justify="right")
    groups = {**summary.by_language, "all": summary.overall}
    for language, stats in groups.items():
        cells = [
            format_stat(stats.get(m), m) if m == "quality" else _mean(stats.get(m), m)
            for m in columns
        ]
        table.add_row(
            language, str(stats["answered"].n), *cells, style="bold" if language == "all" else None
        )
    Console().print(table)
    for note in summary.notes:
        Console().print(f"[yellow]{note}[/]")


def _mean(stat: object, metric: str) -> str:
    mean = getattr(stat, "mean", None)
    if mean is None:
        return "–"
    return f"{mean:.1f}" if metric == "chrf" else f"{mean:.2f}"


def print_comparison(comparison: Comparison) -> None:
    """Language x metric table of B - A deltas with CIs; red regressions, green gains."""
    from rich.console import Console
    from rich.table import Table

    from assistant.evaluation import METRICS

    columns = [m for m in COMPARE_COLUMNS if m in comparison.metrics]
    table = Table(
        title=f"{comparison.run_b} vs {comparison.run_a} ({comparison.common} "
        "paired messages): delta [95% CI], wins/losses/ties on quality"
    )
    table.add_column("language")
    for metric in columns:
        table.add_column(METRICS[metric].label, justify="right")
    table.add_column("W/L/T", justify="right")
    groups = [*sorted({d.group for d in comparison.by_language}), "all"]
    for group in groups:
        cells = [_delta_cell(comparison, m, group) for m in columns]
        quality = comparison.delta("quality", group)
        wlt = f"{quality.wins}/{quality.losses}/{quality.ties}" if quality else "–"
        table.add_row(group, *cells, wlt, style="bold" if group == "all" else None)
    console = Console()
    console.print(table)
    count = len(comparison.regressions)
    console.print(f"[{'red' if count else 'green'}]{count} regression(s)[/]")


def _delta_cell(comparison: Comparison, metric: str, group: str) -> str:
    delta = comparison.delta(metric, group)
    if delta is None or delta.delta.mean is None:
        return "–"
    d, scale = delta.delta, (1 if metric == "chrf" else 2)
    text = f"{d.mean:+.{scale}f} [{d.low:+.{scale}f}, {d.high:+.{scale}f}]"
    if delta.regression:
        return f"[bold red]{text}[/]"
    return f"[green]{text}[/]" if delta.improvement else text
