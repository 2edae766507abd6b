"""Where batch work runs: threads in this process (`local`, the default) or a Ray cluster.

    run_batch(factory, items, on_result, engine="ray", concurrency=32, address="auto")

`factory` is a picklable object whose call builds the worker once per process (for
example an `Assistant` loaded from guidelines and backend); the worker turns one item
into one result. `on_result` runs in the calling process, once per finished item, in
the order items finish, so the caller stores each result at once (resume after an
interruption skips what was stored; an item in flight when it stopped runs again).

`concurrency` bounds the items in flight, and so the LLM calls, across every worker;
on Ray each worker (one per CPU, `workers` to choose) runs at most
`ceil(concurrency / workers)` items at a time on its own loaded `Assistant`.
Ray is an optional extra (`pip install 'assistant[scale]'`); the local engine needs
nothing more.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any, Generic, Literal, TypeVar

from assistant.errors import ConfigError

I = TypeVar("I")  # noqa: E741 - an item
R = TypeVar("R")  # a result
Engine = Literal["local", "ray"]
ENGINES: tuple[Engine, ...] = ("local", "ray")
#: Environment forwarded to Ray workers (settings, LLM endpoint); nothing else leaks.
FORWARDED = ("ASSISTANT_", "OPENAI_", "ANTHROPIC_", "GOOGLE_", "OLLAMA_", "GOMP_", "HF_")


#: Builds the function that turns an item into a result (once per process; picklable).
WorkerFactory = Callable[[], Callable[[I], R]]


def run_batch(
    factory: WorkerFactory[I, R],
    items: Sequence[I],
    on_result: Callable[[R], None],
    *,
    engine: str = "local",
    concurrency: int = 4,
    workers: int | None = None,
    address: str | None = None,
    progress: bool = True,
    done: int = 0,
    desc: str = "working",
) -> None:
    """Run every item through a worker built by `factory`; see the module doc."""
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    if not 1 <= concurrency <= 256:
        raise ConfigError(f"concurrency must be between 1 and 256 (got {concurrency})")
    with _bar(len(items) + done, done, progress, desc) as update:

        def finished(result: R) -> None:
            on_result(result)
            update()

        if engine == "local":
            run_threads(factory(), items, finished, concurrency=concurrency)
        else:
            run_ray(factory, items, finished, concurrency, workers, address)


def run_threads(
    worker: Callable[[I], R],
    items: Sequence[I],
    on_result: Callable[[R], None],
    *,
    concurrency: int,
) -> None:
    """`worker` over `items` on `concurrency` threads sharing it; an interrupt lets the
    items in flight finish (and be stored), starts nothing new, then propagates."""
    pending = iter(items)
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        running: set[Future[R]] = set()
        try:
            while True:
                free = concurrency - len(running)
                running |= {pool.submit(worker, item) for item in _take(pending, free)}
                if not running:
                    return
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    on_result(future.result())
        except BaseException:
            for future in running:
                future.cancel()
            raise


def _take(items: Iterator[I], count: int) -> list[I]:
    out: list[I] = []
    for item in items:
        out.append(item)
        if len(out) >= count:
            break
    return out


# -- Ray --------------------------------------------------------------------------------
class _Actor(Generic[I, R]):
    """One loaded worker per Ray worker process; threads run several items at once."""

    def __init__(self, factory: WorkerFactory[I, R]) -> None:
        self._work = factory()

    def run(self, item: I) -> R:
        return self._work(item)

    def ready(self) -> bool:
        return True


def run_ray(
    factory: WorkerFactory[I, R],
    items: Sequence[I],
    on_result: Callable[[R], None],
    concurrency: int,
    workers: int | None,
    address: str | None,
) -> None:
    """Items over an actor pool on Ray: `workers` actors (default: one per CPU of the
    cluster), at most `concurrency` items in flight in all."""
    ray = connect(address)
    count = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    count = max(1, min(count, len(items) or 1))
    per_worker = max(1, math.ceil(concurrency / count))
    actor_class = ray.remote(_Actor).options(
        num_cpus=1,
        max_concurrency=per_worker,
        runtime_env={"env_vars": forwarded_environment()},
    )
    actors = [actor_class.remote(factory) for _ in range(count)]
    try:
        ray.get([a.ready.remote() for a in actors])  # load errors surface here, clearly
        _drive(ray, actors, items, on_result, min(concurrency, count * per_worker))
    finally:
        for actor in actors:
            ray.kill(actor)


def _drive(
    ray: Any,
    actors: list[Any],
    items: Sequence[I],
    on_result: Callable[[R], None],
    limit: int,
) -> None:
    """Keep `limit` items in flight, each on the least busy actor; store as they finish."""
    pending = iter(items)
    busy = [0] * len(actors)
    owner: dict[Any, int] = {}
    while True:
        for item in _take(pending, limit - len(owner)):
            index = busy.index(min(busy))
            owner[actors[index].run.remote(item)] = index
            busy[index] += 1
        if not owner:
            return
        ready, _ = ray.wait(list(owner), num_returns=1)
        for ref in ready:
            busy[owner.pop(ref)] -= 1
            on_result(ray.get(ref))


def connect(address: str | None = None) -> Any:
    """The `ray` module, connected: to `address` ("auto", "ray://host:10001", ...), to
    the cluster this process already joined, or to a new local one on this machine."""
    try:
        import ray
    except ImportError as exc:  # the optional extra
        raise ConfigError(
            "the ray engine needs Ray: pip install 'assistant[scale]' (or use --engine local)"
        ) from exc
    if not ray.is_initialized():
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if address:
            ray.init(address=address, **options)
        else:
            ray.init(address="local", **options)
    return ray


def forwarded_environment() -> dict[str, str]:
    """The settings the workers need, from this process's environment."""
    return {k: v for k, v in os.environ.items() if k.startswith(FORWARDED)}


# -- Progress ---------------------------------------------------------------------------
@contextmanager
def _bar(total: int, initial: int, progress: bool, desc: str) -> Iterator[Callable[[], None]]:
    from tqdm import tqdm

    show = progress and sys.stderr.isatty()
    with tqdm(total=total, initial=initial, disable=not show, unit="msg", desc=desc) as bar:
        yield bar.update
