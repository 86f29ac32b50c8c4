"""Building an organisation with an admin, a clinician and patients through the services."""

from __future__ import annotations

from dataclasses import dataclass

from soleus.services.accounts import identity, links, people
from soleus.services.accounts.actor import OPERATOR, Actor
from soleus.services.context import Context

PASSWORD = "correct horse battery"


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def join(ctx: Context, inviter: Actor, email: str, role: str, org: str = "Clinic") -> Actor:
    issued = links.invite(ctx, inviter, email=email, role=role, org=org)
    person_id = links.accept(ctx, token_of(issued.url), password=PASSWORD)
    with ctx.store.begin() as conn:
        return identity.load(conn, person_id=person_id)


@dataclass
class Clinic:
    admin: Actor
    clinician: Actor
    patient_a: Actor
    patient_b: Actor


def clinic(ctx: Context) -> Clinic:
    people.create_org(ctx, OPERATOR, "Clinic")
    admin = join(ctx, OPERATOR, "Admin@Example.org", "admin")
    clinician = join(ctx, admin, "doc@example.org", "clinician")
    a = join(ctx, clinician, "a@example.org", "patient")
    b = join(ctx, admin, "b@example.org", "patient")
    return Clinic(admin, clinician, a, b)
