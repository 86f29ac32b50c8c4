"""Authorization in one place: whose records an actor may read or write.

- a person reads and writes their own records;
- a clinician reads and writes those of their patients (a patient membership whose
  clinician is them) in that organisation;
- an admin sees the organisation's people (accounts, memberships, the audit log) but not
  their health data, unless also their clinician;
- local mode (no accounts) is one person, the actor.

Nothing else decides access: routes and commands ask :func:`context_for`, which returns
a context acting on the person, or :class:`~soleus.errors.NotFound` (the same answer as
for an id that does not exist, so an id of someone else's reveals nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from soleus.errors import Forbidden, NotFound
from soleus.services.accounts.actor import Actor
from soleus.services.context import Context
from soleus.store import people
from soleus.store.accounts import audit, orgs
from soleus.store.adherence import Who

if TYPE_CHECKING:
    from soleus.store.db import Connection


def is_clinician_of(conn: Connection, actor: Actor, person_id: str) -> bool:
    clinician_orgs = set(actor.orgs_where("clinician"))
    if not clinician_orgs:
        return False
    return any(
        m.role == "patient" and m.org_id in clinician_orgs and m.clinician_id == actor.person_id
        for m in orgs.of_person(conn, person_id=person_id)
    )


def may_read(conn: Connection, actor: Actor, person_id: str) -> bool:
    """May ``actor`` read ``person_id``'s health records (sessions, pain, plans...)?"""
    return person_id == actor.person_id or is_clinician_of(conn, actor, person_id)


def may_write(conn: Connection, actor: Actor, person_id: str) -> bool:
    return actor.scope == "write" and may_read(conn, actor, person_id)


def context_for(
    ctx: Context, actor: Actor, person_id: str | None = None, *, write: bool
) -> Context:
    """The context acting on ``person_id``'s records (default: the actor's own).

    Raises NotFound when the actor may not see them, Forbidden when a read-only token
    tries to write its own.
    """
    target = person_id or actor.person_id
    if write and actor.scope != "write":
        raise Forbidden("this token may only read (its scope is read)")
    if target == actor.person_id and actor.name:  # one's own records: no query needed
        return ctx.as_person(target, actor.name)
    with ctx.store.begin() as conn:
        if not may_read(conn, actor, target):
            raise NotFound(f"no person {target!r}")
        if target != actor.person_id:  # a clinician on a patient's records: audited
            action = "records.write" if write else "records.read"
            audit.add(
                conn,
                at=ctx.now(),
                actor_id=actor.person_id,
                action=action,
                target_id=target,
                org_id=None,
                ip="",
                detail=None,
            )
        if target == ctx.person_id:  # the settings' person (local mode, or the CLI's)
            return ctx
        name = people.name_of(conn, person_id=target)
    if name is None:
        raise NotFound(f"no person {target!r}")
    return ctx.as_person(target, name)


def require_admin(actor: Actor, org_id: str | None = None) -> list[str]:
    """The organisations the actor administers (``org_id`` only, if given), or Forbidden."""
    if actor.local:
        raise Forbidden("accounts are administered in accounts mode only")
    if actor.operator:
        return [org_id] if org_id is not None else []
    admin_of = actor.orgs_where("admin")
    if org_id is not None:
        admin_of = [o for o in admin_of if o == org_id]
    if not admin_of:
        raise Forbidden("only an admin of the organisation may do this")
    return admin_of


def may_invite(actor: Actor, *, role: str, org_id: str) -> bool:
    """An admin invites admins and clinicians (and patients); a clinician patients."""
    if actor.operator or actor.has_role("admin", org_id):
        return True
    return role == "patient" and actor.has_role("clinician", org_id)


def check_invite(actor: Actor, *, role: str, org_id: str, org_name: str) -> None:
    """NotFound for an organisation the actor is not in (its name is not confirmed),
    Forbidden for a role they may not invite."""
    if not actor.operator and all(r.org_id != org_id for r in actor.roles):
        raise NotFound(f"no organisation {org_name!r}")
    if not may_invite(actor, role=role, org_id=org_id):
        raise Forbidden(f"you may not invite a {role} to {org_name}")


def may_change_install(actor: Actor) -> bool:
    """May the actor change what every person of this install shares (the routine and
    exercise files, the reminder settings in config.toml)? Local mode: yes; accounts
    mode: admins only."""
    return actor.local or actor.operator or actor.is_admin


def patient_context(ctx: Context, actor: Actor, person_id: str, *, write: bool = True) -> Context:
    """The context acting on ``person_id`` as their clinician (prescribing, adherence):
    only a clinician of that patient; anyone else, or no such person, is NotFound (and a
    read-only token writing is Forbidden). Audited as a read or write of their records."""
    if write and actor.scope != "write":
        raise Forbidden("this token may only read (its scope is read)")
    with ctx.store.begin() as conn:
        mine = is_clinician_of(conn, actor, person_id)
    if not mine:
        raise NotFound(f"patient: {person_id!r} is not one of your patients")
    return context_for(ctx, actor, person_id, write=write)


def require_patient(ctx: Context, actor: Actor, person_id: str) -> None:
    """NotFound unless ``person_id`` is one of the actor's patients: for a check that
    reads none of their records (a draft plan checked as it is typed), so not audited."""
    with ctx.store.begin() as conn:
        mine = is_clinician_of(conn, actor, person_id)
    if not mine:
        raise NotFound(f"patient: {person_id!r} is not one of your patients")


def own_patients(ctx: Context, actor: Actor) -> tuple[list[tuple[str, str]], Who]:
    """(person id, name) of the actor's own patients, in the organisations where they are
    a clinician (the caseload), and the same as a query for the store to read their
    records by; nobody's for anyone else."""
    from soleus.store import adherence

    orgs_ = actor.orgs_where("clinician")
    with ctx.store.begin() as conn:
        listed = adherence.patients_of(conn, clinician_id=actor.person_id, org_ids=orgs_)
    return listed, adherence.patients_query(clinician_id=actor.person_id, org_ids=orgs_)


def reader_context(ctx: Context, *, reader: str, person: str) -> Context:
    """The command line's way to another person's records (``soleus export --person``):
    the context on the records of the account ``person`` as read by the account
    ``reader`` (an email each), audited like any clinician's read. One line for an
    unknown email, a disabled reader, or a reader who may not read them ("not your
    patient": exit 2, not a safety refusal)."""
    from soleus.services.accounts import identity
    from soleus.store.accounts import accounts

    reader_email = identity.normalise_email(reader)
    person_email = identity.normalise_email(person)
    with ctx.store.begin() as conn:
        by = accounts.by_email(conn, email=reader_email)
        if by is None:
            raise NotFound(f"--as: no account {reader_email!r}")
        actor = identity.load(conn, person_id=by.person_id, scope="read")
        target = accounts.by_email(conn, email=person_email)
        if target is None:
            raise NotFound(f"--person: no account {person_email!r}")
        if not may_read(conn, actor, target.person_id):
            raise Forbidden(
                f"--person {person_email}: not your patient ({reader_email} may not read"
                " their records)"
            )
    return context_for(ctx, actor, target.person_id, write=False)
