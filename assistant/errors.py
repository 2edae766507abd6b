"""Every error the toolkit raises on purpose.

    AssistantError                 base: catch this to catch everything below
    ├── UserError                  the user can fix it (a file, a setting, an argument)
    │   ├── GuidelinesError        guidelines/ is invalid; lists every problem, located
    │   ├── PromptError            a prompt file is invalid or misses a variable
    │   ├── ConfigError            a setting or backend id is wrong or missing
    │   ├── InputError             a message cannot be processed (empty, binary, too long)
    │   └── FileError              a file cannot be read: missing, not a regular file,
    │                              too large, or not UTF-8
    └── RuntimeFailure             something outside the user's control failed
        ├── BackendError           the LLM backend timed out, refused or returned garbage
        ├── TranslationUnavailable translation needs a network or a key that is not there
        └── ReviewError            the review store refused a change
            ├── ReviewConflict     another agent changed the review first
            └── InvalidTransition  the review is not in a state that allows this action

Messages say what to do next. Guardrail results are not errors: they are
`Finding`s attached to drafts, because a reviewer must see them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class AssistantError(Exception):
    """Base class of every error raised on purpose by the toolkit."""


class UserError(AssistantError):
    """A mistake the user can fix: a file, a setting or an argument."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a guidelines file: `file:line: field.path: message`."""

    file: str
    line: int | None
    field: str
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class GuidelinesError(UserError):
    """The guidelines folder is invalid. `problems` lists every error found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{count} problem(s) in the guidelines:\n{lines}")


class PromptError(UserError):
    """A prompt file is malformed or a template variable is missing."""


class ConfigError(UserError):
    """A setting, backend id or option is wrong or missing."""


class InputError(UserError):
    """A customer message cannot be processed as given."""


class FileError(UserError):
    """A file cannot be read: missing, not a regular file, too large or not UTF-8."""


class RuntimeFailure(AssistantError):
    """Something outside the user's control failed."""


class BackendError(RuntimeFailure):
    """The drafting backend failed: timeout, rate limit, server error, malformed output."""


class TranslationUnavailable(RuntimeFailure):
    """Translation needs a network connection or a service that is not reachable."""


class ReviewError(RuntimeFailure):
    """The review store refused a change."""


class ReviewConflict(ReviewError):
    """Another agent acted on the same review first."""


class InvalidTransition(ReviewError):
    """The review's current status does not allow the requested action."""
