"""The browser player and an unfinished session: Resume keeps the plan's numbering, and a
Start that finds one (started in another tab) offers Resume or Start over."""

from __future__ import annotations

from typing import Any

import pytest
from tests.browser.browser_helpers import App, wait_for

pytestmark = pytest.mark.browser

POST = """async ([url, body]) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const r = await fetch(url, {method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
    body: JSON.stringify(body)});
  return [r.status, await r.json()];
}"""


def open_player(page: Any, app: App, path: str) -> None:
    page.goto(app.url + path)
    if "/screen" in page.url:
        for radio in page.locator("input[type=radio][value=no]").all():
            radio.check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/player**")
    page.wait_for_function("() => window.soleusPlayer && window.soleusPlayer.ready")


def test_resume_goes_on_at_the_plans_next_set_and_start_finds_the_unfinished_one(
    app: App, browser: Any
) -> None:
    # A page of its own: the browser logs the 409 this test causes on purpose as a
    # console error, which the shared ``page`` fixture counts as a failure. Script
    # errors still fail the test.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    page = context.new_page()
    try:
        _play_it(app, page)
    finally:
        context.close()
    assert not errors, errors


def _play_it(app: App, page: Any) -> None:
    open_player(page, app, "/player?routine=quick-desk")
    assert page.locator("#p-start").is_visible()
    # Another tab starts the routine and saves 2 of its 4 sets while this page shows Start.
    status, started = page.evaluate(POST, ["/api/sessions", {"routine_id": "quick-desk"}])
    assert status == 201
    sid = started["id"]
    for i in (0, 1):
        status, _ = page.evaluate(
            POST, [f"/api/sessions/{sid}/sets", {"plan_index": i, "actual_reps": 2}]
        )
        assert status == 201

    page.locator("#p-start").click()  # the server answers 409 with the unfinished one
    page.wait_for_selector("#p-resume:not([hidden])", timeout=5000)
    assert "2 of 4 sets done" in page.locator("#p-resume-text").inner_text()
    assert page.get_by_role("button", name="Start over").is_visible()
    assert not page.locator("#p-start").is_visible()

    page.get_by_role("button", name="Resume", exact=True).click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    assert page.evaluate("() => window.soleusPlayer.sessionId") == sid
    assert page.locator("#p-position").inner_text() == "3 of 4"  # not "1 of 2"

    open_player(page, app, "/player?routine=quick-desk")
    page.get_by_role("button", name="Start over").click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    assert page.locator("#p-position").inner_text() == "1 of 4"
    new = page.evaluate("() => window.soleusPlayer.sessionId")
    assert new != sid
    assert app.get(f"/api/sessions/{sid}")["session"]["status"] == "abandoned"
    assert app.get("/api/sessions/active")["session"]["id"] == new
