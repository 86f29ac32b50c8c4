"""Passkeys (WebAuthn, py_webauthn): register one on the account page, sign in with it."""

from __future__ import annotations

from soleus.errors import NotFound
from soleus.services.accounts import audit
from soleus.services.accounts.actor import Actor
from soleus.services.context import Context
from soleus.store.accounts import passkeys as repo

Passkey = repo.Passkey


def of(ctx: Context, actor: Actor) -> list[Passkey]:
    with ctx.store.begin() as conn:
        return repo.of_person(conn, person_id=actor.person_id)


def remove(ctx: Context, actor: Actor, credential_id: str, *, ip: str = "") -> None:
    with ctx.store.begin() as conn:
        if not repo.remove(conn, person_id=actor.person_id, credential_id=credential_id):
            raise NotFound("no such passkey")
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id,
            action="passkey.removed",
            target_id=actor.person_id,
            ip=ip,
        )
