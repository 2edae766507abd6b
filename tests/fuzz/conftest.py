"""Report how many cases each fuzzed surface ran."""

from __future__ import annotations

from typing import Any

from tests.fuzz.driver import COUNTS, budget, seed_value


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not COUNTS:
        return
    terminalreporter.section(f"fuzz cases (seed {seed_value()}, {budget():.0f} s per surface)")
    for name, count in sorted(COUNTS.items()):
        terminalreporter.write_line(f"{name:30} {count:>8,}")
