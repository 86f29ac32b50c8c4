"""The Recordings page's calibration in Chromium: upload three reps by keyboard-reachable
controls, see the calibration, forget it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.browser_helpers import App

from soleus.signal.simulate import RepSet, Rest, Sensors, simulate
from soleus.signal.writers import generic_csv


def test_calibrate_from_the_recordings_page_and_forget(app: App, page: Any, tmp_path: Path) -> None:
    rec = simulate([Rest(4), RepSet(3, 20, 1.2), Rest(4)], Sensors(), seed=101).recording
    three = tmp_path / "three.csv"
    three.write_bytes(generic_csv(rec))
    page.goto(app.url + "/recordings")
    assert "Not calibrated" in page.locator("#calibration-now").inner_text()
    page.locator("#cal-file").set_input_files(str(three))
    page.locator("#cal-submit").click()
    page.locator("#calibrated").wait_for(state="visible", timeout=10000)
    assert "from 3 reps" in page.locator("#calibration-now").inner_text()
    page.locator("#cal-forget").click()
    page.locator("#calibration-now").wait_for(state="visible", timeout=10000)
    assert "Not calibrated" in page.locator("#calibration-now").inner_text()
