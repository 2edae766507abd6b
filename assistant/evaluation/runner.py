"""Run the assistant over a dataset: bounded concurrency, progress, caching, resume.

    result = run_evaluation("evaluation/datasets/messages.jsonl", "evaluation/runs/base")
    result.summary.by_language["hy"]["citation_correct"]      # Stat(mean, low, high, n)

Each finished item is appended to `results.jsonl` at once (one flushed line), keyed by
item id and a hash of the configuration (backend, guidelines fingerprint, prompt
version, judge, drafts per message). Run again after an interruption and only the
missing items run; a failure is a result with `error` (never lost, never duplicated).
Then `scores.jsonl`, `summary.json` and `report.html` are written from all results.

Speed (`benchmarks/evaluation.py`): each message's query vector is embedded ahead of
its turn in batches and kept in the run's vector cache, and a run forks one process
per CPU, since the pipeline is Python under the GIL (with an LLM backend, each process
keeps its share of the run's concurrency in flight).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import ConfigError
from assistant.evaluation.dataset import (
    DatasetError,
    EvalItem,
    SplitFilter,
    load_dataset,
    select,
)
from assistant.evaluation.engines import run_batch
from assistant.evaluation.metrics import (
    ItemScore,
    add_judge,
    add_reference_metrics,
    now_for,
    reference_scores,
    score_error,
    score_suggestion,
)
from assistant.evaluation.parallel import can_fork, cpus
from assistant.evaluation.parallel import run_forked as forked
from assistant.evaluation.prefetch import Prefetch, ahead, prefetcher
from assistant.evaluation.report import write_report
from assistant.evaluation.stats import Summary, summarise
from assistant.evaluation.store import (
    REPORT,
    RESULTS,
    SUMMARY,
    ResultRecord,
    ResultStore,
    RunConfig,
    RunSummary,
    run_cost,
    run_counts,
    run_info,
    with_cache,
    write_outputs,
)
from assistant.knowledge import KnowledgeBase
from assistant.types import Draft, Message, Model, Suggestion
from assistant.understanding.embeddings import Embedder


class Suggester(Protocol):
    """What the runner needs of an `Assistant` (a fake works in tests)."""

    kb: KnowledgeBase

    def suggest(
        self,
        text_or_message: str | Message,
        channel: Any = ...,
        customer_name: str | None = ...,
        history: list[str] | None = ...,
        locale: str | None = ...,
        n: int = ...,
        *,
        now: dt.datetime | None = ...,
    ) -> Suggestion: ...


class Judge(Protocol):
    """Scores a draft 1-5 with rationales (`assistant.evaluation.judge.LLMJudge`)."""

    name: str

    def score(
        self, message: Message | str, draft: Draft, kb: KnowledgeBase, reference: str | None = None
    ) -> Model: ...


# -- Running ---------------------------------------------------------------------------
def run_evaluation(
    dataset: str | Path | Sequence[EvalItem] | None,
    out_dir: str | Path,
    *,
    backend: str = "offline",
    limit: int | None = None,
    concurrency: int = 4,
    assistant: Suggester | None = None,
    progress: bool = True,
    languages: Iterable[str] | None = None,
    split: SplitFilter = "all",
    guidelines: str | Path | None = None,
    n: int = 3,
    now: dt.datetime | None = None,
    judge: Judge | str | None = None,
    fresh: bool = False,
    retry_errors: bool = False,
    seed: int = 0,
    report: bool = True,
    embedder: Embedder | None = None,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
) -> RunSummary:
    """Suggest replies for every item, score them, write the run folder; see module doc.

    `dataset` is a .jsonl path (None: the bundled dataset) or a list of `EvalItem`s;
    `languages`, `split` and `limit` filter it (see `select`). `assistant` replaces the
    one built from `guidelines` and `backend`; `judge` ("openai[:model]" or a `Judge`)
    adds LLM-judge scores; `n` drafts per message (the first is scored).
    The local engine embeds the messages ahead of their turn, in batches, through the
    run's vector cache (`evaluation.prefetch`); a run of an assistant built here forks
    `workers` processes (default: one per CPU; 1: threads only) to use every core
    (`evaluation.parallel`), with an LLM backend each with its share of `concurrency`.
    `engine="ray"` runs the items on a Ray cluster (`address`, default: a local one),
    `workers` loaded assistants with `concurrency` items in flight in all. Every way
    gives the same results item for item.
    """
    started = time.perf_counter()
    if not 1 <= concurrency <= 64:
        raise ConfigError(f"concurrency must be between 1 and 64 (got {concurrency})")
    languages = list(languages) if languages is not None else None
    items = _items(dataset, languages, split, limit)
    remote = _remote_judge(engine, assistant, judge)
    with ExitStack() as owned:  # close the HTTP clients of what we build here
        built = assistant is None  # ours: forked processes may share it
        if assistant is None:
            assistant = _assistant(guidelines, backend, owned)
        the_judge = _judge(judge, owned)
        embedder = with_cache(embedder or _default_embedder(), _cache_dir())
        config = run_config(assistant, backend, the_judge, n, now, embedder)
        out = Path(out_dir)
        store = ResultStore(out / RESULTS, config.key, fresh=fresh, retry_errors=retry_errors)
        todo = [item for item in items if item.id not in store.done]
        work = _Work(assistant, config, n, now, the_judge, store, embedder)
        cached = len(items) - len(todo)
        scored: dict[str, ItemScore] = {}  # scored where they ran (forked processes)
        if engine == "local":
            processes = (workers or cpus()) if built and the_judge is None else 1
            prefetch = prefetcher(assistant, _cache_dir())
            if can_fork(len(todo), processes):
                # Offline a process is busy with one message; LLM calls mostly wait.
                threads = 1 if backend == "offline" else max(1, concurrency // processes)
                scored = run_forked(
                    work,
                    todo,
                    processes,
                    prefetch,
                    progress=progress,
                    cached=cached,
                    threads=threads,
                )
            else:
                execute(
                    work,
                    todo,
                    concurrency=concurrency,
                    progress=progress,
                    cached=cached,
                    prefetch=prefetch,
                )
        else:
            worker = EvalWorker(guidelines, backend, config, n, now, remote)
            run_batch(
                worker,
                todo,
                store.append,
                engine=engine,
                concurrency=concurrency,
                workers=workers,
                address=address,
                progress=progress,
                done=cached,
                desc="evaluating",
            )
    records = [store.done[item.id] for item in items if item.id in store.done]
    scores = score_records(records, assistant.kb, embedder, scored)
    info = run_info(config, dataset, split, languages, limit, seed)
    summary = summarise(
        scores,
        config=info,
        counts=run_counts(items, todo, records),
        seed=seed,
        cost=run_cost(records),
    )
    summary.seconds = round(time.perf_counter() - started, 3)
    if not todo:
        keep_run_statistics(summary, out / SUMMARY)
    run = write_outputs(out, summary, scores)
    if report:
        write_report(run, out / REPORT)
    return RunSummary(
        out_dir=out,
        items=len(items),
        new=len(todo),
        cached=cached,
        errors=summary.counts["errors"],
        seconds=summary.seconds,
        summary=summary,
    )


def keep_run_statistics(summary: Summary, previous: Path) -> None:
    """Nothing new ran: keep the counts, time and cost of the run that made the results
    (a resumed, finished run must not report "0 new, 0.4 s")."""
    if not previous.is_file():
        return
    try:
        before = Summary.model_validate_json(previous.read_text(encoding="utf-8"))
    except ValueError:
        return  # an older or damaged summary: the fresh statistics stand
    if before.config.get("key") != summary.config.get("key"):
        return
    summary.counts = before.counts
    summary.seconds = before.seconds
    summary.cost = before.cost


def _remote_judge(
    engine: str, assistant: Suggester | None, judge: Judge | str | None
) -> str | None:
    """What a remote worker needs to build the judge itself (objects do not travel)."""
    if engine == "local":
        return None
    if assistant is not None:
        raise ConfigError(
            f"engine {engine!r} loads one assistant per worker from guidelines and backend; "
            "pass those instead of an assistant object (or use engine='local')"
        )
    if judge is not None and not isinstance(judge, str):
        raise ConfigError(
            f"engine {engine!r} builds the judge in each worker: pass it as 'openai[:model]'"
        )
    return judge


@dataclass(frozen=True)
class EvalWorker:
    """Builds, in a worker process, what evaluates one item (picklable, sent to Ray)."""

    guidelines: str | Path | None
    backend: str
    config: RunConfig
    n: int
    now: dt.datetime | None
    judge: str | None

    def __call__(self) -> Callable[[EvalItem], ResultRecord]:
        owned = ExitStack()  # the worker's clients live as long as its process
        assistant = _assistant(self.guidelines, self.backend, owned)
        the_judge = _judge(self.judge, owned)
        embedder = with_cache(_default_embedder(), _cache_dir())
        work = _Work(assistant, self.config, self.n, self.now, the_judge, None, embedder)
        return work.evaluate


def _assistant(guidelines: str | Path | None, backend: str, owned: ExitStack) -> Suggester:
    from assistant.pipeline import Assistant

    assistant = Assistant.load(guidelines, backend)
    _close_later(assistant.drafter, owned)
    return assistant


def _close_later(thing: object, owned: ExitStack) -> None:
    close = getattr(thing, "close", None)
    if callable(close):
        owned.callback(close)


def _items(
    dataset: str | Path | Sequence[EvalItem] | None,
    languages: Iterable[str] | None,
    split: SplitFilter,
    limit: int | None,
) -> list[EvalItem]:
    if dataset is None or isinstance(dataset, str | Path):
        items = load_dataset(dataset, languages=languages, split=split, limit=limit)
    else:
        items = select(list(dataset), languages=languages, split=split, limit=limit)
    if not items:
        wanted = ", ".join(languages) if languages is not None else "all"
        raise DatasetError(
            [
                f"no message matches languages={wanted} and split={split}; "
                "check the language codes (ISO 639-1, e.g. hy) and the split"
            ]
        )
    return items


def _judge(judge: Judge | str | None, owned: ExitStack) -> Judge | None:
    if judge is None or not isinstance(judge, str):
        return judge
    from assistant.evaluation.judge import build_judge  # imports langchain: only when asked

    built = build_judge(judge)
    _close_later(built, owned)
    return built


def _default_embedder() -> Embedder:
    from assistant.understanding.embeddings import default_embedder

    return default_embedder()  # the model itself loads on first use only


def _cache_dir() -> Path:
    from assistant.settings import Settings

    return Settings().cache_dir


def run_config(
    assistant: Suggester,
    backend: str,
    judge: Judge | None,
    n: int,
    now: dt.datetime | None,
    embedder: Embedder | None = None,
) -> RunConfig:
    """The configuration a run's results depend on."""
    drafter = getattr(assistant, "drafter", None)
    prompt = getattr(getattr(drafter, "prompt", None), "id", None)
    kb = assistant.kb
    return RunConfig(
        backend=str(getattr(drafter, "name", backend)),
        guidelines=str(kb.root),
        fingerprint=kb.fingerprint,
        prompt=str(prompt or getattr(drafter, "name", backend)),
        judge=None if judge is None else _judge_id(judge),
        embedder=embedder.id if embedder is not None else "",
        n=n,
        **({"now": now.isoformat()} if now is not None else {}),
    )


