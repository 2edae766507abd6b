"""A run folder on disk: the results file (append-only, resumable) and loading a run.

    results.jsonl   one line per message: gold item, suggestion (all drafts) or error
    scores.jsonl    one line per message: metric values, what failed, findings
    summary.json    aggregates with confidence intervals (`Summary`)
    report.html     the self-contained report

Also here: `CachedEmbedder`, the on-disk cache of embeddings shared by every run.

Every line of results.jsonl carries the key of the configuration that produced it
(`RunConfig.key`); a folder holds one configuration, so a changed backend, guidelines
version, prompt version or judge cannot mix with old results.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import ValidationError

from assistant.errors import FileError, UserError
from assistant.evaluation.dataset import DEFAULT_DATASET, EvalItem
from assistant.evaluation.metrics import ItemScore
from assistant.evaluation.stats import Summary
from assistant.text import read_bounded
from assistant.types import Model, Suggestion
from assistant.understanding.embeddings import Embedder, Vector, query_vectors

EVAL_VERSION = "1"  # bump when what a result holds changes: old caches are then refused
RESULTS, SCORES, SUMMARY, REPORT = "results.jsonl", "scores.jsonl", "summary.json", "report.html"
#: Keys per SQLite lookup (SQLite allows 32,766 parameters per statement).
LOOKUP_BATCH = 900


class ResultsError(UserError):
    """A run folder's results cannot be used for this run."""


class RunConfig(Model):
    """What a result depends on; its `key` tags every line of results.jsonl."""

    backend: str
    guidelines: str
    fingerprint: str
    prompt: str
    judge: str | None = None
    embedder: str = ""
    n: int = 3
    now: str = "11:00 on 2026-03-04 in the region of the reply language"
    eval_version: str = EVAL_VERSION

    @property
    def key(self) -> str:
        data = self.model_dump(exclude={"guidelines"})
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


class ResultRecord(Model):
    """One line of results.jsonl: the gold item and what the assistant suggested."""

    id: str
    config: str
    item: EvalItem
    suggestion: Suggestion | None = None
    error: str | None = None
    latency_ms: float = 0.0
    reference_scores: dict[str, float] | None = None
    judge: dict[str, Any] | None = None
    judge_error: str | None = None


@dataclass
class Run:
    """A finished run read back from its folder (for reports, notebooks, compare)."""

    out_dir: Path
    summary: Summary
    scores: list[ItemScore]

    @property
    def name(self) -> str:
        return self.out_dir.name


def load_run(run_dir: str | Path) -> Run:
    """Read summary.json and scores.jsonl of a run folder."""
    root = Path(run_dir)
    if not (root / SUMMARY).is_file():
        raise ResultsError(
            f"{root}: no {SUMMARY}; run `assistant eval run DATASET --out {root}` first"
        )
    summary = _validated(Summary, root / SUMMARY, read_run_file(root / SUMMARY))
    lines = read_run_file(root / SCORES).split("\n")  # not splitlines(): U+2028 is text
    scores = [
        _validated(ItemScore, root / SCORES, line, number)
        for number, line in enumerate(lines, 1)
        if line.strip()
    ]
    return Run(root, summary, scores)


_M = TypeVar("_M", bound=Model)


def read_run_file(path: Path) -> str:
    """A run folder's file, bounded and UTF-8, or ResultsError saying what is wrong."""
    try:
        return read_bounded(path, what="run file")
    except FileError as exc:
        raise ResultsError(f"{exc}; run `assistant eval run` again with --out") from None


def _validated(model: type[_M], path: Path, text: str, line: int | None = None) -> _M:
    where = f"{path}:{line}" if line else str(path)
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise ResultsError(
            f"{where}: {field}: {first['msg']}; the run folder is damaged or from another "
            "version: run `assistant eval run` again with --out"
        ) from None


