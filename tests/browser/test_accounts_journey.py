"""Accounts mode in Debian's Chromium: an admin invites a clinician, the clinician
invites a patient, the patient signs in (then adds a passkey and signs in with it
through Chromium's virtual authenticator) and sees only their own Today and History."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def _take_up(page: Any, link: str) -> None:
    page.goto(link)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("button[type=submit]:has-text('Create my account')")
    base = link.split("/invite/")[0]
    page.wait_for_url(base + "/welcome")  # a newcomer's first page
    page.click("#welcome-skip")
    page.wait_for_url(base + "/")


def _invite(page: Any, base: str, email: str, role: str) -> str:
    page.goto(base + "/people")
    page.fill("#inv-email", email)
    page.select_option("#inv-role", role)
    page.click("button:has-text('Create the invitation link')")
    link = page.text_content("#invite-link")
    assert link and link.startswith(base + "/invite/")
    return str(link)


def test_admin_clinician_patient_journey(
    accounts_app: App,
    browser: Any,
    shot: Callable[[Any, str], Path],
    axe: Callable[[Any, str], None],
) -> None:
    app = accounts_app
    base = app.url.replace("127.0.0.1", "localhost")
    app.env["SOLEUS_PUBLIC_URL"] = base
    app.cli("org", "create", "Clinic")
    first = json.loads(
        app.cli(
            "user", "invite", "admin@example.org", "--role", "admin", "--org", "Clinic", "--json"
        )
    )["url"]
    contexts = []
    try:
        admin = browser.new_context()
        contexts.append(admin)
        a = admin.new_page()
        # Not signed in: every page leads to the sign-in page.
        a.goto(base + "/history")
        assert a.url.startswith(base + "/signin?next=")
        axe(a, "sign-in page")
        _take_up(a, first)
        assert a.text_content("#signed-in-as") == "admin@example.org"
        # The admin logs a pain score of their own: nobody else may see it.
        a.goto(base + "/log")
        a.fill("#pain-score", "3")
        a.click("button:has-text('Log pain')")
        doc_link = _invite(a, base, "doc@example.org", "clinician")
        shot(a, "accounts-people-admin")
        axe(a, "People page")

        doc_ctx = browser.new_context()
        contexts.append(doc_ctx)
        d = doc_ctx.new_page()
        _take_up(d, doc_link)
        assert d.text_content("#signed-in-as") == "doc@example.org"
        patient_link = _invite(d, base, "pat@example.org", "patient")
        assert d.locator("#inv-role option").all_text_contents() == ["patient"]

        patient = browser.new_context()
        contexts.append(patient)
        p = patient.new_page()
        cdp = patient.new_cdp_session(p)
        cdp.send("WebAuthn.enable")
        cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )
        _take_up(p, patient_link)
        assert p.text_content("#signed-in-as") == "pat@example.org"
        assert p.locator("a[href='/people']").count() == 0
        assert p.locator("a[href='/audit']").count() == 0
        p.goto(base + "/history")
        assert "Nothing logged yet" in p.text_content("main")  # not the admin's pain
        # A passkey, then sign out and back in with it.
        p.goto(base + "/account")
        p.fill("#passkey-name", "test authenticator")
        p.click("#passkey-register")
        p.wait_for_selector("text=test authenticator")
        shot(p, "accounts-account-page")
        axe(p, "account page")
        p.click("header button:has-text('Sign out')")
        p.wait_for_url(base + "/signin")
        p.click("#passkey-signin")
        p.wait_for_url(base + "/")
        assert p.text_content("#signed-in-as") == "pat@example.org"
        shot(p, "accounts-patient-today")
        # The clinician sees their patient on the People page; the admin sees the audit.
        d.goto(base + "/people")
        assert "pat@example.org" in d.text_content("main")
        a.goto(base + "/audit")
        audit = a.text_content("main")
        axe(a, "Audit page")
        assert "invitation.accepted" in audit and "passkey.added" in audit
    finally:
        for context in contexts:
            context.close()