def _judge_id(judge: Judge) -> str:
    prompt = getattr(getattr(judge, "prompt", None), "id", "")
    return f"{judge.name} {prompt}".strip()


@dataclass
class _Work:
    """Evaluates one item and stores the result (runs in worker threads)."""

    assistant: Suggester
    config: RunConfig
    n: int
    now: dt.datetime | None
    judge: Judge | None
    store: ResultStore | None  # None in a remote worker: the driver stores
    embedder: Embedder

    def __call__(self, item: EvalItem) -> ResultRecord:
        record = self.evaluate(item)
        if self.store is not None:
            self.store.append(record)
        return record

    def evaluate(self, item: EvalItem) -> ResultRecord:
        now = self.now or now_for(self.assistant.kb, item.language, item.locale)
        started = time.perf_counter()
        try:
            suggestion = self.assistant.suggest(
                item.text,
                channel=item.channel,
                customer_name=item.customer_name,
                locale=item.locale,
                n=self.n,
                now=now,
            )
        except Exception as exc:  # recorded with the item, never lost
            return ResultRecord(
                id=item.id,
                config=self.config.key,
                item=item,
                error=describe(exc),
                latency_ms=_ms(started),
            )
        record = ResultRecord(
            id=item.id,
            config=self.config.key,
            item=item,
            suggestion=suggestion,
            latency_ms=_ms(started),
        )
        if item.reference_reply and suggestion.drafts:
            self._reference(record, suggestion.drafts[0].text, item.reference_reply)
        if self.judge is not None and suggestion.drafts:
            self._judge(record, suggestion)
        return record

    def _reference(self, record: ResultRecord, draft: str, reference: str) -> None:
        try:
            record.reference_scores = reference_scores(draft, reference, self.embedder)
        except Exception:  # scored again (and reported) when the run is summarised
            record.reference_scores = None

    def _judge(self, record: ResultRecord, suggestion: Suggestion) -> None:
        assert self.judge is not None
        try:
            scores = self.judge.score(
                suggestion.message,
                suggestion.drafts[0],
                self.assistant.kb,
                reference=record.item.reference_reply,
            )
        except Exception as exc:  # a failed judgement must not lose the draft
            record.judge_error = describe(exc)
            return
        record.judge = scores.model_dump(mode="json")


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


