"""Issue 15 in Debian's Chromium: a clinician prescribes a progressing plan, the patient
sees it on Today and does a session of it, the clinician's caseload and patient page
show it, and a red flag shows there at once. Screenshots of both pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App, pass_screen_and_open, snapshot, wait_for
from tests.browser.test_accounts_journey import _invite, _take_up

pytestmark = pytest.mark.browser


def test_prescribe_play_and_see_it_on_the_caseload(
    accounts_app: App, browser: Any, shot: Callable[[Any, str], Path]
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

        # The clinician prescribes: weeks 1-2 one set of 3 per leg, then 2 sets of 5.
        d.goto(base + "/people")
        d.click("a:has-text('Prescribe')")
        d.fill("#start", p.evaluate("new Date().toLocaleDateString('sv')"))  # today, ISO
        d.fill("#per_day", "2")
        d.select_option("#exercise-0", "soleus-pushup")
        d.fill("input[name='exercise-0-step-0-weeks']", "1-2")
        d.fill("input[name='exercise-0-step-0-sets']", "1")
        d.fill("input[name='exercise-0-step-0-reps']", "3")
        d.fill("input[name='exercise-0-step-0-rest']", "0")
        d.fill("input[name='exercise-0-step-1-weeks']", "2-")  # overlaps: refused
        d.fill("input[name='exercise-0-step-1-sets']", "2")
        d.fill("input[name='exercise-0-step-1-reps']", "5")
        d.fill("#notes", "Seated, heels up and down.")
        d.click("button:has-text('Save the plan')")
        assert "exercise-0-step-1: weeks overlap" in d.text_content("#prescribe-error")
        d.fill("input[name='exercise-0-step-1-weeks']", "3-")
        d.click("button:has-text('Save the plan')")
        d.wait_for_selector("#current-plan")
        assert "from week 3: 2 × 5 per leg" in d.text_content("#current-plan")

        # The patient sees it on Today and plays it.
        p.goto(base + "/")
        assert "Seated, heels up and down." in p.text_content("#prescribed")
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
    finally:
        for context in contexts:
            context.close()
