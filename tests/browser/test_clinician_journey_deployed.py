"""Issue 15 on the deployment a clinic runs (tests/deploy: PostgreSQL, two instances
behind Debian's nginx), in Debian's Chromium: the clinician (made with the CLI)
prescribes a plan, the patient plays a session of it on one instance and uploads a
phone recording on the Recordings page (simulated, written as a phyphox zip) and logs it
as a session; nginx alternates the requests between the instances. The caseload and the
patient page show the sets verified (the recording's) vs self-reported (the player's),
and a red flag appears at once. Screenshots of both pages. (The keyboard builder itself
is tests/browser/test_clinician_journey.py, on one instance.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App, pass_screen_and_open, snapshot, wait_for
from tests.browser.test_accounts_journey import _invite, _take_up
from tests.browser.test_clinician_journey import add_by_keyboard, press, type_in
from tests.deploy.deploy_harness import (
    UPSTREAM_HEADER,
    Deployment,
)

from soleus.signal.simulate import Event, RepSet, Rest, Sensors, simulate
from soleus.signal.writers import WRITERS

pytestmark = pytest.mark.browser


# In the page: a GET four times with its cookie, noting the instance that answered.
FETCH_4 = """async (url) => { const out = [];
  for (let i = 0; i < 4; i++) { const r = await fetch(url);
    out.push([r.headers.get("HEADER"), await r.text()]); }
  return out; }""".replace("HEADER", UPSTREAM_HEADER)


def caseload_row(page: Any) -> dict[str, str]:
    """The caseload's first row, by its column headings."""
    heads = [h.strip() for h in page.locator("#caseload thead th").all_inner_texts()]
    cells = [
        c.strip() for c in page.locator("#caseload tbody tr").first.locator("td").all_inner_texts()
    ]
    return dict(zip(heads, cells, strict=True))


def this_week(page: Any) -> dict[str, str]:
    """The patient page's row of this week (the newest, first), by its column headings."""
    heads = [h.strip() for h in page.locator("#patient-weeks thead th").all_inner_texts()]
    cells = [
        c.strip()
        for c in page.locator("#patient-weeks tbody tr").first.locator("td").all_inner_texts()
    ]
    return dict(zip(heads, cells, strict=True))


