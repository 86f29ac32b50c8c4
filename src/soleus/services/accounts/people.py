"""Administration: organisations, the people of an organisation, disabling an account."""

from __future__ import annotations

from dataclasses import dataclass

from soleus.errors import NotFound, SoleusError
from soleus.services.accounts import access, audit, identity
from soleus.services.accounts.actor import Actor
from soleus.services.context import Context
from soleus.store.accounts import accounts, orgs, websessions


@dataclass(frozen=True)
class Person:
    person_id: str
    email: str
    disabled: bool
    roles: tuple[tuple[str, str], ...]  # (organisation name, role)
    clinician_id: str | None


def create_org(ctx: Context, actor: Actor, name: str) -> str:
    name = name.strip()
    if not name or len(name) > 120:
        raise SoleusError("an organisation needs a name of 1 to 120 characters")
    if not actor.operator:
        access.require_admin(actor)
    with ctx.store.begin() as conn:
        org_id = orgs.create(conn, name=name, now=ctx.now())
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id or None,
            action="org.created",
            org_id=org_id,
            detail={"name": name},
        )
    return org_id


def org_names(ctx: Context) -> list[str]:
    with ctx.store.begin() as conn:
        return orgs.all_names(conn)


def label(patient: Context) -> str:
    """How pages name the person ``patient`` acts on: their account's email, else their
    name (an invited person's record is named by its id, which means nothing to a
    reader; the caseload names them the same way)."""
    with patient.store.begin() as conn:
        account = accounts.by_person(conn, person_id=patient.person_id)
    return account.email if account is not None else patient.person_name


def listing(ctx: Context, actor: Actor) -> list[Person]:
    """Everyone with an account (the command line), the people of the organisations the
    actor administers, or a clinician's own patients (accounts and roles only, no
    health data)."""
    with ctx.store.begin() as conn:
        visible: set[str] | None = None
        if actor.operator:
            found = accounts.every(conn)
        elif actor.is_admin:
            admin_of = access.require_admin(actor)
            ids = sorted({m.person_id for o in admin_of for m in orgs.of_org(conn, org_id=o)})
            found = accounts.by_people(conn, person_ids=ids)
            visible = set(admin_of)
        else:  # a clinician: their own patients
            mine = set(actor.orgs_where("clinician"))
            if not mine:
                access.require_admin(actor)
            ids = sorted(
                {
                    m.person_id
                    for o in mine
                    for m in orgs.of_org(conn, org_id=o)
                    if m.role == "patient" and m.clinician_id == actor.person_id
                }
            )
            found = accounts.by_people(conn, person_ids=ids)
            visible = mine
        people = []
        for a in found:
            ms = [
                m
                for m in orgs.of_person(conn, person_id=a.person_id)
                if visible is None or m.org_id in visible
            ]
            clinician = next((m.clinician_id for m in ms if m.clinician_id), None)
            roles = tuple((m.org_name, m.role) for m in ms)
            people.append(Person(a.person_id, a.email, a.disabled, roles, clinician))
    return people


def set_disabled(
    ctx: Context, actor: Actor, email: str, *, disabled: bool = True, ip: str = ""
) -> Person:
    """Disable (or enable again) an account; a disabled person's sessions end at once."""
    email = identity.normalise_email(email)
    with ctx.store.begin() as conn:
        account = accounts.by_email(conn, email=email)
        if account is None:
            raise NotFound(f"no account {email!r}")
        theirs = {m.org_id for m in orgs.of_person(conn, person_id=account.person_id)}
        if not actor.operator and not theirs & set(access.require_admin(actor)):
            raise NotFound(f"no account {email!r}")
        if account.person_id == actor.person_id:
            raise SoleusError("you cannot disable your own account")
        accounts.set_disabled(conn, person_id=account.person_id, disabled=disabled)
        if disabled:
            websessions.revoke(conn, person_id=account.person_id, id_hash=None, now=ctx.now())
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id or None,
            action="account.disabled" if disabled else "account.enabled",
            target_id=account.person_id,
            ip=ip,
        )
    return next(p for p in listing(ctx, _as_operator()) if p.person_id == account.person_id)


def _as_operator() -> Actor:
    from soleus.services.accounts.actor import OPERATOR

    return OPERATOR
