"""Bad arguments give a UserError that says what to do, never a traceback or silence."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.errors import InputError


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(embeddings=False)


@pytest.mark.parametrize("tones", [["nope"], ["friendly", "nope"], "friendly", [3]])
def test_unknown_tones_are_a_clear_error(assistant: Assistant, tones: object) -> None:
    with pytest.raises(InputError, match="tone"):
        assistant.suggest("where is my order?", tones=tones)  # type: ignore[arg-type]


def test_an_unknown_tone_error_lists_the_brand_tones(assistant: Assistant) -> None:
    with pytest.raises(InputError) as error:
        assistant.suggest("where is my order?", tones=["nope"])
    assert all(tone in str(error.value) for tone in assistant.kb.tones)
