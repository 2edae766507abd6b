"""The product's word files (injection markers, private-data cues) are checked line by
line when read, and a brand language with no line in them is a visible warning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.errors import FileError
from assistant.knowledge import load_knowledge_base
from assistant.knowledge.word_files import (
    CueLine,
    MarkerLine,
    injection_markers,
    private_data_cues,
    read_lines,
    screening_gaps,
)

ITALIAN = Path(__file__).parent / "fixtures" / "italian"


def test_the_shipped_word_files_read_clean() -> None:
    assert "you are now (?:a|an|in|my) " in injection_markers()["en"]  # spaces are kept
    assert "codice fiscale" in private_data_cues()["id"]
    assert screening_gaps("it") == [] and screening_gaps("hi-Latn") == []


@pytest.mark.parametrize(
    ("model", "text", "message"),
    [
        (MarkerLine, "# comment\n\nen ignore (?:all \n", "3: pattern: not a regular expression"),
        (MarkerLine, "English ignore previous\n", "1: language: String should match"),
        (CueLine, "en address address\nen adress my address\n", "2: kind: Input should be"),
        (CueLine, "en passport   # no phrase\n", "1: phrase: Field required"),
    ],
)
def test_a_bad_line_is_a_located_error(
    tmp_path: Path, model: type[MarkerLine] | type[CueLine], text: str, message: str
) -> None:
    path = tmp_path / "words.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileError) as raised:
        read_lines(path, model)
    assert str(raised.value).startswith(f"{path}:{message}")
    assert "a line" in str(raised.value)  # says what a line looks like


def test_a_language_with_no_line_is_a_warning_of_guidelines_check(tmp_path: Path) -> None:
    assert screening_gaps("sw") == ["injection/markers.txt", "private_data/cues.txt"]
    brand = tmp_path / "brand"
    for item in sorted(ITALIAN.rglob("*")):  # the Italian brand, relabelled Swahili
        target = brand / str(item.relative_to(ITALIAN)).replace("it.yaml", "sw.yaml")
        if item.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        text = re.sub(r"(?m)^(\s+)it:", r"\1sw:", item.read_text(encoding="utf-8"))
        text = re.sub(r"(?<=[\[ ])it(?=[\],])|(?<=language: )it$", "sw", text, flags=re.M)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    kb = load_knowledge_base(brand)
    warned = [str(p) for p in kb.warnings if "screened only" in p.message]
    assert len(warned) == 2 and all("'sw'" in w for w in warned), kb.warnings
