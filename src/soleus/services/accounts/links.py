"""One-time links: invitations (to an organisation, with a role) and password resets.

The link carries a random token; the database keeps its SHA-256, when it expires
(invitations: 7 days) and when it was used. A forged link is 404, a used or expired
one 410, and trying links is rate limited per address.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from soleus.errors import Gone, NotFound, SoleusError
from soleus.services.accounts import access, audit, identity, limits, mail, passwords, signin
from soleus.services.accounts.actor import ROLES, Actor
from soleus.services.context import Context
from soleus.store import people
from soleus.store.accounts import accounts, links, orgs, websessions

if TYPE_CHECKING:
    from soleus.store.db import Connection

INVITE_DAYS = 7
RESET_HOURS = 24
Link = links.Link


@dataclass(frozen=True)
class Issued:
    url: str
    email: str
    expires_at: str
    mailed: bool
    mail_error: str = ""  # the link is issued and works; only the mail did not go out


def _mail(ctx: Context, url: str, email: str, expires: str, subject: str, body: str) -> Issued:
    try:
        mailed = mail.send(ctx.settings, to=email, subject=subject, body=body)
    except SoleusError as error:
        return Issued(url, email, expires, False, str(error))
    return Issued(url, email, expires, mailed)


def _issue(
    ctx: Context,
    conn: Connection,
    *,
    kind: str,
    email: str,
    role: str | None,
    org_id: str | None,
    inviter_id: str | None,
    person_id: str | None,
    valid: timedelta,
) -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    now = ctx.now()
    links.create(
        conn,
        token_hash=signin.digest(token),
        kind=kind,
        email=email,
        role=role,
        org_id=org_id,
        inviter_id=inviter_id,
        person_id=person_id,
        now=now,
        expires_at=now + valid,
    )
    base = ctx.settings.public_url.rstrip("/")
    path = "invite" if kind == "invite" else "reset"
    return f"{base}/{path}/{token}", (now + valid).astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def invite(ctx: Context, actor: Actor, *, email: str, role: str, org: str, ip: str = "") -> Issued:
    """Invite ``email`` to the organisation named (or with the id) ``org`` as ``role``."""
    email = identity.normalise_email(email)
    if role not in ROLES:
        raise SoleusError(f"role must be admin, clinician or patient, not {role!r}")
    with ctx.store.begin() as conn:
        org_id = orgs.id_of(conn, name=org) or (org if orgs.name_of(conn, org_id=org) else None)
        if org_id is None:
            raise NotFound(f"no organisation {org!r}")
        access.check_invite(actor, role=role, org_id=org_id, org_name=org)
        url, expires = _issue(
            ctx,
            conn,
            kind="invite",
            email=email,
            role=role,
            org_id=org_id,
            inviter_id=actor.person_id or None,
            person_id=None,
            valid=timedelta(days=INVITE_DAYS),
        )
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id or None,
            action="invited",
            org_id=org_id,
            ip=ip,
            detail={"email": email, "role": role},
        )
    return _mail(
        ctx,
        url,
        email,
        expires,
        f"You are invited to soleus ({org})",
        f"You are invited to {org} as {role}. Open this link to set your password "
        f"(it works once, until {expires} UTC):\n\n{url}\n",
    )


def open_link(ctx: Context, token: str, *, kind: str, ip: str) -> Link:
    """The live link of this token, or 404 (forged) / 410 (used or expired)."""
    limits.take(ctx, limits.address_limit(ctx, "link", ip), what="too many links tried")
    found = None
    if 20 <= len(token) <= 100:
        with ctx.store.begin() as conn:
            found = links.by_hash(conn, token_hash=signin.digest(token))
    what = "invitation" if kind == "invite" else "password reset link"
    if found is None or found.kind != kind:
        raise NotFound(f"this {what} is not valid; ask for a new one")
    if found.used_at is not None:
        raise Gone(f"this {what} was used already; sign in, or ask for a new one")
    if found.expires_at <= ctx.now():
        raise Gone(
            f"this {what} expired on {found.expires_at:%Y-%m-%d %H:%M} UTC; ask for a new one"
        )
    return found


def org_name(ctx: Context, link: Link) -> str:
    with ctx.store.begin() as conn:
        return (orgs.name_of(conn, org_id=link.org_id) if link.org_id else None) or ""


def accept(ctx: Context, token: str, *, password: str, ip: str = "") -> str:
    """Take up an invitation: a new account with this password (or, for an existing
    account, its password confirms it is theirs) and the role. The person's id."""
    link = open_link(ctx, token, kind="invite", ip=ip)
    assert link.org_id is not None and link.role is not None
    now = ctx.now()
    with ctx.store.begin() as conn:
        account = accounts.by_email(conn, email=link.email)
    if account is None:
        new_hash = passwords.hash_new(password)
    elif not passwords.verify(account.password_hash, password):
        from soleus.errors import NotSignedIn

        raise NotSignedIn(f"{link.email} has an account: give its password to join")
    with ctx.store.begin() as conn:
        if not links.use(conn, link_id=link.id, now=now):
            raise Gone("this invitation was used already; sign in, or ask for a new one")
        if account is None:
            person_id = people.create(conn, name="", now=now)
            accounts.create(
                conn, person_id=person_id, email=link.email, password_hash=new_hash, now=now
            )
        else:
            person_id = account.person_id
        clinician = _clinician_for(conn, link)
        orgs.add_member(
            conn,
            person_id=person_id,
            org_id=link.org_id,
            role=link.role,
            clinician_id=clinician,
            now=now,
        )
        audit.record(
            conn,
            ctx,
            actor_id=person_id,
            action="invitation.accepted",
            target_id=person_id,
            org_id=link.org_id,
            ip=ip,
            detail={"role": link.role, "inviter": link.inviter_id},
        )
    return person_id


