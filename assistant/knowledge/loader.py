"""Load a guidelines folder into a `KnowledgeBase`: brand, channels, tones, locales, FAQ.

`load_knowledge_base(path)` reads `guidelines/`, validates every file, and raises one
`GuidelinesError` that lists every error as `file:line: field.path: message`.
Warnings (missing translations, stale reviews) are kept on `KnowledgeBase.warnings`.
"""

from __future__ import annotations

import difflib
import hashlib
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


def load_knowledge_base(path: str | Path | None = None) -> KnowledgeBase:
    """Load and validate a guidelines folder (default: the bundled sample brand)."""
    root = Path(path) if path is not None else sample_guidelines()
    if not root.is_dir():
        raise GuidelinesError(
            [
                Problem(
                    str(root),
                    None,
                    "",
                    "is not a folder; pass the path of a guidelines folder (it holds brand.yaml)",
                )
            ]
        )
    loader = _Loader(root)
    kb = loader.load()
    errors = [p for p in loader.problems if p.severity == "error"]
    if errors or kb is None:
        raise GuidelinesError(errors)
    kb.warnings = [p for p in loader.problems if p.severity == "warning"]
    return kb


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

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
        digest = hashlib.sha256()
        for file in sorted(self.root.rglob("*.yaml")):
            digest.update(str(file.relative_to(self.root)).encode())
            digest.update(file.read_bytes())
        return digest.hexdigest()[:16]

    def _label(self, path: Path) -> str:
        return (
            str(path.relative_to(self.root.parent))
            if path.is_relative_to(self.root.parent)
            else str(path)
        )

    def _model(self, path: Path, model: type[M]) -> tuple[M, YamlDocument] | None:
        label = self._label(path)
        if not path.exists():
            self.problems.append(
                Problem(
                    label,
                    None,
                    "",
                    "is missing; create it (see guidelines/README.md for an example)",
                )
            )
            return None
        doc, problems = read_yaml(path, label)
        self.problems += problems
        if doc is None:
            return None
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
        try:
            return model.model_validate(doc.data), doc
        except ValidationError as exc:
            self.problems += [_located(doc, model, err) for err in exc.errors()]
            return None

    def _locales(self) -> dict[str, tuple[LocalePack, YamlDocument]]:
        found: dict[str, tuple[LocalePack, YamlDocument]] = {}
        for path in sorted((self.root / "locales").glob("*.yaml")):
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
        for path in sorted((self.root / "faq").glob("*.yaml")):
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


def _located(doc: YamlDocument, model: type[BaseModel], err: Any) -> Problem:
    loc = tuple(err["loc"])
    path = ".".join(str(p) for p in loc)
    line = doc.line_of(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        return Problem(doc.label, line, path, _unknown_field(model, loc))
    if kind == "missing":
        return Problem(doc.label, line, path, "is required but missing; add it")
    return Problem(doc.label, line, path, f"{err['msg']} (got {_short(err.get('input'))})")


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
