"""Evaluation speed and safety, every figure from this run.

(a) the full offline evaluation of the dataset on the local engine, `Assistant.load`,
    scoring and report.html included (target <= 10 s), twice, with the run's vector
    cache in a new empty folder: `offline_local_cold` embeds every message (as a first
    run of new messages does), `offline_local` runs the same messages into a new folder
    and takes their query and reference vectors from the cache (as every later run of
    the dataset does: an A/B of guidelines, a prompt change). `cpu_s` is the CPU time of
    this process and its worker processes (comparable when the machine is busy);
    `e5_alone_s` (and `e5_alone_cpu_s`) is the cold run's floor: e5 alone, in batches,
    on what that run embeds;
(b) the same on Ray with 2 local CPUs, its own vector cache empty (target: within 1.5 x
    of the cold local run, `ratio_to_local`); the start of the
    Ray instance is shown apart, and the per-message cost gives the estimate of wall
    time for 100,000 messages on N workers printed at the end;
(c) the openai backend against the local OpenAI-compatible test server answering every
    call after 300 ms: 300 messages at concurrency 32, one draft each (target <= 12 s,
    0 lost, 0 duplicated; the floor is 300 x 0.3 s / 32 = 2.8 s), timed as a user runs
    it: `assistant eval run` in a new process, start-up and report included.

Usage: python -m benchmarks evaluation   (or: python -m benchmarks.evaluation [local|ray|server])
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks._util import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATASET = ROOT / "evaluation" / "datasets" / "messages.jsonl"
OFFLINE_TARGET_S = 10.0
RAY_RATIO_TARGET = 1.5
SERVER_TARGET_S = 12.0
SERVER_MESSAGES = 300
SERVER_CONCURRENCY = 32
SERVER_LATENCY_S = 0.3
ESTIMATE_MESSAGES = 100_000
ESTIMATE_WORKERS = (2, 8, 32, 128)


def _offline(tmp: Path, engine: str, name: str) -> dict[str, Any]:
    from assistant.evaluation import run_evaluation

    options: dict[str, Any] = {"concurrency": 4, "progress": False, "engine": engine}
    start_s = 0.0
    if engine == "ray":
        start_s = _start_ray()
        options["concurrency"] = 8
    started, cpu = time.perf_counter(), _cpu_s()
    result = run_evaluation(DATASET, tmp / name, **options)
    seconds = time.perf_counter() - started
    summary = result.summary
    return {
        "engine": engine,
        "vector_cache": "empty" if name.endswith("cold") else "from the run before",
        "messages": result.items,
        "errors": result.errors,
        "lost": result.items - summary.counts["results"],
        "engine_start_s": round(start_s, 2),
        "total_s": round(seconds, 2),
        "cpu_s": round(_cpu_s() - cpu, 2),
        "per_message_ms": round(seconds / max(result.items, 1) * 1000, 1),
        "report_kb": round((tmp / name / "report.html").stat().st_size / 1024, 1),
        "quality": summary.overall["quality"].mean,
    }


def _embedding_alone(run_dir: Path) -> dict[str, float]:
    """Seconds e5 takes, alone, in batches on this machine, for what a run with an empty
    vector cache embeds: every message (cut as the pipeline cuts it) and each first draft
    with its reference reply. The floor of that run (in a new process: this one must not
    start the engine before later forked runs)."""
    command = [sys.executable, "-m", "benchmarks.evaluation", "embed-alone", str(run_dir)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    wall, cpu = out.stdout.split()[-2:]
    return {"e5_alone_s": float(wall), "e5_alone_cpu_s": float(cpu)}


def embed_alone(run_dir: Path) -> tuple[float, float]:
    from assistant.evaluation.dataset import load_dataset
    from assistant.text import searchable
    from assistant.understanding.embeddings import default_embedder, message_query

    embedder = default_embedder()
    embedder.embed_query("warm up")  # the model loads outside the timing
    queries = [message_query(embedder, searchable(item.text)) for item in load_dataset(DATASET)]
    passages = []
    for line in (run_dir / "results.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        drafts = (record.get("suggestion") or {}).get("drafts") or []
        if record["item"].get("reference_reply") and drafts:
            passages += [drafts[0]["text"], record["item"]["reference_reply"]]
    started, cpu = time.perf_counter(), _cpu_s()
    embedder.query_vectors(queries)
    embedder.embed_documents(passages)
    return round(time.perf_counter() - started, 2), round(_cpu_s() - cpu, 2)


def _cpu_s() -> float:
    """CPU seconds of this process and of its finished child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _start_ray() -> float:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    started = time.perf_counter()
    import ray

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    return time.perf_counter() - started


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _server(tmp: Path) -> dict[str, Any]:
    """`assistant eval run --backend openai:test-model` as a user runs it, in a new
    process (which may fork its workers: this one runs the server's threads), against the
    test server in this process. `patterns_cached`: whether the run found the word-list
    patterns of an earlier run in the cache folder (after the local part, it does)."""
    from tests.support.openai_server import OpenAIServer

    out = tmp / "server"
    patterns = Path(os.environ["ASSISTANT_CACHE_DIR"]) / "patterns"
    cached = patterns.is_dir() and any(patterns.rglob("*.bin"))
    command = [
        sys.executable, "-m", "assistant", "eval", "run", str(DATASET), "--out", str(out),
        "--backend", "openai:test-model", "--n", "1", "--limit", str(SERVER_MESSAGES),
        "--concurrency", str(SERVER_CONCURRENCY), "--no-progress",
    ]  # fmt: skip
    with OpenAIServer(_responder(), latency=SERVER_LATENCY_S) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "ASSISTANT_LLM_CACHE": "false"}
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
        seconds = time.perf_counter() - started
        requests = len(server.requests)
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    ids = [record["id"] for record in records]
    errors = sum(1 for record in records if record["error"])
    return {
        "engine": "local",
        "messages": SERVER_MESSAGES,
        "result_lines": len(ids),
        "lost": SERVER_MESSAGES - len(set(ids)),
        "duplicated": len(ids) - len(set(ids)),
        "errors": errors,
        "requests": requests,
        "patterns_cached": cached,
        "total_s": round(seconds, 2),
        "floor_s": round(SERVER_MESSAGES * SERVER_LATENCY_S / SERVER_CONCURRENCY, 2),
        "target_s": SERVER_TARGET_S,
        "within_target": seconds <= SERVER_TARGET_S
        and len(set(ids)) == len(ids) == SERVER_MESSAGES,
    }