class RunSummary(Model):
    """What `run_evaluation` did and where it wrote it."""

    out_dir: Path
    items: int
    new: int
    cached: int
    errors: int
    seconds: float
    summary: Summary

    @property
    def report(self) -> Path:
        return self.out_dir / REPORT


# -- The results file ------------------------------------------------------------------
class ResultStore:
    """results.jsonl: loaded once, then appended to, one flushed line per result."""

    def __init__(
        self, path: Path, key: str, *, fresh: bool = False, retry_errors: bool = False
    ) -> None:
        self.path = path
        self.key = key
        self._lock = threading.Lock()
        if fresh and path.exists():
            path.unlink()
        self.done = self._load() if path.exists() else {}
        if retry_errors:
            self.done = {k: r for k, r in self.done.items() if r.error is None}
            self._rewrite()

    def _load(self) -> dict[str, ResultRecord]:
        lines = _complete_lines(self.path)
        done: dict[str, ResultRecord] = {}
        for number, line in enumerate(lines, 1):
            record = self._parse(line, number)
            done[record.id] = record  # a duplicate (never written by us) keeps the last
        if len(done) < len(lines):
            self._rewrite(done)
        return done

    def _parse(self, line: str, number: int) -> ResultRecord:
        where = f"{self.path}:{number}"
        try:
            record = ResultRecord.model_validate_json(line)
        except ValidationError as exc:
            raise ResultsError(
                f"{where}: not a result line ({exc.errors()[0]['msg']}); "
                "delete the line, or start over with --fresh"
            ) from None
        if record.config != self.key:
            raise ResultsError(
                f"{where}: this folder holds results of another configuration (config "
                f"{record.config}, this run is {self.key}: backend, guidelines, prompt or "
                "judge changed). Use another --out folder, or --fresh to start over."
            )
        return record

    def _rewrite(self, records: dict[str, ResultRecord] | None = None) -> None:
        records = self.done if records is None else records
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".jsonl.tmp")
        temp.write_text("".join(_line(r) for r in records.values()), encoding="utf-8")
        os.replace(temp, self.path)

    def append(self, record: ResultRecord) -> None:
        """Write one result now (thread-safe); a crash later cannot lose it."""
        with self._lock:
            if record.id in self.done:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(_line(record))
                handle.flush()
            self.done[record.id] = record


def _line(record: ResultRecord) -> str:
    return record.model_dump_json() + "\n"


def _complete_lines(path: Path) -> list[str]:
    """Lines of a results file; a half-written last line (hard kill) is cut off."""
    if not path.is_file():
        raise ResultsError(f"{path}: not a regular file; use another --out folder")
    raw = path.read_bytes()
    end = raw.rfind(b"\n") + 1
    if end < len(raw):
        with path.open("r+b") as handle:
            handle.truncate(end)
    try:
        text = raw[:end].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ResultsError(
            f"{path}: not UTF-8 (byte {exc.start}); delete the file or use --fresh"
        ) from None
    # "\n" only: a result's text may hold U+2028 or U+0085, which splitlines() cuts at.
    return [line for line in text.split("\n") if line.strip()]


