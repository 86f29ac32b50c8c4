"""Issue 15 in Debian's Chromium: a clinician builds a progressing plan in the routine
builder by keyboard (an overlapping step marked live and refused on saving; axe and
390 px too), the patient sees it on Today and does a session of it, the clinician's
caseload and patient page show it, a red flag shows there at once, and the clinician
stops the plan after confirming. Screenshots of the builder and both pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App, pass_screen_and_open, snapshot, wait_for
from tests.browser.test_accounts_journey import _invite, _take_up

pytestmark = pytest.mark.browser


def type_in(page: Any, scope: str, label: str, text: str) -> None:
    """Replace a field's text by keyboard; ``scope`` the selector of the part it is in."""
    page.locator(scope).get_by_label(label, exact=True).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press(page: Any, name: str) -> None:
    """Focus a button by its name and press Enter."""
    page.get_by_role("button", name=name, exact=True).focus()
    page.keyboard.press("Enter")


def add_by_keyboard(page: Any, words: str, name: str) -> None:
    """Search the library, Tab to the one Add button left, Enter (the server adds it)."""
    search = page.get_by_label("Search the exercises")
    search.wait_for(state="visible")  # shown by prescribe.js
    search.focus()
    page.keyboard.type(words)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == f"Add {name}"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement.textContent.includes({name!r})")


