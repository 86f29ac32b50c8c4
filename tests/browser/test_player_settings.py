"""The person's player settings reach the browser: get_ready_s sets the countdown
before the first set, and sound and speech off keep the page silent. What the page
plays and says is read from the Web Audio and Speech Synthesis calls it makes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from tests.browser.browser_helpers import App, pass_screen_and_open, wait_for

pytestmark = pytest.mark.browser

# Count every oscillator the page starts and every utterance it hands to the synth.
LISTEN = """
window.__heard = { tones: 0, spoken: [] };
const Ctx = window.AudioContext;
const create = Ctx.prototype.createOscillator;
Ctx.prototype.createOscillator = function () {
  const osc = create.call(this);
  const start = osc.start.bind(osc);
  osc.start = (...args) => { window.__heard.tones += 1; return start(...args); };
  return osc;
};
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (u) => { window.__heard.spoken.push(u.text); };
}
"""


def heard(page: Any) -> dict[str, Any]:
    return dict(page.evaluate("() => window.__heard"))


def stage(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            "() => { const p = window.soleusPlayer; const s = p.player.snapshot(p.driver.now());"
            " return {phase: s.phase, duration: s.duration, elapsed: s.elapsed}; }"
        )
    )


def test_get_ready_s_sets_the_browsers_countdown(
    app_with_config: Callable[[str], App], page: Any
) -> None:
    app = app_with_config("get_ready_s = 2\n")
    page.add_init_script(LISTEN)
    pass_screen_and_open(page, app, "/player?routine=quick-desk")
    assert page.locator("#p-sound-toggle").is_checked()
    page.locator("#p-start").click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    began = time.monotonic()
    first = stage(page)
    assert first["duration"] == 2.0
    if first["elapsed"] < 0.9:
        assert page.locator("#p-ring-text").text_content() == "2"
    wait_for(page, lambda s: s["phase"] == "work", timeout=6)
    assert 1.0 <= time.monotonic() - began <= 3.0
    # Sound and speech are on (the defaults): the page really sounds and speaks.
    got = heard(page)
    assert got["tones"] > 0
    assert got["spoken"][0] == "Get ready: Seated soleus pushup, left leg"


def test_sound_and_speech_off_keep_the_browser_silent(
    app_with_config: Callable[[str], App], page: Any
) -> None:
    app = app_with_config("get_ready_s = 1\nsound = false\nspeech = false\n")
    page.add_init_script(LISTEN)
    pass_screen_and_open(page, app, "/player?routine=quick-desk")
    assert not page.locator("#p-sound-toggle").is_checked()
    assert not page.locator("#p-speech-toggle").is_checked()
    page.locator("#p-start").click()
    wait_for(page, lambda s: s["phase"] == "work")
    wait_for(page, lambda s: s["phase"] == "work" and s["elapsed"] >= 1.6)  # rep cues passed
    page.keyboard.press("ArrowRight")  # a skip: the switch-side announcement falls due
    wait_for(page, lambda s: s["phase"] == "switch_side", timeout=3)
    page.wait_for_timeout(300)
    assert heard(page) == {"tones": 0, "spoken": []}
