"""Read YAML safely and remember where every value came from.

PyYAML's safe loader never executes tags such as `!!python/object`; it raises, and we
turn that into a located problem. We keep the node tree so a pydantic error path like
`answers.es` can be reported with the line it sits on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import Problem

# libyaml's C loader when present (3-5x faster), same safe semantics as SafeLoader.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and the node tree that locates each value."""

    path: Path
    label: str
    data: Any
    root: yaml.Node | None

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        """Line (1-based) of the key at `loc`, or of its nearest existing parent."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            found = _child(node, part)
            if found is None:
                break
            node, line = found
        return line


def _child(node: yaml.Node | None, part: str | int) -> tuple[yaml.Node, int] | None:
    """The child at `part` and the line that names it (the key's line, for mappings)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value, key.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item: yaml.Node = node.value[part]
        return item, item.start_mark.line + 1
    return None


def read_yaml(path: Path, label: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one file. Returns the document, or None and the problems that stop parsing."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            Problem(
                label, None, "", f"is not valid UTF-8 (byte {exc.start}); save the file as UTF-8"
            )
        ]
    except OSError as exc:
        return None, [Problem(label, None, "", f"cannot be read: {exc.strerror}")]
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(label, exc)]
    except yaml.YAMLError as exc:
        return None, [Problem(label, None, "", f"is not valid YAML: {exc}")]
    finally:
        loader.dispose()
    problems = list(_duplicate_keys(root, label))
    return YamlDocument(path, label, data, root), problems


def _syntax_problem(label: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    what = exc.problem or "invalid YAML"
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
