"""Read YAML safely and remember where every value came from.

PyYAML's safe loader never executes tags such as `!!python/object`; it raises, and we
turn that into a located problem. We keep the node tree so a pydantic error path like
`answers.es` can be reported with the line it sits on.

Files come from people and sometimes from attackers, so reading goes through the one
bounded reader (`assistant.text.read_bounded`): only regular files (never a FIFO, a
device or a folder named `x.yaml`) of at most `MAX_BYTES`. The node tree is checked
before it is turned into data: an alias that contains itself, a value nested deeper
than `MAX_DEPTH` or aliases that expand to more than `MAX_NODES` values (a "billion
laughs" bomb) are located errors, not a hang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import FileError, Problem
from assistant.text import read_bounded

MAX_BYTES = 1 << 20  # the largest sample file is 40 KB
MAX_DEPTH = 64
MAX_NODES = 200_000

# libyaml's C loader when present (3-5x faster), same safe semantics as SafeLoader.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and the node tree that locates each value."""

    path: Path
    label: str
    data: Any
    root: yaml.Node | None
    raw: bytes = b""
    _keys: dict[int, dict[str, tuple[yaml.Node, int]]] = field(default_factory=dict, repr=False)

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        """Line (1-based) of the key at `loc`, or of its nearest existing parent."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            found = self._child(node, part)
            if found is None:
                break
            node, line = found
        return line

    def _child(self, node: yaml.Node | None, part: str | int) -> tuple[yaml.Node, int] | None:
        """The child at `part` and the line that names it (the key's line, for mappings)."""
        if isinstance(node, yaml.MappingNode):
            # Indexed once per mapping: 10,000 unknown keys must not cost 10,000 scans.
            keys = self._keys.get(id(node))
            if keys is None:
                keys = {}
                for key, value in node.value:
                    keys.setdefault(str(key.value), (value, key.start_mark.line + 1))
                self._keys[id(node)] = keys
            return keys.get(str(part))
        in_list = isinstance(node, yaml.SequenceNode) and isinstance(part, int)
        if in_list and 0 <= int(part) < len(node.value):  # type: ignore[union-attr]
            item: yaml.Node = node.value[int(part)]  # type: ignore[union-attr]
            return item, item.start_mark.line + 1
        return None


def read_yaml(path: Path, label: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one file. Returns the document, or None and the problems that stop parsing."""
    try:
        text = read_bounded(path, limit=MAX_BYTES, what="guidelines file")
    except FileError as exc:
        return None, [Problem(label, None, "", _file_message(path, exc))]
    raw = text.encode("utf-8")
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()
        shape = _shape_problem(root, label)
        if shape is not None:
            return None, [shape]
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(label, exc, text)]
    except yaml.YAMLError as exc:
        return None, [Problem(label, None, "", f"is not valid YAML: {exc}")]
    except RecursionError:
        return None, [
            Problem(label, None, "", f"nests values too deeply; keep it under {MAX_DEPTH} levels")
        ]
    finally:
        loader.dispose()
    problems = list(_duplicate_keys(root, label))
    return YamlDocument(path, label, data, root, raw), problems


def _file_message(path: Path, exc: FileError) -> str:
    """The reader's message without its path (the problem is located already)."""
    message = str(exc)
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _shape_problem(root: yaml.Node | None, label: str) -> Problem | None:
    """A located problem if the node tree is cyclic, too deep or expands too much.

    Aliases share nodes, so the tree is a graph: its expanded size is counted once per
    node (memoised), in time linear in the file.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        line = node.start_mark.line + 1
        if key in active:
            raise _Shape(
                line,
                "contains itself through an alias (&name ... *name); write the value out instead",
            )
        if depth > MAX_DEPTH:
            raise _Shape(line, f"nests values more than {MAX_DEPTH} levels deep; flatten it")
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item, depth + 1) for item in node.value)
        active.discard(key)
        if total > MAX_NODES:
            raise _Shape(
                line,
                f"expands to more than {MAX_NODES:,} values through aliases; "
                "write the values out without aliases",
            )
        sizes[key] = total
        return total

    if root is None:
        return None
    try:
        size(root, 0)
    except _Shape as shape:
        return Problem(label, shape.line, "", shape.message)
    return None


class _Shape(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _syntax_problem(label: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    what = exc.problem or "invalid YAML"
    if "\t" in what or (line and "\t" in _line(text, line)):
        return Problem(
            label,
            line,
            "",
            "contains a tab; YAML indents with spaces only: replace the tab with spaces",
        )
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in what:
        return Problem(
            label,
            line,
            "",
            f"{what}. Tags like !!python are not allowed in "
            "guidelines; write plain text, lists and mappings only",
        )
    hint = " (check indentation, a missing ':' or an unclosed quote)"
    return Problem(label, line, "", f"YAML syntax error: {what}{hint}")


def _line(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _duplicate_keys(node: yaml.Node | None, label: str) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                problems.append(
                    Problem(
                        label,
                        key.start_mark.line + 1,
                        str(key.value),
                        "this key appears twice; keep only one",
                    )
                )
            seen.add(key.value)
            problems += _duplicate_keys(value, label)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems += _duplicate_keys(item, label)
    return problems
