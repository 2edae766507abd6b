"""Forked worker processes: every result stored once in this process, the same results
as threads item for item, and never a fork where the child would hang."""

from __future__ import annotations

import io
import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation import parallel
from assistant.evaluation.parallel import can_fork, run_forked
from assistant.evaluation.store import ResultRecord
from assistant.knowledge import KnowledgeBase
from tests.evaluation.eval_support import (
    llm_responder,
    make_item,
    make_items,
    results_without_timings,
)
from tests.support.openai_server import OpenAIServer


def _evaluate(item: Any) -> ResultRecord:
    """A stand-in worker: says which process evaluated the item."""
    return ResultRecord(id=item.id, config="k", item=item, error=f"pid {os.getpid()}")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is Linux and macOS only")
def test_forked_processes_return_every_result_once() -> None:
    items = make_items(100)
    stored: list[ResultRecord] = []
    run_forked(_evaluate, None, items, stored.append, workers=2)
    assert sorted(r.id for r in stored) == sorted(i.id for i in items)
    assert all(r.error != f"pid {os.getpid()}" for r in stored), "done in the children"


_in_flight = {"now": 0, "most": 0}
_in_flight_lock = threading.Lock()


def _waiting(item: Any) -> ResultRecord:
    """A stand-in LLM-bound worker: waits, and says how many items its process had in
    flight at most."""
    with _in_flight_lock:
        _in_flight["now"] += 1
        _in_flight["most"] = max(_in_flight["most"], _in_flight["now"])
    time.sleep(0.05)
    with _in_flight_lock:
        _in_flight["now"] -= 1
        most = _in_flight["most"]
    return ResultRecord(id=item.id, config="k", item=item, error=f"pid {os.getpid()} {most}")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is Linux and macOS only")
def test_forked_processes_keep_their_share_of_the_concurrency_in_flight() -> None:
    items = make_items(96)
    stored: list[ResultRecord] = []
    run_forked(_waiting, None, items, stored.append, workers=2, threads=4)
    assert sorted(r.id for r in stored) == sorted(i.id for i in items)
    most = {int(r.error.split()[2]) for r in stored if r.error}
    assert max(most) == 4, "each process had 4 items in flight, never more"
    assert len({r.error.split()[1] for r in stored if r.error}) == 2, "both processes worked"


def test_no_fork_after_this_process_ran_e5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    monkeypatch.setattr(parallel, "engine_started", lambda: False)
    monkeypatch.setattr(parallel.threading, "enumerate", lambda: [threading.main_thread()])
    assert can_fork(500, 2)
    assert not can_fork(500, 1), "one worker: threads"
    assert not can_fork(10, 2), "a few messages: not worth a fork"
    monkeypatch.setattr(parallel, "engine_started", lambda: True)
    assert not can_fork(500, 2), "its OpenMP threads would hang a child"


def test_no_fork_beside_another_thread_but_tqdms_monitor_is_stopped_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    monkeypatch.setattr(parallel, "engine_started", lambda: False)
    release = threading.Event()
    other = threading.Thread(target=release.wait, name="kernel-output")
    other.start()
    try:
        assert not can_fork(500, 2), "a lock that thread holds would stay held in the child"
    finally:
        release.set()
        other.join()
    from tqdm import tqdm

    monkeypatch.setattr(tqdm, "monitor_interval", 10)  # an earlier fork may have set 0
    with tqdm(total=1, file=io.StringIO()) as bar:
        bar.update()
    assert "tqdm_monitor" in [t.name for t in threading.enumerate()]
    alive = [t for t in threading.enumerate() if t.name in ("MainThread", "tqdm_monitor")]
    with monkeypatch.context() as only:  # other tests' leftover threads aside
        only.setattr(parallel.threading, "enumerate", lambda: alive)
        assert can_fork(500, 2), "tqdm's monitor alone does not prevent a fork"
    parallel._stop_tqdm_monitor()
    assert "tqdm_monitor" not in [t.name for t in threading.enumerate()]


def test_forked_processes_evaluate_like_threads(tmp_path: Path) -> None:
    """The real offline assistant, in a fresh process (this one may have run e5): forked
    workers and threads give the same results, timings aside."""
    _in_a_fresh_process(_both_ways, str(tmp_path))
    assert len(_same_both_ways(tmp_path)) == 72


def test_forked_llm_runs_evaluate_like_threads(kb: KnowledgeBase, tmp_path: Path) -> None:
    """The openai backend against the local test server (in this process), the run in a
    fresh one: forked workers, each with half of the concurrency, and threads give the
    same results."""
    with OpenAIServer(llm_responder(kb)) as server:
        _in_a_fresh_process(_both_ways, str(tmp_path), server.base_url)
        requests = len(server.requests)
    forked = _same_both_ways(tmp_path)
    assert len(forked) == 72 and requests == 2 * 72
    backends = {d["backend"] for r in forked.values() for d in r["suggestion"]["drafts"]}
    assert backends == {"openai:test-model"}, "every draft came from the server"


def _in_a_fresh_process(target: Any, *args: str) -> None:
    child = multiprocessing.get_context("spawn").Process(target=target, args=args)
    child.start()
    child.join(timeout=300)
    if child.is_alive():  # a hung fork: stop it before failing
        child.kill()
        child.join()
    assert child.exitcode == 0, "the runs failed in the child process: see its output above"


def _same_both_ways(folder: Path) -> dict[str, Any]:
    forked = results_without_timings(folder / "forked")
    assert forked == results_without_timings(folder / "threads")
    return forked


def _both_ways(folder: str, base_url: str | None = None) -> None:
    """72 messages forked, then on threads; with `base_url`, drafted by the server there."""
    from assistant.evaluation import run_evaluation
    from assistant.evaluation import runner as runner_module

    os.environ["ASSISTANT_CACHE_DIR"] = os.path.join(folder, "cache")
    options: dict[str, Any] = {"workers": 2, "progress": False}
    if base_url is not None:
        os.environ.update(OPENAI_BASE_URL=base_url, ASSISTANT_LLM_CACHE="false")
        options.update(backend="openai:test-model", n=1, concurrency=8)
    texts = ["where is my order?", "Quiero un reembolso", "Ձեր խանութը փակ է՞", "thanks!"]
    items = [make_item(f"x-{i:03d}", text=f"{texts[i % 4]} #{i // 4}") for i in range(72)]
    forks: list[tuple[int, int]] = []
    real = runner_module.forked

    def counted(*args: Any, **fork_options: Any) -> None:
        forks.append((fork_options["workers"], fork_options["threads"]))
        real(*args, **fork_options)

    # This is a child process of the test: nothing to undo.
    runner_module.forked = counted  # type: ignore[assignment]
    run_evaluation(items, Path(folder) / "forked", **options)
    if base_url is None:
        assert forks == [(2, 1)], "the offline run forked two workers, one message each"
    else:
        assert forks == [(2, 4)], "two workers, each with 4 of the 8 calls in flight"
    runner_module.can_fork = lambda *_: False
    run_evaluation(items, Path(folder) / "threads", **options)
