"""The product's own word files, the same for every brand (a message in any language is
screened, whatever languages the brand answers in):

- `assistant/data/injection/markers.txt`: `<lang> <regular expression>` a line, phrases
  that try to instruct the assistant ("en ignore (?:all )?previous instructions");
- `assistant/data/private_data/cues.txt`: `<lang> <kind> <phrase>` a line, words that
  announce personal data ("en password my password");
- `assistant/data/injection/name_words.txt`: `<lang> <regular expression>` a line, words
  that make a display name read as instructions ("en ignore|disregard|prompt").

`#` starts a comment. Every line is validated when the file is first read: a bad line
is a `file:line: message` error saying what to write instead. A brand language with
no line in a file is a warning of `assistant guidelines check` (`screening_gaps`), and
its messages are screened with the other languages' lines only.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, ValidationError, field_validator

from assistant.errors import FileError
from assistant.resources import data_path
from assistant.types import Model

MARKERS = ("injection", "markers.txt")
NAME_WORDS = ("injection", "name_words.txt")
CUES = ("private_data", "cues.txt")

CueKind = Literal[
    "address", "street", "suffix", "passport", "id", "account", "birth", "password", "is",
    "order", "upi",
]  # fmt: skip
_LANGUAGE = r"^[a-z]{2,3}$"


class MarkerLine(Model):
    """One injection marker: a language and a case-insensitive regular expression."""

    language: str = Field(pattern=_LANGUAGE, description="ISO 639-1 code: en, es, hy.")
    pattern: str = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"not a regular expression ({exc})") from exc
        return pattern


class CueLine(Model):
    """One cue: a language, the kind of data it announces, and the literal phrase."""

    language: str = Field(pattern=_LANGUAGE, description="ISO 639-1 code: en, es, hy.")
    kind: CueKind
    phrase: str = Field(min_length=1)


Line = TypeVar("Line", MarkerLine, CueLine)


def read_lines(path: Path, model: type[Line]) -> list[Line]:
    """Every non-comment line of the word file at `path`, validated by `model` (its
    fields in order, the last one taking the rest of the line)."""
    names = list(model.model_fields)
    found: list[Line] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        # A marker keeps its spaces ("you are now (?:a|an) "); a cue may end in a comment.
        line = raw if model is MarkerLine else raw.split("#", 1)[0].strip()
        if not line.strip() or line.startswith("#"):
            continue
        values = line.split(" ", len(names) - 1)
        try:
            found.append(model.model_validate(dict(zip(names, values, strict=False))))
        except ValidationError as exc:
            raise FileError(f"{path}:{number}: {_message(exc, names)}") from None
    return found


def _message(exc: ValidationError, names: list[str]) -> str:
    first = exc.errors()[0]
    field = ".".join(map(str, first["loc"])) or "line"
    shape = " ".join(f"<{name}>" for name in names)
    reason = first["msg"].removeprefix("Value error, ")
    return f"{field}: {reason}; write one `{shape}` a line"


@cache
def injection_markers() -> dict[str, tuple[str, ...]]:
    """The injection marker patterns by language."""
    found: dict[str, list[str]] = {}
    for line in read_lines(data_path(*MARKERS), MarkerLine):
        found.setdefault(line.language, []).append(line.pattern)
    return {language: tuple(patterns) for language, patterns in found.items()}


@cache
def name_instruction_words() -> tuple[str, ...]:
    """Patterns of words a display name must not hold, every language together."""
    return tuple(line.pattern for line in read_lines(data_path(*NAME_WORDS), MarkerLine))


@cache
def private_data_cues() -> dict[str, tuple[str, ...]]:
    """The cue phrases by kind (address, street, suffix, passport, id, account, birth,
    password, is), every language together."""
    found: dict[str, list[str]] = {}
    for line in read_lines(data_path(*CUES), CueLine):
        found.setdefault(line.kind, []).append(line.phrase.strip())  # "id  tax id" too
    return {kind: tuple(phrases) for kind, phrases in found.items()}


@cache
def _cue_languages() -> frozenset[str]:
    return frozenset(line.language for line in read_lines(data_path(*CUES), CueLine))


def screening_gaps(language: str) -> list[str]:
    """The word files with no line for `language` (or its base language, hi for hi-Latn)."""
    base = language.split("-")[0]
    gaps = []
    if base not in injection_markers():
        gaps.append("/".join(MARKERS))
    if base not in _cue_languages():
        gaps.append("/".join(CUES))
    return gaps