def execute(
    work: _Work,
    todo: Sequence[EvalItem],
    *,
    concurrency: int,
    progress: bool,
    cached: int = 0,
    prefetch: Prefetch | None = None,
) -> None:
    """Run `work` over `todo` with at most `concurrency` in flight, with a progress bar;
    `prefetch` embeds each chunk of messages ahead of its turn (`evaluation.prefetch`).

    On an interrupt (Ctrl-C, or a worker raising KeyboardInterrupt) nothing new starts,
    the items in flight finish and are stored, then the interrupt propagates.
    """
    from tqdm import tqdm

    show = progress and sys.stderr.isatty()
    with (
        tqdm(
            total=len(todo) + cached,
            initial=cached,
            disable=not show,
            unit="msg",
            desc="evaluating",
        ) as bar,
        ThreadPoolExecutor(max_workers=concurrency) as pool,
    ):
        for part in ahead(todo, _text, prefetch):
            futures: list[Future[ResultRecord]] = [pool.submit(work, item) for item in part]
            try:
                for future in as_completed(futures):
                    future.result()
                    bar.update()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise


def _text(item: EvalItem) -> str:
    return item.text


def run_forked(
    work: _Work,
    todo: Sequence[EvalItem],
    processes: int,
    prefetch: Prefetch | None,
    *,
    progress: bool,
    cached: int = 0,
    threads: int = 1,
) -> dict[str, ItemScore]:
    """`work` over `todo` in `processes` forked processes (`evaluation.parallel`),
    `threads` messages at a time in each, each
    result scored there too (scoring is a tenth of the work, and this process would do
    it alone afterwards); the results are stored here, with a progress bar. Returns the
    scores by item id."""
    from tqdm import tqdm

    show = progress and sys.stderr.isatty()
    scores: dict[str, ItemScore] = {}
    with tqdm(
        total=len(todo) + cached, initial=cached, disable=not show, unit="msg", desc="evaluating"
    ) as bar:

        def store(result: tuple[ResultRecord, ItemScore]) -> None:
            record, score = result
            scores[record.id] = score
            if work.store is not None:
                work.store.append(record)
            bar.update()

        forked(
            partial(_scored, replace(work, store=None)),
            prefetch,
            todo,
            store,
            workers=processes,
            threads=threads,
        )
    return scores


def _scored(work: _Work, item: EvalItem) -> tuple[ResultRecord, ItemScore]:
    record = work.evaluate(item)
    return record, _score(record, work.assistant.kb)


# -- Scoring and writing ---------------------------------------------------------------
def score_records(
    records: Sequence[ResultRecord],
    kb: KnowledgeBase,
    embedder: Embedder | None = None,
    known: dict[str, ItemScore] | None = None,
) -> list[ItemScore]:
    """Item scores of results (reference and judge metrics included); `known`: scores
    already made, by item id."""
    known = known or {}
    scores = [known.get(record.id) or _score(record, kb) for record in records]
    add_reference_metrics(scores, embedder)
    return scores


def _score(record: ResultRecord, kb: KnowledgeBase) -> ItemScore:
    if record.suggestion is None:
        score = score_error(record.item, record.error or "no suggestion")
    else:
        score = score_suggestion(record.item, record.suggestion, kb)
        score.values.update(record.reference_scores or {})
    score.values["latency_ms"] = record.latency_ms
    if record.judge is not None:
        add_judge(score, record.judge)
    elif record.judge_error is not None:
        score.judge = {"error": record.judge_error}
    return score
