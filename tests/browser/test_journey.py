"""A new user's first session in real Chromium: Today → the SPU page → start the short
desk routine → red-flag screen → pause and resume → a set saved → tab closed mid-set →
reopen and resume → finish with effort and pain → History and ``soleus history --json``.
Every page is screenshotted and checked with axe-core."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App, snapshot, wait_for, wait_saved

pytestmark = pytest.mark.browser


def test_first_session_as_a_new_user(
    app: App, page: Any, shot: Callable[[Any, str], Path], axe: Callable[[Any, str], None]
) -> None:
    # Today
    page.goto(app.url + "/?routine=quick-desk")
    assert page.locator("h1").first.inner_text().startswith("Today")
    shot(page, "01-today")
    axe(page, "Today")

    # Read the SPU page
    page.get_by_role("link", name="Exercises").click()
    page.get_by_role("link", name="Seated soleus pushup").first.click()
    page.wait_for_url("**/exercises/soleus-pushup")
    assert "ball of the foot" in page.content()
    shot(page, "02-exercise-spu")
    axe(page, "SPU exercise page")

    # Start the short desk routine: the red-flag screen comes first
    page.goto(app.url + "/?routine=quick-desk")
    page.get_by_role("link", name="Start", exact=True).click()
    page.wait_for_url("**/screen?**")
    shot(page, "03-screen")
    axe(page, "red-flag screen")
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/player?routine=quick-desk")
    page.wait_for_function("() => window.soleusPlayer && window.soleusPlayer.ready")
    assert page.locator("#p-start").is_visible()
    assert not page.locator("#p-stage").is_visible()
    shot(page, "04-player-setup")
    axe(page, "player setup")

    page.locator("#p-start").click()
    snap = wait_for(page, lambda s: s["phase"] == "get_ready")
    session_id = page.evaluate("() => window.soleusPlayer.sessionId")
    assert page.url.endswith(f"/player/{session_id}")
    shot(page, "05-player-get-ready")
    axe(page, "player running")

    # Pause and resume with the space bar
    page.keyboard.press("Space")
    paused = wait_for(page, lambda s: s["paused"])
    assert page.locator("#p-phase").inner_text().lower() == "paused"
    page.wait_for_timeout(800)
    still = snapshot(page)
    assert (
        still is not None
        and still["paused"]
        and still["elapsed"] == pytest.approx(paused["elapsed"])
    )
    shot(page, "06-player-paused")
    page.keyboard.press("Space")
    wait_for(page, lambda s: not s["paused"])

    # The first set (left leg) is saved the moment it completes
    wait_for(page, lambda s: s["phase"] == "work")
    shot(page, "07-player-work")
    axe(page, "player at work")
    sets = wait_saved(app, session_id, 1, timeout=20)
    assert sets[0]["plan_index"] == 0 and sets[0]["actual_reps"] == 2
    assert not sets[0]["skipped"] and sets[0]["side"] == "left"

    # Close the tab in the middle of the right leg's set
    wait_for(page, lambda s: s["phase"] == "work" and s["index"] == 1 and s["elapsed"] > 0.3)
    shot(page, "08-player-right-leg")
    context = page.context
    page.close()

    # Reopen: Resume is offered and carries on after the saved set
    page = context.new_page()
    page.goto(app.url + "/player?routine=quick-desk")
    page.wait_for_function("() => window.soleusPlayer && window.soleusPlayer.ready")
    resume = page.locator("#p-resume")
    assert resume.is_visible()
    assert "1 of 4 sets done" in resume.inner_text()
    shot(page, "09-player-resume-offer")
    axe(page, "resume offer")
    page.get_by_role("button", name="Resume").click()
    snap = wait_for(page, lambda s: s["phase"] == "get_ready")
    assert (snap["index"], snap["total"]) == (1, 3)

    # → skips the get-ready wait; the rest of the session runs by itself
    page.keyboard.press("ArrowRight")
    wait_for(page, lambda s: s["phase"] == "work" and s["index"] == 1, timeout=5)
    page.wait_for_selector("#p-finish:not([hidden])", timeout=40_000)
    assert "4 of 4 sets done" in page.locator("#p-finish-summary").inner_text()
    assert not page.locator("#p-stage").is_visible()
    shot(page, "10-player-finish")
    axe(page, "finish form")
    page.get_by_label("Effort").fill("4")
    page.get_by_label("pain now").fill("2")
    page.get_by_role("button", name="Save").click()
    advice = page.locator("#p-advice")
    advice.wait_for(state="visible")
    page.wait_for_selector("#p-after:not([hidden])")
    assert advice.inner_text().strip()
    shot(page, "11-player-advice")

    session = app.get(f"/api/sessions/{session_id}")["session"]
    assert session["status"] == "finished"
    assert (session["effort"], session["pain"]) == (4, 2)
    done = sorted((s["plan_index"], s["side"], s["actual_reps"]) for s in session["sets"])
    assert done == [(0, "left", 2), (1, "right", 2), (2, "left", 2), (3, "right", 2)]
    assert page.evaluate("() => localStorage.getItem('soleus.outbox')") == "[]"

    # History page and the CLI see the same sets
    page.get_by_role("link", name="See your history").click()
    page.wait_for_url("**/history")
    assert "Quick desk break" in page.content()
    shot(page, "12-history")
    axe(page, "History")

    days = json.loads(app.cli("history", "--sets", "--json"))  # the flat list of sets
    cli_sets = [s for d in days for s in d["sets"] if s["session_id"] == session_id]
    assert sorted((s["side"], s["set_number"]) for s in cli_sets) == [
        ("left", 1),
        ("left", 2),
        ("right", 1),
        ("right", 2),
    ]
    assert all(s["actual_reps"] == 2 and not s["skipped"] for s in cli_sets)


def test_a_new_users_history_and_snacks_pages(
    app: App, page: Any, shot: Callable[[Any, str], Path], axe: Callable[[Any, str], None]
) -> None:
    page.goto(app.url + "/history")
    assert page.get_by_role("heading", name="Nothing logged yet").is_visible()
    assert page.locator("svg.chart").count() == 0
    shot(page, "13-history-empty")
    axe(page, "empty History")

    page.goto(app.url + "/snacks")
    assert page.locator("h1").first.inner_text().startswith("Exercise snacks")
    live = page.locator("[data-snack-live]")
    if live.count():
        assert not re.search(r"\d{4}-\d\d-\d\dT", live.inner_text())  # no raw ISO times
    shot(page, "14-snacks")
    axe(page, "Snacks")


PHONE = {"width": 390, "height": 844}
CHART_BOXES = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = (svg.closest('.chart-scroll, .table-wrap') || svg.parentElement)
    .getBoundingClientRect();
  const inside = r => r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1;
  const texts = [...svg.querySelectorAll('text')];
  return {
    title: svg.querySelector('title').textContent,
    shapesCut: [...svg.querySelectorAll('rect, text')]
      .filter(e => !inside(e.getBoundingClientRect())).length,
    axisNumbers: texts.filter(t => /^\\d+$/.test(t.textContent.trim())
      && inside(t.getBoundingClientRect())).length,
    minFont: Math.min(...texts.map(
      t => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a)),
  };
})"""
CUT_TABLES = """() => [...document.querySelectorAll('.table-wrap')]
  .filter(w => w.innerText.trim() && !w.querySelector('svg')
    && w.scrollWidth > w.clientWidth + 1)
  .map(w => w.innerText.slice(0, 60))"""


