"""The fuzz driver itself: exact case budgets, and hangs caught by CPU or by waiting."""

from __future__ import annotations

import time

import pytest
from hypothesis import strategies as st

from tests.fuzz import driver
from tests.fuzz.driver import Hang, bounded, case_budget, fuzz


def test_a_case_budget_runs_exactly_that_many_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUZZ_CASES", "250")
    monkeypatch.setattr(driver, "COUNTS", {})
    seen: list[int] = []
    assert case_budget() == 250
    assert fuzz("driver: counted", st.integers(), seen.append) == 250
    assert len(seen) == 250


def test_an_explicit_count_wins_over_the_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FUZZ_CASES", raising=False)
    monkeypatch.setattr(driver, "COUNTS", {})
    assert fuzz("driver: explicit", st.text(), lambda _: None, cases=7) == 7


@pytest.mark.parametrize("value", ["0", "-3", "ten"])
def test_a_bad_case_budget_says_what_it_wants(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("FUZZ_CASES", value)
    with pytest.raises(ValueError, match="positive whole number"):
        case_budget()


def test_a_busy_loop_is_a_hang() -> None:
    with pytest.raises(Hang, match="CPU"), bounded(0.2):
        while True:
            pass


def test_waiting_without_end_is_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(driver, "WAIT_FLOOR", 0.3)
    monkeypatch.setattr(driver, "WAIT_FACTOR", 3)
    with pytest.raises(Hang, match="wall-clock"), bounded(0.1):
        time.sleep(5)


def test_a_quick_call_leaves_no_alarm_behind() -> None:
    with bounded(0.3):
        sum(range(1000))
    time.sleep(0.5)