def _responder() -> Any:
    """A model that answers in the language the prompt asks for (the locale's clarify line)."""
    from assistant.knowledge import load_knowledge_base

    kb = load_knowledge_base()
    code = re.compile(r'language code "([a-z]{2,3})"')

    def respond(payload: dict[str, Any]) -> dict[str, Any]:
        found = code.search(str(payload["messages"][0]["content"]))
        language = found.group(1) if found else "en"
        return {
            "text": kb.locale(language).lines.clarify,
            "language": language,
            "tone": "friendly",
            "citations": [],
            "confidence": 0.6,
            "needs_escalation": False,
        }

    return respond


def estimate(ray_run: dict[str, Any], workers: int = 2) -> dict[str, float]:
    """Wall time for ESTIMATE_MESSAGES on N workers from the measured per-message cost of
    one Ray worker (each worker is one CPU with one loaded assistant)."""
    per_worker_s = ray_run["total_s"] * workers / max(ray_run["messages"], 1)
    return {
        f"{n} workers": round(ray_run["engine_start_s"] + ESTIMATE_MESSAGES * per_worker_s / n, 1)
        for n in ESTIMATE_WORKERS
    }


def run(parts: tuple[str, ...] = ("local", "ray", "server")) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with (
        tempfile.TemporaryDirectory() as tmp,
        _environment(ASSISTANT_CACHE_DIR=str(Path(tmp) / "cache")),  # starts empty
    ):
        if "local" in parts:  # first: forked workers need a process that has not embedded
            result["offline_local_cold"] = _offline(Path(tmp), "local", "local-cold")
            result["offline_local"] = _offline(Path(tmp), "local", "local")
            result["offline_local_cold"].update(_embedding_alone(Path(tmp) / "local-cold"))
        if "ray" in parts:  # compared with the cold local run: its own empty cache
            with _environment(ASSISTANT_CACHE_DIR=str(Path(tmp) / "ray-cache")):
                result["offline_ray_2cpu"] = _offline(Path(tmp), "ray", "ray-cold")
        if "server" in parts:
            result["local_server_300ms"] = _server(Path(tmp))
    local, ray_run = result.get("offline_local_cold"), result.get("offline_ray_2cpu")
    for offline in (result.get("offline_local_cold"), result.get("offline_local")):
        if offline:
            offline["target_s"] = OFFLINE_TARGET_S
            offline["within_target"] = offline["total_s"] <= OFFLINE_TARGET_S
    if local and ray_run:
        ray_run["ratio_to_local"] = round(ray_run["total_s"] / local["total_s"], 2)
        ray_run["within_target"] = ray_run["ratio_to_local"] <= RAY_RATIO_TARGET
    if ray_run:
        result["estimate_100k_s"] = estimate(ray_run)
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    runs = {k: v for k, v in result.items() if k != "estimate_100k_s"}
    keys = list(dict.fromkeys(k for part in runs.values() for k in part))
    table = Table("measure", *runs, title="evaluation runner")
    for key in keys:
        table.add_row(key, *(str(part.get(key, "")) for part in runs.values()))
    Console().print(table)
    for workers, seconds in result.get("estimate_100k_s", {}).items():
        print(f"estimate, {ESTIMATE_MESSAGES:,} messages on {workers}: {seconds / 60:.1f} min")


if __name__ == "__main__":
    if sys.argv[1:2] == ["embed-alone"]:
        print(*embed_alone(Path(sys.argv[2])))
        sys.exit(0)
    chosen = tuple(sys.argv[1:]) or ("local", "ray", "server")
    print(json.dumps(run(chosen), indent=2))
