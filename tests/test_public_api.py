"""The public API is explicit and pinned: removing a name is a breaking change."""

from __future__ import annotations

import ast
import contextlib
import importlib
import json
import re
from pathlib import Path

import assistant

EXPECTED = {
    "Analysis",
    "Assistant",
    "AssistantError",
    "BackendError",
    "ConfigError",
    "Detection",
    "Draft",
    "DraftRequest",
    "Drafter",
    "Finding",
    "FunctionDrafter",
    "GuidelinesError",
    "Hit",
    "InputError",
    "KnowledgeBase",
    "Message",
    "PromptError",
    "Suggestion",
    "TranslationUnavailable",
    "UserError",
    "analyze",
    "detect_language",
    "get_drafter",
    "load_knowledge_base",
}


def test_exported_members_are_pinned() -> None:
    assert set(assistant.__all__) == EXPECTED


def test_every_exported_name_resolves() -> None:
    for name in assistant.__all__:
        assert getattr(assistant, name) is not None


def test_readme_python_example_runs() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block is not None
    namespace: dict[str, object] = {}
    for line in block.group(1).splitlines():
        code, _, comment = line.partition("#")
        expected = _literal(comment.strip())
        if expected is None:
            exec(code, namespace)  # the README example is real code
        else:  # `expression  # value`: what the README promises is what it gives
            assert eval(code.strip(), namespace) == expected, line


def _literal(comment: str) -> object:
    """The value a README comment promises (`'hi' (script 'Latn')` -> 'hi'), or None."""
    for candidate in (comment, comment.split(" (")[0]):
        with contextlib.suppress(ValueError, SyntaxError):
            return ast.literal_eval(candidate)
    return None


#: What notebooks may import from: the package and the facades of its stages.
PUBLIC_MODULES = {
    "assistant", "assistant.evaluation", "assistant.review", "assistant.knowledge",
    "assistant.language", "assistant.settings", "assistant.translation",
}  # fmt: skip


def test_notebooks_import_only_the_public_api() -> None:
    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    found: dict[str, set[str]] = {}
    for path in notebooks.glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
        imports = re.findall(r"from (assistant[\w.]*) import (\([^)]*\)|[^\n]*)", source)
        for module, names in imports:
            assert module in PUBLIC_MODULES, f"{path.name} imports {module}"
            for name in re.findall(r"\w+", names):
                found.setdefault(module, set()).add(name)
    for module, names in found.items():
        exported = set(getattr(importlib.import_module(module), "__all__", ()))
        assert names <= exported, (module, names - exported)
