"""From a person id to an :class:`Actor` (their account and memberships)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from soleus.errors import NotSignedIn
from soleus.services.accounts.actor import Actor, Role
from soleus.store.accounts import accounts, orgs

if TYPE_CHECKING:
    from soleus.store.accounts.credentials import Credential
    from soleus.store.db import Connection


def load(conn: Connection, *, person_id: str, scope: str = "write") -> Actor:
    account = accounts.by_person(conn, person_id=person_id)
    if account is None or account.disabled:
        raise NotSignedIn("this account is disabled; ask your organisation's admin")
    roles = tuple(
        Role(m.org_id, m.org_name, m.role) for m in orgs.of_person(conn, person_id=person_id)
    )
    return Actor(
        person_id=person_id, email=account.email, name=account.name, roles=roles, scope=scope
    )


def of_credential(found: Credential) -> Actor:
    """The actor behind a token or session read with its account and memberships."""
    if found.disabled:
        raise NotSignedIn("this account is disabled; ask your organisation's admin")
    roles = tuple(Role(org_id, org_name, role) for org_id, org_name, role in found.roles)
    return Actor(
        person_id=found.person_id,
        email=found.email,
        name=found.name,
        roles=roles,
        scope=found.scope,
    )


def normalise_email(email: str) -> str:
    """Lower case without surrounding blanks; one clear line when it is no address."""
    from soleus.errors import SoleusError

    text = email.strip().lower()
    local, _, domain = text.partition("@")
    if not local or "." not in domain or len(text) > 254 or any(c.isspace() for c in text):
        raise SoleusError(f"{email.strip()[:80]!r} is not an email address")
    return text