def write_outputs(out: Path, summary: Summary, scores: Sequence[ItemScore]) -> Run:
    """scores.jsonl and summary.json; the run they make (the report is rendered from it)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / SCORES).write_text("".join(s.model_dump_json() + "\n" for s in scores), encoding="utf-8")
    (out / SUMMARY).write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return Run(out, summary, list(scores))


class CachedEmbedder:
    """Wraps an embedder: vectors are kept in SQLite, keyed by model, kind and text.

    Reference replies never change and offline drafts rarely do, so a second run (the B of
    an A/B, a rerun into a new folder) embeds almost nothing. So do the messages: their
    query vectors (`query_vectors`, which the runner prefetches for the assistant) are the
    same bytes the model gives, stored as they came. A single `embed_query` passes through.
    """

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner = inner
        self.id = inner.id
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            # Readers never wait for a writer, and a commit does not wait for the disk:
            # forked evaluation workers write their vectors at the same time.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, value BLOB)")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock, closing(sqlite3.connect(self.path, timeout=30)) as db:
            # A cache: a power cut may lose the last vectors written, never the file (WAL).
            db.execute("PRAGMA synchronous=NORMAL")
            with db:
                yield db

    def embed_query(self, text: str) -> Vector:
        return self.inner.embed_query(text)

    def embed_documents(self, texts: list[str]) -> Vector:
        return self._cached(texts, "", self.inner.embed_documents)

    def query_vectors(self, texts: list[str]) -> Vector:
        """Row i is exactly the inner model's `embed_query(texts[i])` (batched if it can)."""
        return self._cached(texts, "query\0", lambda missing: query_vectors(self.inner, missing))

    def _cached(self, texts: list[str], kind: str, embed: Callable[[list[str]], Any]) -> Vector:
        keys = [hashlib.sha256(f"{self.id}\0{kind}{t}".encode()).hexdigest() for t in texts]
        found = self._lookup(keys)
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if missing:
            fresh = np.asarray(embed(list(missing.values())), np.float32)
            found.update(zip(missing, fresh, strict=True))
            with self._connect() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(k, found[k].tobytes()) for k in missing],
                )
        return np.vstack([found[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)

    def _lookup(self, keys: list[str]) -> dict[str, Vector]:
        found: dict[str, Vector] = {}
        with self._connect() as db:
            for start in range(0, len(keys), LOOKUP_BATCH):
                part = keys[start : start + LOOKUP_BATCH]
                marks = ",".join("?" * len(part))
                rows = db.execute(f"SELECT key, value FROM vectors WHERE key IN ({marks})", part)
                found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows.fetchall())
        return found


def with_cache(embedder: Embedder, cache_dir: Path) -> Embedder:
    """`embedder` with an on-disk vector cache in `cache_dir` (itself if that fails)."""
    try:
        return CachedEmbedder(embedder, cache_dir / "eval-embeddings.sqlite3")
    except (OSError, sqlite3.Error):  # a read-only disk must not stop an evaluation
        return embedder


# -- What a summary says about the run ------------------------------------------------
def run_counts(
    items: Sequence[EvalItem], todo: Sequence[EvalItem], records: Sequence[ResultRecord]
) -> dict[str, int]:
    """Items selected, results available, new and cached ones, errors, missing ones."""
    return {
        "items": len(items),
        "results": len(records),
        "new": len(todo),
        "cached": len(items) - len(todo),
        "missing": len(items) - len(records),
        "errors": sum(1 for r in records if r.error is not None),
        "judge_errors": sum(1 for r in records if r.judge_error is not None),
    }


def run_cost(records: Sequence[ResultRecord]) -> dict[str, float]:
    """What the drafts (every variant) and the judge cost, from their recorded usage."""
    drafts = [d.usage for r in records if r.suggestion for d in r.suggestion.drafts if d.usage]
    judged = [r.judge.get("usage") or {} for r in records if r.judge]
    return {
        "drafts_usd": round(sum(u.cost_usd for u in drafts), 6),
        "judge_usd": round(sum(float(u.get("cost_usd", 0.0)) for u in judged), 6),
        "draft_tokens": sum(u.prompt_tokens + u.completion_tokens for u in drafts),
    }


def run_info(
    config: RunConfig,
    dataset: object,
    split: str,
    languages: Iterable[str] | None,
    limit: int | None,
    seed: int,
) -> dict[str, Any]:
    """The `config` block of summary.json: the configuration plus the dataset selection."""
    is_path = dataset is None or isinstance(dataset, str | Path)
    source = str(dataset or DEFAULT_DATASET) if is_path else "(items)"
    return {
        **config.model_dump(),
        "key": config.key,
        "dataset": source,
        "split": split,
        "languages": sorted(languages) if languages is not None else None,
        "limit": limit,
        "seed": seed,
    }
