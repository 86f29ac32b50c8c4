"""Pages on a phone (390×844): nothing wider than the screen, nothing hidden under the
snack banner, charts with legible labels."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def fake_nudge(
    page: Any, *, reason: str = "sitting", done: int = 0, target: int = 3, show: bool = True
) -> None:
    """Answer the pages' activity reports with a nudge showing (or none), whatever the
    clock says. The reason is worded by the server, as the real answer would be."""
    from soleus.services.snacks.live import why_words

    state = {
        "now": "2026-03-02T10:00:00+00:00",
        "enabled": True,
        "error": None,
        "daemon": False,
        "working": True,
        "sitting_since": "2026-03-02T09:30:00+00:00",
        "sitting_since_label": "09:30",
        "next_due": None,
        "next_reason": None,
        "next_why": None,
        "snacks_done": done,
        "target": target,
        "poll_s": 30,
        "strict": False,
        "nudge": {
            "id": "n1",
            "number": 1,
            "prompted_at": "2026-03-02T10:00:00+00:00",
            "reason": reason,
            "title": "Soleus pushup sets",
            "text": "2 sets of 10 soleus pushups, seated.",
            "routine": "desk",
            "start_url": "/player?routine=desk",
            "sitting_min": 30,
            "why": why_words(reason, sitting_min=30, done=done, target=target),
            "snooze_min": 5,
            "snoozes_left": 2,
            "strict": False,
        }
        if show
        else None,
    }
    page.route(
        "**/api/snacks/activity",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(state)
        ),
    )


def overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_the_nudge_banner_leaves_the_page_usable(
    app: App, page: Any, shot: Callable[[Any, str], Path]
) -> None:
    page.set_viewport_size(PHONE)
    fake_nudge(page)
    page.goto(app.url + "/recordings")
    banner = page.locator("section#nudge")
    banner.wait_for(state="visible")
    # The announcement went to the live region, not into the Recordings section.
    live = page.locator("section#live")
    assert live.get_by_role("heading", name="Live counting from the phone").is_visible()
    said = page.locator("#announcer").inner_text()
    assert "Time for a snack" in said and "below the header" not in said
    box = banner.bounding_box()
    assert box["height"] <= 844 * 0.3, box  # compact on a phone
    # It lies in the flow above the page, never over it.
    assert page.evaluate(COVERED) == []
    page.get_by_role("button", name="Analyse").click(trial=True, timeout=3000)
    assert overflow(page) <= 0
    shot(page, "phone-recordings-nudge")


def test_a_target_nudge_after_the_target_does_not_count_past_it(app: App, page: Any) -> None:
    fake_nudge(page, reason="target", done=13, target=3)
    page.goto(app.url + "/")
    why = page.locator("section#nudge .nudge-why")
    why.wait_for(state="visible")
    assert why.inner_text() == "Today's target is met (13 of 3)."


# Elements of the page (header, main, footer) that the banner's box overlaps.
COVERED = """() => { const b = document.getElementById('nudge').getBoundingClientRect();
  return [...document.querySelectorAll('header, main *, footer')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width && r.height && r.left < b.right && b.left < r.right
      && r.top < b.bottom && b.top < r.bottom; }).map(e => e.outerHTML.slice(0, 80)); }"""

FONT_SIZES = """() => [...document.querySelectorAll('svg.chart')].map(s => Math.min(
  ...[...s.querySelectorAll('text')]
    .map(t => parseFloat(getComputedStyle(t).fontSize) * s.getScreenCTM().a)))"""
CUT_TABLES = """() => [...document.querySelectorAll('.table-wrap')]
  .filter(w => w.offsetParent !== null && w.scrollWidth > w.clientWidth + 1)
  .map(w => w.innerText.slice(0, 60))"""
REP_LABELS = """() => [...document.querySelectorAll('svg.recording-plot text[y="16"]')]
  .map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right]; })"""


def test_history_and_a_recording_are_legible_on_a_phone(
    app: App, page: Any, shot: Callable[[Any, str], Path], tmp_path: Path
) -> None:
    from datetime import date, timedelta

    from soleus.signal.simulate import RepSet, Rest, Sensors, simulate
    from soleus.signal.writers import WRITERS

    for back in range(0, 70, 4):
        day = (date.today() - timedelta(days=back)).isoformat()
        app.cli("log", "soleus-pushup", "3x20", "--side", "left", "--date", day)
        app.cli("log", "wall-calf-stretch", "2x30s", "--side", "left", "--date", day)
        app.cli("log", "pain", str(back % 7), "--context", "morning", "--date", day)
    app.cli("history")  # the quick logs wait in the inbox until a command opens the store
    page.set_viewport_size(PHONE)
    fake_nudge(page, show=False)
    page.goto(app.url + "/history")
    assert overflow(page) <= 0
    assert min(page.evaluate(FONT_SIZES)) >= 9.5
    assert page.evaluate(CUT_TABLES) == []
    shot(page, "phone-history")

    sim = simulate([Rest(3), RepSet(40, 40, 5.0), Rest(3)], Sensors(rate_hz=100.0), seed=5)
    upload = tmp_path / "reps.zip"
    upload.write_bytes(WRITERS["sensorlogger-android-zip"][1](sim.recording))
    page.goto(app.url + "/recordings")
    assert overflow(page) <= 0
    page.set_input_files("#rec-file", str(upload))
    page.get_by_role("button", name="Analyse").click()
    page.locator("svg.recording-plot").wait_for()
    # (the new page's stylesheet gives the plot its phone width: measure once loaded)
    page.wait_for_load_state("load")
    assert overflow(page) <= 0
    assert min(page.evaluate(FONT_SIZES)) >= 9.5
    assert page.evaluate(CUT_TABLES) == []
    labels = page.evaluate(REP_LABELS)
    assert len(labels) > 5
    assert all(a[1] < b[0] for a, b in itertools.pairwise(labels)), labels
    shot(page, "phone-recording-result")


BOXES = """() => [...document.querySelectorAll('.file-error')].map(e => {
  const r = e.getBoundingClientRect();
  return [r.top, r.bottom, r.left, r.right, e.scrollWidth <= e.clientWidth]; })"""


def test_broken_user_files_on_a_phone(
    app: App, page: Any, shot: Callable[[Any, str], Path]
) -> None:
    folder = app.config_dir / "routines"
    (folder / "another-broken-routine-with-a-long-name.toml").write_text(
        'id = "another-broken-routine-with-a-long-name"\nname = "X"\n'
        '[[blocks]]\nexercise = "no-such-exercise-anywhere"\n'
    )
    (folder / "broken-one.toml").write_text(
        'id = "broken-one"\nname = "B"\n[[blocks]]\nexercise = "soleus-pushup"\n'
        '[blocks.dosage]\nkind = "reps"\nsets = 3\n'
    )
    page.set_viewport_size(PHONE)
    fake_nudge(page, show=False)
    page.goto(app.url + "/routines")
    assert overflow(page) <= 0
    boxes = page.evaluate(BOXES)
    assert len(boxes) == 2 and all(b[4] for b in boxes)  # nothing clipped
    (_, bottom1, *_), (top2, *_) = sorted(boxes)
    assert bottom1 <= top2  # one under the other, not on top of each other
    shot(page, "phone-routines-broken")
    page.get_by_role("link", name="Fix it broken-one").click()
    assert "This file does not load" in page.locator("#edit-error").inner_text()
