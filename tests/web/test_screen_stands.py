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