def test_history_and_snacks_charts_fit_a_phone(
    app: App, page: Any, shot: Callable[[Any, str], Path]
) -> None:
    from datetime import date, timedelta

    for back in range(0, 50, 3):
        day = (date.today() - timedelta(days=back)).isoformat()
        app.cli("log", "soleus-pushup", "3x20", "--side", "left", "--date", day)
        app.cli("log", "soleus-pushup", "2x20", "--side", "right", "--date", day)
        app.cli("log", "pain", str(back % 7), "--date", day)
    app.cli("history")  # replays the inbox
    page.set_viewport_size(PHONE)
    page.goto(app.url + "/history")
    charts = {c["title"]: c for c in page.evaluate(CHART_BOXES)}
    shot(page, "phone-history-charts")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    balance = charts["Left and right leg, last 4 weeks"]
    assert balance["shapesCut"] == 0, balance  # every bar and label on screen
    for title in ("Sets per week by exercise", "Pain and effort, 0 to 10"):
        assert charts[title]["axisNumbers"] >= 2, charts[title]  # a y-axis in view
    assert all(c["minFont"] >= 9.5 for c in charts.values()), charts
    history = page.locator("main").inner_text()
    assert not re.search(r"\d\.0 reps", history)  # counts are whole
    assert not re.search(r"\d{4}-\d\d-\d\d", history)  # days in words, not ISO digits

    app.cli("log", "wall-calf-stretch", "1x20s", "--side", "left")
    app.cli("history")
    page.goto(app.url + "/")
    today = page.locator("main").inner_text()
    assert "20 s held" in today and "0.3 min" not in today
    shown = date.today()
    assert f"{shown:%A} {shown.day} {shown:%B}" in page.locator("h1").inner_text()

    page.goto(app.url + "/snacks")
    shot(page, "phone-snacks")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(CUT_TABLES) == []
    plan = page.locator("section[aria-labelledby=preview-h]").inner_text()
    assert "Taking each snack;" not in plan  # a fragment the trial could not parse
    timeline = page.evaluate(CHART_BOXES)
    assert timeline and all(c["minFont"] >= 9.5 for c in timeline), timeline


def test_deleting_an_own_routine_asks_first(app: App, page: Any) -> None:
    file = app.config_dir / "routines" / "quick-desk.toml"
    page.goto(app.url + "/routines")
    page.get_by_role("button", name="Delete quick-desk").or_(
        page.get_by_role("link", name="Delete quick-desk")
    ).click()
    assert file.exists()  # the first click only asks
    assert "quick-desk" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Keep it").click()
    assert page.url.endswith("/routines") and file.exists()
    page.get_by_role("link", name="Delete quick-desk").click()
    page.get_by_role("button", name="Delete quick-desk for good").click()
    assert not file.exists()
    assert "deleted" in page.locator("main").inner_text()