def test_recorded_and_played_sets_on_two_instances(
    deployed: Deployment,
    browser: Any,
    shot: Callable[[Any, str], Path],
    axe: Callable[[Any, str], None],
    tmp_path: Path,
) -> None:
    base = deployed.url.replace("127.0.0.1", "localhost")  # public_url's host
    both = {f"127.0.0.1:{i.port}" for i in deployed.instances}
    deployed.cli("org", "create", "Clinic")
    doc_link = json.loads(
        deployed.cli(
            "user", "invite", "doc@example.org", "--role", "clinician", "--org", "Clinic", "--json"
        )
    )["url"]
    answered: list[str] = []  # the instance behind every page and call of the patient

    def note(response: Any) -> None:
        if response.url.startswith(base) and (upstream := response.headers.get(UPSTREAM_HEADER)):
            answered.append(upstream)

    contexts: list[Any] = []
    try:
        doc_ctx = browser.new_context()
        contexts.append(doc_ctx)
        d = doc_ctx.new_page()
        _take_up(d, doc_link)
        patient_link = _invite(d, base, "pat@example.org", "patient")
        pat_ctx = browser.new_context()
        contexts.append(pat_ctx)
        p = pat_ctx.new_page()
        p.on("response", note)
        _take_up(p, patient_link)

        # The clinician prescribes one set of 3 per leg, every day from today.
        d.goto(base + "/people")
        d.click("a:has-text('Prescribe')")
        d.wait_for_selector("#prescribe")
        add_by_keyboard(d, "pushup", "Seated soleus pushup")
        type_in(d, "#b0-s0", "Sets", "1")
        type_in(d, "#b0-s0", "Repetitions per set", "3")
        type_in(d, "#b0-s0", "Rest between sets", "0")
        for day in ("sat", "sun"):  # every day, so today is a prescribed day
            d.locator(f"#day-{day}").check()
        d.fill("#start", p.evaluate("new Date().toLocaleDateString('sv')"))  # today, ISO
        d.wait_for_function(
            "() => /1 × 3 per leg/.test(document.querySelector('[data-steps-words]').textContent)"
        )
        press(d, "Save the plan")
        d.wait_for_selector("#current-plan")

        # The patient sees it on Today and plays it: two sets, one per leg, self-reported.
        p.goto(base + "/")
        assert "1 × 3 per leg" in p.text_content("#prescribed-today")
        pass_screen_and_open(
            p, App(base, deployed.env, deployed.root), "/player?routine=prescribed"
        )
        p.locator("#p-start").click()
        wait_for(p, lambda s: s["phase"] == "get_ready")
        while not p.locator("#p-finish").is_visible():  # skip the waits, never a set
            snap = snapshot(p)
            if snap and snap["phase"] in ("get_ready", "rest", "switch_side"):
                p.keyboard.press("ArrowRight")
            p.wait_for_timeout(150)
        p.locator("#p-done").wait_for(state="visible")

        # Then a phone recording of two sets (8 and 6 reps, left leg), uploaded and logged.
        parts: list[Event] = [Rest(4), RepSet(8, 30, 5.0), Rest(30), RepSet(6, 30, 5.0), Rest(30)]
        recording = simulate(parts, Sensors(rate_hz=100.0), seed=11).recording
        upload = tmp_path / "phone.zip"
        upload.write_bytes(WRITERS["phyphox-zip"][1](recording))
        p.goto(base + "/recordings")
        p.set_input_files("#rec-file", str(upload))
        p.select_option("#rec-side", "left")
        p.get_by_role("button", name="Analyse").click()
        p.locator("svg.recording-plot").wait_for()
        assert "14 soleus pushups" in p.locator(".live-count").inner_text()
        p.get_by_role("button", name="Save as session").click()
        p.locator("#saved").wait_for()
        assert set(answered) == both, answered  # the patient was served by both instances

        # The caseload and the patient page: 2 sets verified, 2 self-reported.
        d.goto(base + "/caseload")
        row = caseload_row(d)
        assert row["Patient"] == "pat@example.org"
        # Two sessions done (the played one and the recording's) of the one prescribed.
        done = (row["Sessions done"], row["Prescribed"], row["Planned reps per side"])
        assert done == ("2", "1", "3"), row
        assert (row["Sets verified"], row["Sets self-reported"]) == ("2", "2"), row
        assert (row["Reps left"], row["Reps right"]) == ("17", "3"), row  # 8 + 6 + 3; 3
        axe(d, "caseload")
        shot(d, "deploy-clinician-caseload")
        d.click("#caseload a:has-text('pat@example.org')")
        d.wait_for_selector("#patient-weeks")
        week = this_week(d)
        assert (week["Sets verified"], week["Sets self-reported"]) == ("2", "2"), week
        assert d.locator("#red-flag").count() == 0

        # A red flag: the patient answers yes; the clinician sees it at once, on either
        # instance.
        p.goto(base + "/screen")
        p.check("input[name='one_calf_swollen'][value='yes']")
        for q in ("breathless", "heel_pop", "no_tiptoe"):
            p.check(f"input[name='{q}'][value='no']")
        p.get_by_role("button", name="Continue").click()
        d.reload()
        assert "Red flag" in (d.text_content("#red-flag") or "")
        pages = d.evaluate(FETCH_4, d.url)  # the same page four times, alternating
        assert {upstream for upstream, _ in pages} == both
        assert all('id="red-flag"' in html for _, html in pages)
        axe(d, "patient page with a red flag")
        shot(d, "deploy-clinician-patient-page")
        d.set_viewport_size({"width": 390, "height": 844})
        axe(d, "patient page on a phone")
        assert d.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        for context in contexts:
            context.close()
    for instance in deployed.instances:
        assert "Traceback" not in instance.log.read_text()
