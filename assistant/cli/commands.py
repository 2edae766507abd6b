"""Imports every command module so their commands register on `app`."""

from assistant.cli import detect  # noqa: F401
