"""The Recordings page follows a live Sensor Logger stream it was opened before."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from tests.browser.browser_helpers import App

from soleus.signal.simulate import RepSet, Rest, Sensors, simulate

EPOCH_NS = 1_767_600_000_000_000_000


def messages() -> list[dict[str, Any]]:
    """One-second Sensor Logger pushes (total acceleration only) of ten simulated reps."""
    rec = simulate([Rest(4), RepSet(10, 30, 5.0), Rest(4)], Sensors(rate_hz=50.0), seed=3)
    t, acc = rec.recording.t_acc, rec.recording.acc
    assert t is not None and acc is not None
    out = []
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
        out.append({"messageId": second, "sessionId": "b-1", "deviceId": "d", "payload": payload})
    return out


def push(app: App, token: str, message: dict[str, Any]) -> None:
    request = urllib.request.Request(
        f"{app.url}/api/live/sensorlogger?token={token}",
        data=json.dumps(message).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def test_the_save_button_appears_with_the_first_rep(app: App, page: Any) -> None:
    page.goto(app.url + "/recordings")
    page.get_by_text("Set up live counting", exact=True).click()
    token = page.locator("#push-url").inner_text().split("token=", 1)[1].strip()
    todo = messages()
    for message in todo[:2]:  # sitting still: a stream with no reps yet
        push(app, token, message)
    page.locator("#live-form").wait_for(state="attached", timeout=5000)  # the page redrew
    assert page.locator("#live-save").count() == 0
    for message in todo[2:]:
        push(app, token, message)
    page.locator("#live-save").wait_for(state="visible", timeout=5000)
    assert int(page.locator("#live-count").inner_text()) >= 8
