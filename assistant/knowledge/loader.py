"""Load a guidelines folder into a `KnowledgeBase`: brand, channels, tones, locales, FAQ.

`load_knowledge_base(path)` reads `guidelines/`, validates every file, and raises one
`GuidelinesError` that lists every error as `file:line: field.path: message`.
Warnings (missing translations, stale reviews, FAQ drafts skipped, word lists that fall
back to English) are kept on `KnowledgeBase.warnings`. `inspect_guidelines(path)` gives
the knowledge base built so far and every problem, for tools that show a brand with
errors (coverage shows the missing answers a content lead is writing).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from assistant.errors import GuidelinesError, Problem
from assistant.knowledge.base import KnowledgeBase
from assistant.knowledge.models import (
    Brand,
    ChannelsFile,
    FaqEntry,
    LocalePack,
    TonesFile,
)
from assistant.knowledge.rules import cross_check
from assistant.knowledge.yaml_source import YamlDocument, read_yaml
from assistant.resources import sample_guidelines

M = TypeVar("M", bound=BaseModel)
#: Problems listed per file at most; the rest are counted (10,000 typos are one mistake).
MAX_PROBLEMS_PER_FILE = 50
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def load_knowledge_base(path: str | Path | None = None) -> KnowledgeBase:
    """Load and validate a guidelines folder (default: the bundled sample brand)."""
    kb, problems = inspect_guidelines(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors or kb is None:
        raise GuidelinesError(errors)
    kb.warnings = [p for p in problems if p.severity == "warning"]
    return kb


def inspect_guidelines(
    path: str | Path | None = None,
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """The knowledge base as far as it can be built (None without a valid brand, channels
    and tones file) and every problem found, errors and warnings."""
    root = Path(path) if path is not None else sample_guidelines()
    if not root.is_dir():
        message = "is not a folder; pass the path of a guidelines folder (it holds brand.yaml)"
        return None, [Problem(printable(root), None, "", message)]
    loader = _Loader(root)
    kb = loader.load()
    if kb is not None:
        kb.warnings = [p for p in loader.problems if p.severity == "warning"]
    return kb, loader.problems


def printable(path: Path | str) -> str:
    """A path as text that can always be printed (undecodable bytes of a name shown as �)."""
    return os.fsencode(path).decode("utf-8", "replace")


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.raw: dict[str, bytes] = {}

    def load(self) -> KnowledgeBase | None:
        brand = self._model(self.root / "brand.yaml", Brand)
        channels = self._model(self.root / "channels.yaml", ChannelsFile)
        tones = self._model(self.root / "tones.yaml", TonesFile)
        locales = self._locales()
        faq = self._faq()
        if brand is None or channels is None or tones is None:
            return None
        kb = KnowledgeBase(
            self.root,
            brand[0],
            channels[0].channels,
            tones[0].tones,
            {k: v[0] for k, v in locales.items()},
            {k: v[0] for k, v in faq.items()},
            fingerprint=self._fingerprint(),
        )
        self.problems += cross_check(kb, brand[1], channels[1], locales, faq)
        return kb

    def _fingerprint(self) -> str:
        """Hash of every file read (the bytes already read: nothing is opened twice)."""
        digest = hashlib.sha256()
        for label in sorted(self.raw):
            digest.update(label.encode())
            digest.update(self.raw[label])
        return digest.hexdigest()[:16]

    def _label(self, path: Path) -> str:
        shown = (
            path.relative_to(self.root.parent) if path.is_relative_to(self.root.parent) else path
        )
        return printable(shown)

    def _model(self, path: Path, model: type[M]) -> tuple[M, YamlDocument] | None:
        label = self._label(path)
        if not path.exists() and not path.is_symlink():
            self.problems.append(_missing_file(path, label))
            return None
        doc, problems = read_yaml(path, label)
        self.problems += problems
        if doc is None:
            return None
        self.raw[label] = doc.raw
        if not isinstance(doc.data, dict):
            self.problems.append(
                Problem(
                    label,
                    1,
                    "",
                    "must be a mapping of fields (`name: value` lines), not a list or plain text",
                )
            )
            return None
        if model is FaqEntry and doc.data.get("draft") is True:
            self.problems.append(
                Problem(
                    label,
                    doc.line_of(("draft",)),
                    "draft",
                    "is a draft (draft: true): skipped, customers get no answer from it; "
                    "remove `draft: true` when it is ready",
                    "warning",
                )
            )
            return None
        try:
            return model.model_validate(doc.data), doc
        except ValidationError as exc:
            errors = exc.errors()
            shown = [_located(doc, model, e) for e in errors[:MAX_PROBLEMS_PER_FILE]]
            self.problems += _capped(label, shown, len(errors))
            return None

    def _files(self, folder: str) -> list[Path]:
        """The `.yaml` files of a folder; `.yml` files and odd names are reported."""
        directory = self.root / folder
        if not directory.is_dir():
            return []
        paths = sorted(directory.iterdir())
        for path in paths:
            if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml":
                self.problems.append(
                    Problem(
                        self._label(path),
                        None,
                        "",
                        f"is not read: only .yaml files are; rename it to {path.stem}.yaml",
                    )
                )
            elif path.suffix == ".yaml" and printable(path.name) != path.name:
                self.problems.append(
                    Problem(
                        self._label(path),
                        None,
                        "",
                        "has a file name that is not valid UTF-8; rename it (e.g. to its id)",
                    )
                )
        return [p for p in paths if p.suffix == ".yaml" and printable(p.name) == p.name]

    def _locales(self) -> dict[str, tuple[LocalePack, YamlDocument]]:
        found: dict[str, tuple[LocalePack, YamlDocument]] = {}
        for path in self._files("locales"):
            loaded = self._model(path, LocalePack)
            if loaded is None:
                continue
            if loaded[0].language != path.stem:
                self.problems.append(
                    Problem(
                        loaded[1].label,
                        loaded[1].line_of(("language",)),
                        "language",
                        f"is {loaded[0].language!r} but the "
                        f"file is named {path.name}; make them match",
                    )
                )
            found[path.stem] = loaded
        return found

    def _faq(self) -> dict[str, tuple[FaqEntry, YamlDocument]]:
        found: dict[str, tuple[FaqEntry, YamlDocument]] = {}
        for path in self._files("faq"):
            loaded = self._model(path, FaqEntry)
            if loaded is None:
                continue
            entry, doc = loaded
            if entry.id in found:
                first = found[entry.id][1].label
                self.problems.append(
                    Problem(
                        doc.label,
                        doc.line_of(("id",)),
                        "id",
                        f"duplicate FAQ id {entry.id!r} (also in {first}); "
                        "give each entry its own id",
                    )
                )
                continue
            found[entry.id] = loaded
        return found


def _missing_file(path: Path, label: str) -> Problem:
    twin = path.with_suffix(".yml")
    if twin.exists():
        return Problem(
            label, None, "", f"is missing: {twin.name} is not read; rename it to {path.name}"
        )
    return Problem(
        label, None, "", "is missing; create it (see guidelines/README.md for an example)"
    )


def _capped(label: str, shown: list[Problem], total: int) -> list[Problem]:
    """The first problems of a file, and how many more there are (only those shown are
    located: 10,000 typos are one mistake, and locating each costs time)."""
    if total <= len(shown):
        return shown
    rest = total - len(shown)
    more = Problem(label, None, "", f"... and {rest} more problem(s) like these; fix those first")
    return [*shown, more]


def _located(doc: YamlDocument, model: type[BaseModel], err: Any) -> Problem:
    loc = tuple(err["loc"])
    path = ".".join(str(p) for p in loc)
    line = doc.line_of(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        return Problem(doc.label, line, path, _unknown_field(model, loc))
    if kind == "missing":
        return Problem(doc.label, line, path, "is required but missing; add it")
    got = _short(err.get("input"))
    if kind.startswith("bool_"):
        return Problem(doc.label, line, path, f"must be true or false (got {got})")
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return Problem(doc.label, line, path, _date_message(err.get("input")))
    return Problem(doc.label, line, path, f"{err['msg']} (got {got})")


def _date_message(value: Any) -> str:
    text = str(value).strip()
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if day <= 12 and month <= 12 and day != month:
            return (
                f"must be a date written year-month-day (got {text!r}, which reads as "
                f"either {year}-{month:02}-{day:02} or {year}-{day:02}-{month:02}); "
                "write it as YYYY-MM-DD"
            )
        try:
            fixed = dt.date(year, month, day).isoformat()
        except ValueError:
            fixed = ""
        if fixed:
            return f"must be a date written year-month-day: write {fixed} instead of {text!r}"
    return f"must be a date written YYYY-MM-DD, e.g. 2026-10-15 (got {_short(value)})"


def _unknown_field(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    allowed = _fields_at(model, loc[:-1])
    guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
    hint = f"; did you mean {guess[0]!r}?" if guess else f"; allowed: {', '.join(allowed)}"
    return f"unknown field{hint}"


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if (
            isinstance(current, type)
            and issubclass(current, BaseModel)
            and part in current.model_fields
        ):
            current = _inner_model(current.model_fields[str(part)].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    for arg in (*getattr(annotation, "__args__", ()), annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = getattr(arg, "__args__", ())
        for sub in inner:
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                return sub
    return annotation


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
