"""An evaluation on every core of this machine: forked worker processes.

The pipeline is Python under the GIL, so threads use one core. When the runner built
the assistant itself, the local engine forks one process per CPU; each inherits the
loaded assistant (nothing is loaded again) and evaluates chunks of messages, their
query vectors prefetched a chunk at a time through the run's vector cache. Offline,
each process runs one message at a time; with an LLM backend, whose calls mostly wait
on the network, each runs its share of the run's concurrency on threads (`threads`),
so no more calls are in flight than the run allows. This process stores each result as
its chunk comes back, so resume after an interruption works as with threads (a chunk in
flight runs again).

Forking is only safe before this process has run the e5 engine: a child of a process
whose OpenMP threads exist hangs at its first embedding (GNU libgomp). So processes are
used only while `engine_started()` is false, and only on Linux (where fork is the
default and cheap); anywhere else the threads of `runner.execute` do the work, with
the same results item for item.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from contextlib import ExitStack
from typing import Any, TypeVar

from assistant.evaluation.dataset import EvalItem
from assistant.evaluation.prefetch import Prefetch, chunks, held
from assistant.understanding.embeddings import engine_started

#: Messages per chunk sent to a process; chunks in flight per process.
CHUNK, IN_FLIGHT = 32, 2
#: Below this many messages, forking is not worth it.
MIN_ITEMS = 64

Result = TypeVar("Result")
Evaluate = Callable[[EvalItem], Any]
_adopted: tuple[Evaluate, Prefetch | None, int] | None = None  # set in each forked child


def cpus() -> int:
    """CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def can_fork(items: int, workers: int) -> bool:
    """Whether forked processes can and should evaluate `items` messages."""
    if workers < 2 or items < MIN_ITEMS or sys.platform != "linux" or engine_started():
        return False
    # Never beside other threads, on any Python (3.12 warns of it): a lock one of them
    # holds at the fork stays held in the child for ever (a Jupyter kernel's output
    # threads, a server's). Such a process evaluates on threads instead. tqdm's monitor
    # is the exception: run_forked stops it first.
    from tqdm._monitor import TMonitor

    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    return all(isinstance(t, TMonitor) for t in others)


def run_forked(
    evaluate: Callable[[EvalItem], Result],
    prefetch: Prefetch | None,
    items: Sequence[EvalItem],
    on_result: Callable[[Result], None],
    *,
    workers: int,
    threads: int = 1,
) -> None:
    """`evaluate` every item in `workers` forked processes, `threads` items at a time in
    each; `on_result` here, per result.

    An interrupt (Ctrl-C reaches this process only) starts nothing new, stores the
    chunks in flight, then propagates.
    """
    warm_up(items)
    _stop_tqdm_monitor()
    context = multiprocessing.get_context("fork")
    pending = iter(chunks(items, first=CHUNK, largest=CHUNK))
    cores = max(1, cpus() // workers)
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_adopt,
        initargs=(evaluate, prefetch, cores, threads),
    ) as pool:
        running: set[Future[list[Result]]] = set()
        stopping: BaseException | None = None
        while True:
            if stopping is None:
                running |= {
                    pool.submit(_evaluate_chunk, part)
                    for part in _next(pending, workers * IN_FLIGHT - len(running))
                }
            if not running:
                break
            try:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
            except KeyboardInterrupt as exc:
                stopping = exc
                continue
            for future in finished:
                for record in future.result():
                    on_result(record)
        if stopping is not None:
            raise stopping


def _stop_tqdm_monitor() -> None:
    """Stop tqdm's monitor threads (they only re-tune bar refresh rates; each tqdm class,
    `tqdm.auto`'s too, may have one), so the fork happens with this thread alone; bars
    made later start no new one."""
    from tqdm import tqdm
    from tqdm._monitor import TMonitor

    tqdm.monitor_interval = 0
    for thread in threading.enumerate():
        if isinstance(thread, TMonitor):
            thread.exit()


def warm_up(items: Sequence[EvalItem]) -> None:
    """Load, before forking, the language models the run needs (lingua loads each on
    first use): loaded once here and shared by the children, instead of once in each.
    (lingua keeps no threads, so its models survive a fork; tested.)"""
    from assistant.language import detect_language

    one_each: dict[str, str] = {}
    for item in items:
        one_each.setdefault(item.language, item.text)
    for text in one_each.values():
        detect_language(text)


def _next(parts: Any, count: int) -> list[list[EvalItem]]:
    out: list[list[EvalItem]] = []
    for part in parts:
        out.append(part)
        if len(out) >= count:
            break
    return out


def _adopt(evaluate: Evaluate, prefetch: Prefetch | None, cores: int, threads: int) -> None:
    """In a new child: keep what it inherited; Ctrl-C is for the parent to handle.
    `threads`: items evaluated at a time.

    The processes share the CPUs, so e5 gets `cores` OpenMP threads in each (read when
    the engine loads, which it has not in a child): more threads than cores stall each
    of the model's parallel regions on a descheduled thread. Vectors do not depend on
    the thread count (each row is summed by one thread; tested bit for bit)."""
    global _adopted
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["OMP_NUM_THREADS"] = str(cores)
    _adopted = (evaluate, prefetch, threads)


def _evaluate_chunk(part: list[EvalItem]) -> list[Any]:
    assert _adopted is not None, "runs only in a process started by run_forked"
    evaluate, prefetch, threads = _adopted
    with ExitStack() as held_vectors:
        if prefetch is not None:
            held_vectors.enter_context(held(prefetch, [item.text for item in part]))
        if threads == 1:
            return [evaluate(item) for item in part]
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(evaluate, part))
