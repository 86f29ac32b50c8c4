"""A yes on the red-flag screen stands for the rest of the day on the web too."""

from __future__ import annotations

import pytest
from tests.web.web_helpers import NO_FLAGS, Web

pytestmark = pytest.mark.anyio


async def test_after_a_yes_the_screen_cannot_be_answered_again_until_tomorrow(web: Web) -> None:
    r = await web.form("/screen", {"next": "/", **NO_FLAGS, "one_calf_swollen": "yes"})
    assert r.status_code == 200 and "Stop: no exercise today." in r.text
    assert "again tomorrow (Tuesday 3 March)" in r.text  # the fake clock says Monday
    page = await web.client.get("/screen")
    assert "blood clot" in page.text and "again tomorrow" in page.text
    assert 'name="one_calf_swollen"' not in page.text  # no form: nothing to re-answer
    r = await web.form("/screen", {"next": "/player?routine=desk", **NO_FLAGS})
    assert r.status_code == 200 and "Stop: no exercise today." in r.text
    assert (await web.client.get("/player?routine=desk")).status_code == 303
    web.clock.advance(24 * 3600)
    await web.pass_screen()
    assert (await web.client.get("/player?routine=desk")).status_code == 200


async def test_a_yes_still_stands_on_the_days_after_until_the_screen_says_no(web: Web) -> None:
    await web.form("/screen", {"next": "/", **NO_FLAGS, "one_calf_swollen": "yes"})
    for _ in range(2):  # Tuesday, then Wednesday: still stopped, naming Monday
        web.clock.advance(24 * 3600)
        today = " ".join((await web.client.get("/")).text.split())
        assert "You answered yes to a safety question on Monday 2 March." in today
        assert "Stop: no exercise until you take the safety check again" in today
        assert "blood clot" in today and 'href="/screen"' in today
        started = await web.post("/api/sessions", {"routine_id": "desk"})
        assert started.status_code == 409
        # The player sends the person to the screen (due again), not to exercise.
        player = await web.client.get("/player?routine=desk")
        assert player.status_code == 303 and player.headers["location"].startswith("/screen")
    await web.pass_screen()
    today = " ".join((await web.client.get("/")).text.split())
    assert "You answered yes" not in today and "The usual plan today." in today
    assert (await web.client.get("/player?routine=desk")).status_code == 200
