"""Report how many cases each fuzzed surface ran, and how long it took; a scratch folder
in memory for the files the fuzzed surfaces write."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.driver import COUNTS, SECONDS, budget, case_budget, seed_value


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not COUNTS:
        return
    cases = case_budget()
    plan = f"{cases:,} cases" if cases else f"{budget():.0f} s"
    terminalreporter.section(f"fuzz cases (seed {seed_value()}, {plan} per surface)")
    for name, count in sorted(COUNTS.items()):
        took = SECONDS.get(name, 0.0)
        terminalreporter.write_line(f"{name:30} {count:>8,} cases {took:8.1f} s")
    total = sum(COUNTS.values())
    terminalreporter.write_line(f"{'total':30} {total:>8,} cases {sum(SECONDS.values()):8.1f} s")


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A private folder on tmpfs (/dev/shm) when there is one, else `tmp_path`.

    The review store commits (and syncs) on every write: on a disk that wait was most of
    a review case's time, and the fuzzer tests what the product does with hostile input,
    not the disk. The code under test is the same wherever the folder is.
    """
    memory = Path("/dev/shm")
    if not (memory.is_dir() and memory.stat().st_mode & 0o1777 == 0o1777):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(prefix="assistant-fuzz-", dir=memory) as folder:
        yield Path(folder)