def test_prescribe_play_and_see_it_on_the_caseload(
    accounts_app: App,
    browser: Any,
    shot: Callable[[Any, str], Path],
    axe: Callable[[Any, str], None],
) -> None:
    app = accounts_app
    base = app.url.replace("127.0.0.1", "localhost")
    app.env["SOLEUS_PUBLIC_URL"] = base
    app.cli("org", "create", "Clinic")
    doc_link = json.loads(
        app.cli(
            "user", "invite", "doc@example.org", "--role", "clinician", "--org", "Clinic", "--json"
        )
    )["url"]
    contexts = []
    try:
        doc_ctx = browser.new_context()
        contexts.append(doc_ctx)
        d = doc_ctx.new_page()
        _take_up(d, doc_link)
        patient_link = _invite(d, base, "pat@example.org", "patient")
        pat_ctx = browser.new_context()
        contexts.append(pat_ctx)
        p = pat_ctx.new_page()
        _take_up(p, patient_link)

        # The clinician builds a progressing plan in the routine builder, by keyboard:
        # weeks 1-2 one set of 3 per leg, from week 3 two sets of 5, then when earned a
        # two-minute bout. An overlapping step is marked live, then refused on saving.
        d.goto(base + "/people")
        d.click("a:has-text('Prescribe')")
        d.wait_for_selector("#prescribe")
        add_by_keyboard(d, "pushup", "Seated soleus pushup")
        type_in(d, "#b0-s0", "Sets", "1")
        type_in(d, "#b0-s0", "Repetitions per set", "3")
        type_in(d, "#b0-s0", "Rest between sets", "0")
        press(d, "Add a step to Seated soleus pushup")
        d.wait_for_function("() => document.activeElement.id === 'b0-s1-title'")
        week = "Step 2 of Seated soleus pushup starts in week"
        type_in(d, "#b0-s1", week, "1")  # overlaps step 1
        error = d.locator("#b0-s1-week-error")
        error.wait_for()
        assert "weeks overlap the step before" in error.inner_text()
        assert d.get_by_label(week).get_attribute("aria-invalid") == "true"
        type_in(d, "#b0-s1", "Sets", "2")
        type_in(d, "#b0-s1", "Repetitions per set", "5")
        type_in(d, "#prescribe", "Notes for the patient, in your own words", "Seated, heels up.")
        press(d, "Save the plan")
        d.wait_for_selector("#prescribe-error")
        assert "Not saved: Seated soleus pushup, step 2, from week: weeks overlap" in (
            d.text_content("#prescribe-error") or ""
        )
        type_in(d, "#b0-s1", week, "3")
        d.wait_for_function("() => !document.querySelector('.field-error')")
        order = []  # the focus order of a step, by Tab from its week
        for _ in range(4):
            d.keyboard.press("Tab")
            order.append(d.evaluate("() => document.activeElement.id"))
        assert order == ["b0-s1-kind", "b0-s1-sets", "b0-s1-reps", "b0-s1-rest_s"]
        press(d, "Add a step to Seated soleus pushup")
        d.wait_for_function("() => document.activeElement.id === 'b0-s2-title'")
        d.get_by_label("When earned (the logged reps and pain allow)").last.focus()
        d.keyboard.press("Space")
        assert d.get_by_label("Step 3 of Seated soleus pushup starts in week").is_disabled()
        d.locator("#b0-s2").get_by_label("How it is done").focus()
        d.keyboard.press("ArrowDown")
        d.keyboard.press("ArrowDown")  # repetitions -> a timed hold -> a non-stop bout
        type_in(d, "#b0-s2", "Bout length", "2")
        for day in ("sat", "sun"):  # every day, so today is a prescribed day
            d.locator(f"#day-{day}").focus()
            d.keyboard.press("Space")
        type_in(d, ".routine-fields", "Times a day", "2")
        d.fill("#start", p.evaluate("new Date().toLocaleDateString('sv')"))  # today, ISO
        words = d.locator("[data-steps-words]").first
        d.wait_for_function(  # the server's answer to the last change
            "() => /when earned/.test(document.querySelector('[data-steps-words]').textContent)"
        )
        assert "first day takes about" in d.locator("#estimate").inner_text()
        assert words.inner_text() == (
            "weeks 1–2: 1 × 3 per leg; from week 3: 2 × 5 per leg;"
            " when earned: 2 × 2 min bout at 50/min per leg"
        )
        axe(d, "prescribe builder")
        shot(d, "prescribe-1280")
        d.set_viewport_size({"width": 390, "height": 844})
        axe(d, "prescribe builder on a phone")
        shot(d, "prescribe-390")
        assert d.evaluate("() => document.documentElement.scrollWidth") <= 390
        d.set_viewport_size({"width": 1280, "height": 800})
        press(d, "Save the plan")
        d.wait_for_selector("#current-plan")
        plan_text = d.text_content("#current-plan") or ""
        assert "from week 3: 2 × 5 per leg; when earned: 2 × 2 min bout" in plan_text

        # The patient sees it on Today and plays it.
        p.goto(base + "/")
        assert "Seated, heels up." in (p.text_content("#prescribed") or "")
        assert "1 × 3 per leg" in p.text_content("#prescribed-today")
        assert p.get_attribute("#start-prescribed", "href") == "/player?routine=prescribed"
        pass_screen_and_open(p, App(base, app.env, app.config_dir), "/player?routine=prescribed")
        p.locator("#p-start").click()
        wait_for(p, lambda s: s["phase"] == "get_ready")
        while not p.locator("#p-finish").is_visible():  # skip the waits, never a set
            snap = snapshot(p)
            if snap and snap["phase"] in ("get_ready", "rest", "switch_side"):
                p.keyboard.press("ArrowRight")
            p.wait_for_timeout(150)
        p.locator("#p-done").wait_for(state="visible")

        # The caseload and the patient page show the session.
        d.goto(base + "/caseload")
        row = d.locator("#caseload tbody tr").first
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        assert cells[:4] == ["pat@example.org", "1", "2", "50 %"]  # done, prescribed
        shot(d, "clinician-caseload")
        d.click("#caseload a:has-text('pat@example.org')")
        d.wait_for_selector("#patient-weeks")
        assert d.locator("#red-flag").count() == 0
        # A red flag: the patient answers yes; the clinician sees it at once.
        p.goto(base + "/screen")
        p.check("input[name='one_calf_swollen'][value='yes']")
        for q in ("breathless", "heel_pop", "no_tiptoe"):
            p.check(f"input[name='{q}'][value='no']")
        p.get_by_role("button", name="Continue").click()
        d.reload()
        assert "Red flag" in d.text_content("#red-flag")
        shot(d, "clinician-patient-page")

        # The clinician stops the plan, after confirming; the patient's Today is their own.
        d.goto(base + "/caseload")
        d.click("#caseload a:has-text('pat@example.org')")
        d.click("a:has-text('Change the prescribed plan')")
        d.get_by_role("link", name="Stop this plan").focus()
        d.keyboard.press("Enter")
        d.wait_for_selector("#confirm-stop")
        assert d.evaluate("() => document.activeElement.id") == "confirm-stop"
        d.keyboard.press("Enter")
        d.wait_for_selector("#stopped")
        p.goto(base + "/")
        assert p.locator("#prescribed").count() == 0
    finally:
        for context in contexts:
            context.close()
