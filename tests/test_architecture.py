"""The package tree stays a one-way flow: no import cycles, deferred imports included."""

from __future__ import annotations

import ast
from pathlib import Path

import assistant

PACKAGE = Path(assistant.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST, package: str, modules: set[str]) -> set[str]:
    """Every `assistant.*` module imported anywhere, except under `if TYPE_CHECKING:`.

    `from package import submodule` depends on the submodule, not on the package's
    `__init__` (which is already running or done when a submodule imports a sibling).
    """
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if _is_type_checking_block(node):
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("assistant"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module if node.level == 0 else _resolve(package, node)
            if base.startswith("assistant"):
                subs = {f"{base}.{a.name}" for a in node.names} & modules
                found |= subs if len(subs) == len(node.names) else {base, *subs}
        stack.extend(ast.iter_child_nodes(node))
    return found


def _resolve(package: str, node: ast.ImportFrom) -> str:
    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*parts, node.module or ""])


def import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imports(tree, package, set(modules))
        graph[name] = {m for m in imported if m in modules and m != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_planted_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]


def test_the_graph_sees_deferred_imports(tmp_path: Path) -> None:
    tree = ast.parse("def f():\n    from assistant.review import store\n")
    assert _imports(tree, "assistant.x", {"assistant.review.store"}) == {"assistant.review.store"}


def test_the_top_level_holds_only_core_modules() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top <= {
        "__init__", "__main__", "types", "errors", "settings", "resources", "text",
        "pattern_cache", "prompts", "translation", "pipeline",
    }  # fmt: skip
