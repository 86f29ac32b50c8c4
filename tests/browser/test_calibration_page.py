"""The Recordings page's calibration in Chromium: upload three reps by keyboard-reachable
controls, see the calibration, forget it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.browser_helpers import App
from tests.browser.test_live_page import EPOCH_NS, push

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


def test_calibrate_from_a_live_stream(app: App, page: Any) -> None:
    rec = simulate([Rest(4), RepSet(3, 20, 4.0), Rest(4)], Sensors(rate_hz=50.0), seed=3)
    t, acc = rec.recording.t_acc, rec.recording.acc
    assert t is not None and acc is not None
    page.goto(app.url + "/recordings")
    page.get_by_text("Set up live counting", exact=True).click()
    token = page.locator("#push-url").inner_text().split("token=", 1)[1].strip()
    for second in range(int(t[-1]) + 1):
        keep = (t >= second) & (t < second + 1)
        payload = [
            {
                "name": "totalacceleration",
                "time": EPOCH_NS + round(float(ti) * 1e9),
                "values": {"x": float(x), "y": float(y), "z": float(z)},
            }
            for ti, (x, y, z) in zip(t[keep], acc[keep], strict=True)
        ]
        push(
            app, token, {"messageId": second, "sessionId": "c", "deviceId": "d", "payload": payload}
        )
    page.locator("#live-calibrate").wait_for(state="visible", timeout=5000)
    page.locator("#live-calibrate").click()
    page.locator("#calibrated").wait_for(state="visible", timeout=10000)
    assert "from 3 reps" in page.locator("#calibration-now").inner_text()
