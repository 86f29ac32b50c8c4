"""The acting person: who makes a request or runs a command, with their memberships."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "clinician", "patient")


@dataclass(frozen=True)
class Role:
    org_id: str
    org_name: str
    role: str


@dataclass(frozen=True)
class Actor:
    """``local`` is the one person of local mode (no accounts); ``scope`` is "write"
    except for a read-only access token."""

    person_id: str
    email: str = ""
    name: str = ""  # the person's record name (what quick-log entries file under)
    roles: tuple[Role, ...] = ()
    local: bool = False
    scope: str = "write"
    operator: bool = False  # the command line on the server: administers every organisation

    def orgs_where(self, role: str) -> list[str]:
        return [r.org_id for r in self.roles if r.role == role]

    def has_role(self, role: str, org_id: str | None = None) -> bool:
        return any(r.role == role and (org_id is None or r.org_id == org_id) for r in self.roles)

    @property
    def is_admin(self) -> bool:
        return self.has_role("admin")


# The command line of the server (``soleus org`` and ``soleus user``): whoever can run
# it can read the database anyway, so it administers every organisation.
OPERATOR = Actor(person_id="", operator=True)
