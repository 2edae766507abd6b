"""Who may decide on reviews: names and roles from a small file, not a free-text --agent.

    # roles.yaml ($ASSISTANT_ROLES; default: beside a SQLite review store)
    alice: agent
    lena: lead

What each role may do comes from brand.yaml's `approval.approvers` (role -> what it may
approve); sending over blocking findings needs `override`, which the sample brand gives
to leads only. A `ReviewStore` given `roles` refuses decisions by names not in the file
and overrides by roles without `override`. The HTTP service takes names and roles from
its API keys instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.errors import ConfigError, ReviewError

__all__ = [
    "DEFAULT_APPROVERS",
    "ROLES_ENV",
    "NotPermitted",
    "Roles",
    "default_roles_path",
    "load_roles",
]

ROLES_ENV = "ASSISTANT_ROLES"
DEFAULT_APPROVERS: dict[str, list[str]] = {
    "agent": ["faq", "public", "private"],
    "lead": ["faq", "public", "private", "escalation", "override"],
}


class NotPermitted(ReviewError):
    """The agent is not in the roles file, or their role may not do this."""


@dataclass(frozen=True)
class Roles:
    """Agent name -> role, and role -> permissions."""

    agents: Mapping[str, str]
    approvers: Mapping[str, list[str]] = field(default_factory=lambda: DEFAULT_APPROVERS)
    source: str = "the roles file"

    def role(self, agent: str) -> str:
        """The agent's role, or NotPermitted naming the file to add them to."""
        try:
            return self.agents[agent]
        except KeyError:
            known = ", ".join(sorted(self.agents)) or "nobody yet"
            raise NotPermitted(
                f"{agent!r} is not in {self.source} (listed: {known}); add a line "
                f"'{agent}: agent' there, or use your listed name"
            ) from None

    def require(self, agent: str, permission: str) -> None:
        """NotPermitted unless the agent's role has `permission`."""
        role = self.role(agent)
        if permission in self.approvers.get(role, []):
            return
        allowed = sorted(r for r, perms in self.approvers.items() if permission in perms)
        raise NotPermitted(
            f"{agent} is {role} and may not {permission}: only {' or '.join(allowed) or 'nobody'} "
            "may (brand.yaml approval.approvers); change the text, or ask a lead"
        )


def default_roles_path(store: str) -> Path:
    """`$ASSISTANT_ROLES`, else roles.yaml beside a SQLite store, else ./roles.yaml."""
    given = os.environ.get(ROLES_ENV)
    if given:
        return Path(given)
    if "://" in store:
        return Path("roles.yaml")
    return Path(store).expanduser().with_name("roles.yaml")


def load_roles(path: Path, approvers: Mapping[str, list[str]] | None = None) -> Roles:
    """Read a roles file; every role must be one brand.yaml's approvers know."""
    permissions = dict(approvers or DEFAULT_APPROVERS)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the roles file: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: write one 'name: role' line per agent")
    agents = {str(name): str(role) for name, role in data.items()}
    unknown = sorted({role for role in agents.values() if role not in permissions})
    if unknown:
        raise ConfigError(
            f"{path}: unknown role(s) {', '.join(unknown)}; use one of {', '.join(permissions)}"
        )
    return Roles(agents, permissions, str(path))
