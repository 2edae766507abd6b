"""Imports every command module so their commands register on `app`."""

import assistant.cli.detect
import assistant.cli.draft
import assistant.cli.eval
import assistant.cli.guidelines
import assistant.cli.review  # noqa: F401
