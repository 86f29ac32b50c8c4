"""The accounts journey in Debian's Chromium on the deployment as a clinic runs it:
accounts mode on PostgreSQL, two instances behind Debian's nginx (tests/deploy).

The admin (made with ``soleus org create`` and ``soleus user invite --role admin``)
takes up the invitation and invites a clinician; the clinician invites two patients;
each signs in (one with a passkey in Chromium's virtual authenticator over CDP, one with
a password) and does a short session. nginx alternates every request between the
instances, and the instance that answered is in a response header: a sign-in on one
holds on the other."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.test_accounts_journey import PASSWORD, _invite, _take_up
from tests.deploy.deploy_harness import (
    UPSTREAM_HEADER,
    Deployment,
)

pytestmark = pytest.mark.browser


def base_of(deployed: Deployment) -> str:
    return deployed.url.replace("127.0.0.1", "localhost")  # public_url's host


def add_authenticator(context: Any, page: Any) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})


# In the page: a short session through the API with the page's cookie and CSRF token,
# noting which instance answered each call.
SESSION_JS = """async () => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const seen = [];
  const call = async (path, body) => {
    const r = await fetch(path, {method: "POST", body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "X-CSRF-Token": token}});
    seen.push(r.headers.get("HEADER"));
    if (!r.ok) throw new Error(path + " " + r.status + " " + await r.text());
    return r.json();
  };
  const started = await call("/api/sessions", {routine_id: "desk", start_over: true});
  for (const item of started.plan.sets.slice(0, 3)) {
    const body = {plan_index: item.index};
    if (item.target_reps !== null) body.actual_reps = item.target_reps;
    else body.actual_seconds = item.target_seconds;
    await call("/api/sessions/" + started.id + "/sets", body);
  }
  await call("/api/sessions/" + started.id + "/finish", {effort: 5, pain: 1});
  return {id: started.id, seen};
}""".replace("HEADER", UPSTREAM_HEADER)


def upstreams(page: Any, path: str, times: int) -> list[tuple[int, str]]:
    """Status and answering instance of ``times`` in-page GETs of ``path``."""
    return [
        tuple(
            page.evaluate(
                "async (p) => { const r = await fetch(p, {redirect: 'manual'});"
                f" return [r.status, r.headers.get('{UPSTREAM_HEADER}')]; }}",
                path,
            )
        )
        for _ in range(times)
    ]


def do_a_session(page: Any, base: str, deployed: Deployment) -> str:
    page.goto(base + "/screen?next=/")
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(base + "/")
    done = page.evaluate(SESSION_JS)
    both = {f"127.0.0.1:{i.port}" for i in deployed.instances}
    assert set(done["seen"]) == both
    assert all(a != b for a, b in itertools.pairwise(done["seen"]))
    page.goto(base + "/history")
    return str(done["id"])


def session_status(page: Any, sid: str) -> tuple[int, str | None]:
    return tuple(
        page.evaluate(
            "async (id) => { const r = await fetch('/api/sessions/' + id);"
            " return [r.status, r.ok ? (await r.json()).session.status : null]; }",
            sid,
        )
    )


def test_admin_clinician_two_patients_on_two_instances(
    deployed: Deployment, browser: Any, shot: Callable[[Any, str], Path]
) -> None:
    base = base_of(deployed)
    both = {f"127.0.0.1:{i.port}" for i in deployed.instances}
    deployed.cli("org", "create", "Clinic")
    first = json.loads(
        deployed.cli(
            "user", "invite", "admin@example.org", "--role", "admin", "--org", "Clinic", "--json"
        )
    )["url"]
    assert first.startswith(base + "/invite/")
    contexts: list[Any] = []
    try:
        a_ctx = browser.new_context()
        contexts.append(a_ctx)
        a = a_ctx.new_page()
        a.goto(base + "/history")
        assert a.url.startswith(base + "/signin?next=")
        _take_up(a, first)
        assert a.text_content("#signed-in-as") == "admin@example.org"
        # Signed in on one instance, the session holds on both.
        seen = upstreams(a, "/api/health", 4)
        assert {u for _, u in seen} == both
        assert [s for s, _ in upstreams(a, "/account", 4)] == [200] * 4
        doc_link = _invite(a, base, "doc@example.org", "clinician")
        shot(a, "deploy-people-admin")

        d_ctx = browser.new_context()
        contexts.append(d_ctx)
        d = d_ctx.new_page()
        _take_up(d, doc_link)
        assert d.text_content("#signed-in-as") == "doc@example.org"
        links = [_invite(d, base, f"pat{n}@example.org", "patient") for n in (1, 2)]

        # Patient 1: a passkey, then signs out and back in with it.
        p1_ctx = browser.new_context()
        contexts.append(p1_ctx)
        p1 = p1_ctx.new_page()
        add_authenticator(p1_ctx, p1)
        _take_up(p1, links[0])
        p1.goto(base + "/account")
        p1.fill("#passkey-name", "virtual authenticator")
        p1.click("#passkey-register")
        p1.wait_for_selector("text=virtual authenticator")
        p1.click("header button:has-text('Sign out')")
        p1.wait_for_url(base + "/signin")
        assert [s for s, _ in upstreams(p1, "/api/sessions/active", 2)] == [401, 401]
        p1.click("#passkey-signin")
        p1.wait_for_url(base + "/")
        assert p1.text_content("#signed-in-as") == "pat1@example.org"
        assert [s for s, _ in upstreams(p1, "/account", 4)] == [200] * 4
        first_sid = do_a_session(p1, base, deployed)
        shot(p1, "deploy-patient1-history")

        # Patient 2: signs out and back in with the password.
        p2_ctx = browser.new_context()
        contexts.append(p2_ctx)
        p2 = p2_ctx.new_page()
        _take_up(p2, links[1])
        p2.click("header button:has-text('Sign out')")
        p2.wait_for_url(base + "/signin")
        p2.fill("#email", "pat2@example.org")
        p2.fill("#password", PASSWORD)
        p2.click("button[type=submit]:has-text('Sign in')")
        p2.wait_for_url(base + "/")
        assert p2.text_content("#signed-in-as") == "pat2@example.org"
        second_sid = do_a_session(p2, base, deployed)
        shot(p2, "deploy-patient2-history")

        # Each patient sees only their own sessions; the clinician sees both patients.
        for _ in deployed.instances:
            assert session_status(p1, first_sid) == (200, "finished")
            assert session_status(p2, second_sid) == (200, "finished")
            assert session_status(p1, second_sid)[0] == 404
            assert session_status(p2, first_sid)[0] == 404
        d.goto(base + "/people")
        people = d.text_content("main")
        assert "pat1@example.org" in people and "pat2@example.org" in people
        shot(d, "deploy-people-clinician")
        a.goto(base + "/audit")
        audit = a.text_content("main")
        assert "invitation.accepted" in audit and "passkey.added" in audit
    finally:
        for context in contexts:
            context.close()
    for instance in deployed.instances:
        assert "Traceback" not in instance.log.read_text()
