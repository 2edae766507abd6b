"""Linear time on adversarial shapes: every shape of `shapes.py` at the 20,000-character
limit in at most 100 ms of CPU per text-handling function.

`make test` times the shapes the hostile-input probe reported and a seeded sample of the
others; `make fuzz` (FUZZ_SECONDS of 120 or more) times all of them.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable

import pytest

from assistant.checks.channel import find_links
from assistant.language import detect_language
from assistant.language.noise import strip_noise
from assistant.understanding.injection import find_injection
from assistant.understanding.private_data import find_private_data
from tests.fuzz.shapes import BUDGET, LIMIT, shapes, slowest

FUNCTIONS: dict[str, Callable[[str], object]] = {
    "strip_noise": strip_noise,
    "find_private_data": find_private_data,
    "find_injection": find_injection,
    "find_links": find_links,
    "detect_language": detect_language,
}
REPORTED = [
    "repeat 'a.'", "repeat '1.'", "repeat 'a-'", "issue: 'order' + spaces + 'x'",
    "'order' + ' '*", "repeat '1 '", "repeat 'aa'", "repeat 'カカ'",
]  # fmt: skip


def _names() -> list[str]:
    every = sorted(shapes())
    if float(os.environ.get("FUZZ_SECONDS", "28")) >= 120:
        return every
    return sorted({*REPORTED, *random.Random(20261207).sample(every, 24)})


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_adversarial_shapes_take_linear_time(function: str) -> None:
    run = FUNCTIONS[function]
    run("warm up: load models and caches")
    rows = slowest(run, LIMIT, _names())
    over = [(name, round(took * 1000)) for name, took in rows if took > BUDGET]
    assert over == [], f"{function}: ms per {LIMIT:,} characters over {BUDGET * 1000:.0f} ms"
