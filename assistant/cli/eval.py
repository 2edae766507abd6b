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
    backend: Annotated[
        str,
        typer.Option(help="offline, openai[:model], anthropic:<model>, ollama:<model>..."),
    ] = "offline",
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
        typer.Option(
            help="LLM judge, any backend id, e.g. openai:gpt-4o-mini or anthropic:<model> "
            "(uncalibrated per language)."
        ),
    ] = None,
    fresh: Annotated[bool, typer.Option(help="Discard results already in the folder.")] = False,
    retry_errors: Annotated[
        bool, typer.Option(help="Run again the messages that failed last time.")
    ] = False,
    progress: Annotated[bool, typer.Option(help="Progress bar (only on a terminal).")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print summary.json.")] = False,
    engine: Annotated[
        str, typer.Option(help="local (threads) or ray (pip install 'assistant[scale]').")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(help="With --engine ray: the cluster, e.g. auto or ray://host:10001."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Local: processes for an offline run (default: one per CPU; 1 = threads "
            "only). Ray: assistants (default: CPUs).",
        ),
    ] = None,
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
            engine=engine,
            workers=workers,
            address=address,
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
    """The send-ready rate first, then per language and script with the part metrics
    that explain failures; percentages only, readable at 80 columns and when piped."""
    from rich.console import Console

    from assistant.evaluation.console import summary_lines

    console = Console(width=max(80, Console().width), highlight=False)
    for line in summary_lines(summary):
        console.print(line, markup=False, overflow="fold")


def print_comparison(comparison: Comparison) -> None:
    """Deltas of B - A per language with CIs, then each regression in plain words."""
    from rich.console import Console

    from assistant.evaluation.console import comparison_lines

    console = Console(width=max(80, Console().width), highlight=False)
    for line in comparison_lines(comparison):
        console.print(line, markup=False, overflow="fold")
