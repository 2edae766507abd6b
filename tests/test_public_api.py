"""The public API is explicit and pinned: removing a name is a breaking change."""

from __future__ import annotations

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
    lines = [line.split("#")[0].rstrip() for line in block.group(1).splitlines()]
    exec("\n".join(lines), namespace)  # the README example is real code
    suggestion = namespace["suggestion"]
    draft = suggestion.drafts[0]  # type: ignore[attr-defined]
    assert (draft.language, draft.citations) == ("hy", ["order-status"])
