"""Imports every command module so their commands register on `app`."""

from assistant.cli import detect, draft, guidelines  # noqa: F401
from assistant.cli import review  # noqa: F401