def _clinician_for(conn: Connection, link: Link) -> str | None:
    """A patient invited by a clinician of the organisation becomes their patient."""
    if link.role != "patient" or link.inviter_id is None or link.org_id is None:
        return None
    inviter_roles = orgs.of_person(conn, person_id=link.inviter_id)
    ok = any(m.org_id == link.org_id and m.role == "clinician" for m in inviter_roles)
    return link.inviter_id if ok else None


def reset_link(ctx: Context, actor: Actor, *, email: str, ip: str = "") -> Issued:
    """An admin's one-time link for a person of their organisation to set a new password."""
    email = identity.normalise_email(email)
    with ctx.store.begin() as conn:
        account = accounts.by_email(conn, email=email)
        if account is None:
            raise NotFound(f"no account {email!r}")
        theirs = {m.org_id for m in orgs.of_person(conn, person_id=account.person_id)}
        if not actor.operator and not theirs & set(access.require_admin(actor)):
            raise NotFound(f"no account {email!r}")
        url, expires = _issue(
            ctx,
            conn,
            kind="reset",
            email=email,
            role=None,
            org_id=None,
            inviter_id=actor.person_id or None,
            person_id=account.person_id,
            valid=timedelta(hours=RESET_HOURS),
        )
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id or None,
            action="reset.issued",
            target_id=account.person_id,
            ip=ip,
        )
    return _mail(
        ctx,
        url,
        email,
        expires,
        "Set a new soleus password",
        f"Open this link to set a new password (it works once, until {expires} UTC):\n\n{url}\n",
    )


def reset(ctx: Context, token: str, *, password: str, ip: str = "") -> str:
    """Set the new password of a reset link; every session of the person ends."""
    link = open_link(ctx, token, kind="reset", ip=ip)
    assert link.person_id is not None
    new_hash = passwords.hash_new(password)
    now = ctx.now()
    with ctx.store.begin() as conn:
        if not links.use(conn, link_id=link.id, now=now):
            raise Gone("this password reset link was used already; ask for a new one")
        accounts.set_password(conn, person_id=link.person_id, password_hash=new_hash)
        websessions.revoke(conn, person_id=link.person_id, id_hash=None, now=now)
        audit.record(
            conn,
            ctx,
            actor_id=link.person_id,
            action="password.reset",
            target_id=link.person_id,
            ip=ip,
        )
    limits.clear(ctx, limits.account_limit(ctx, link.email))
    return link.person_id
