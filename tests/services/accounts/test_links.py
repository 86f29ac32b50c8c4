"""Invitations, password resets, mail and authorization, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from tests.services.accounts.acc_helpers import PASSWORD, clinic, join, token_of

from soleus.domain.clock import FakeClock
from soleus.errors import Forbidden, Gone, NotFound, NotSignedIn, SoleusError
from soleus.services.accounts import access, audit, links, people, signin
from soleus.services.accounts.actor import OPERATOR
from soleus.services.context import Context

CLIENT = signin.Client(ip="192.0.2.9")


def test_roles_and_the_clinician_patient_link(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    listed = {p.email: p for p in people.listing(db_ctx, c.admin)}
    assert sorted(listed) == [
        "a@example.org",
        "admin@example.org",
        "b@example.org",
        "doc@example.org",
    ]
    assert listed["a@example.org"].clinician_id == c.clinician.person_id
    assert listed["b@example.org"].clinician_id is None  # invited by the admin
    assert listed["doc@example.org"].roles == (("Clinic", "clinician"),)


def test_who_may_read_whose_records(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    a = c.patient_a.person_id
    assert access.context_for(db_ctx, c.patient_a, write=True).person_id == a
    assert access.context_for(db_ctx, c.clinician, a, write=True).person_id == a
    for outsider in (c.patient_b, c.admin):  # an admin sees people, not health data
        with pytest.raises(NotFound):
            access.context_for(db_ctx, outsider, a, write=False)
    with pytest.raises(NotFound):  # B is not this clinician's patient
        access.context_for(db_ctx, c.clinician, c.patient_b.person_id, write=False)
    # The clinician's look at A's records is in the audit log; A's own use is not.
    read = [e for e in audit.entries(db_ctx, OPERATOR) if e.action.startswith("records.")]
    assert [(e.action, e.actor_id, e.target_id) for e in read] == [
        ("records.write", c.clinician.person_id, a)
    ]


def test_patients_cannot_invite_and_clinicians_invite_only_patients(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    with pytest.raises(Forbidden):
        links.invite(db_ctx, c.patient_a, email="x@example.org", role="patient", org="Clinic")
    with pytest.raises(Forbidden):
        links.invite(db_ctx, c.clinician, email="x@example.org", role="admin", org="Clinic")
    with pytest.raises(NotFound, match="no organisation"):
        links.invite(db_ctx, c.admin, email="x@example.org", role="patient", org="Elsewhere")
    people.create_org(db_ctx, OPERATOR, "Other clinic")  # exists, but not theirs
    with pytest.raises(NotFound, match="no organisation"):
        links.invite(db_ctx, c.admin, email="x@example.org", role="patient", org="Other clinic")
    with pytest.raises(SoleusError, match="not an email"):
        links.invite(db_ctx, c.admin, email="not-an-address", role="patient", org="Clinic")


def test_expired_reused_and_forged_invitations(db_ctx: Context, clock: FakeClock) -> None:
    c = clinic(db_ctx)
    issued = links.invite(db_ctx, c.admin, email="new@example.org", role="patient", org="Clinic")
    with pytest.raises(NotFound, match="not valid"):
        links.accept(db_ctx, "x" * 43, password=PASSWORD)
    links.accept(db_ctx, token_of(issued.url), password=PASSWORD)
    with pytest.raises(Gone, match="used already"):
        links.accept(db_ctx, token_of(issued.url), password=PASSWORD)
    late = links.invite(db_ctx, c.admin, email="late@example.org", role="patient", org="Clinic")
    clock.advance(links.INVITE_DAYS * 86400 + 1)
    with pytest.raises(Gone, match="expired"):
        links.accept(db_ctx, token_of(late.url), password=PASSWORD)
    with pytest.raises(NotSignedIn):  # nothing was created for the late invitation
        signin.sign_in(db_ctx, "late@example.org", PASSWORD, CLIENT)


def test_a_short_password_creates_nothing_and_keeps_the_link(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    issued = links.invite(db_ctx, c.admin, email="new@example.org", role="patient", org="Clinic")
    with pytest.raises(SoleusError, match="at least 10"):
        links.accept(db_ctx, token_of(issued.url), password="short")
    links.accept(db_ctx, token_of(issued.url), password=PASSWORD)


def test_an_existing_account_joins_a_second_organisation_with_its_password(
    db_ctx: Context,
) -> None:
    c = clinic(db_ctx)
    people.create_org(db_ctx, OPERATOR, "Company")
    issued = links.invite(db_ctx, OPERATOR, email="a@example.org", role="patient", org="Company")
    with pytest.raises(NotSignedIn):
        links.accept(db_ctx, token_of(issued.url), password="someone else's")
    assert links.accept(db_ctx, token_of(issued.url), password=PASSWORD) == c.patient_a.person_id
    actor, _ = signin.actor_for_session(
        db_ctx, signin.sign_in(db_ctx, "a@example.org", PASSWORD, CLIENT)
    )
    assert sorted(r.org_name for r in actor.roles) == ["Clinic", "Company"]


def test_password_reset_by_an_admin_link(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    old_session = signin.sign_in(db_ctx, "b@example.org", PASSWORD, CLIENT)
    with pytest.raises(Forbidden):
        links.reset_link(db_ctx, c.patient_a, email="b@example.org")
    issued = links.reset_link(db_ctx, c.admin, email="b@example.org")
    links.reset(db_ctx, token_of(issued.url), password="a brand new password")
    with pytest.raises(NotSignedIn):
        signin.actor_for_session(db_ctx, old_session)
    signin.sign_in(db_ctx, "b@example.org", "a brand new password", CLIENT)
    with pytest.raises(Gone):
        links.reset(db_ctx, token_of(issued.url), password="and once more please")
    with pytest.raises(NotFound):  # an invitation token is no reset token
        other = links.invite(db_ctx, c.admin, email="z@example.org", role="patient", org="Clinic")
        links.reset(db_ctx, token_of(other.url), password="and once more please")


def test_the_audit_log_names_who_invited_whom(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    entries = audit.entries(db_ctx, c.admin)
    invited = [e.detail for e in entries if e.action == "invited"]
    assert {"email": "a@example.org", "role": "patient"} in invited
    accepted = [e for e in entries if e.action == "invitation.accepted"]
    assert any(
        e.target_id == c.patient_a.person_id
        and e.detail == {"role": "patient", "inviter": c.clinician.person_id}
        for e in accepted
    )
    with pytest.raises(Forbidden):
        audit.entries(db_ctx, c.clinician)


def test_an_email_in_other_case_is_the_same_account(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    again = join(db_ctx, c.admin, "ADMIN@EXAMPLE.ORG", "patient")
    assert again.person_id == c.admin.person_id
    assert sorted(r.role for r in again.roles) == ["admin", "patient"]


def test_a_persons_context_shares_the_loaded_catalog(db_ctx: Context) -> None:
    c = clinic(db_ctx)
    mine = access.context_for(db_ctx, c.patient_a, write=False)
    again = access.context_for(mine, c.patient_b, write=False)
    assert (mine.person_id, again.person_id) == (c.patient_a.person_id, c.patient_b.person_id)
    assert mine.catalog is db_ctx.catalog and again.routines is db_ctx.routines
    assert not mine.is_settings_person and db_ctx.is_settings_person
