"""The player's layout in real Chromium, on a desk and a phone: the controls and the
drawing keep their place in every phase and when paused (bounding boxes, zero shift),
so a second click on Pause resumes; the cue word stays while paused; the timer holds
the seconds left and the countdown is announced; one h1 in every state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App, pass_screen_and_open, wait_for

pytestmark = pytest.mark.browser

SIZES = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}

# Where the controls and the drawing are now, in page pixels (the drawing is whichever
# of the ring and the tempo figure shows).
BOXES = """() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return [r.x + scrollX, r.y + scrollY, r.width, r.height].map((v) => Math.round(v * 10) / 10); };
  const drawing = [...document.querySelectorAll('#p-ring, #p-tempo')]
    .find((e) => !e.hasAttribute('hidden'));
  return { controls: [...document.querySelectorAll('.p-controls button, .p-switches > *')].map(box),
           drawing: box(drawing) };
}"""

# Everything the polite live region says, in order.
LISTEN = """() => { window.__said = []; const live = document.getElementById('announcer');
  new MutationObserver(() => window.__said.push(live.textContent))
    .observe(live, { childList: true, characterData: true, subtree: true }); }"""

VISIBLE_H1 = (
    "() => [...document.querySelectorAll('h1')].filter((h) => h.offsetParent !== null).length"
)

SECONDS_LEFT = """() => { const p = window.soleusPlayer;
  return Math.ceil(p.player.snapshot(p.driver.now()).secondsLeft - 1e-6); }"""


@pytest.mark.parametrize("size", SIZES)
def test_controls_and_drawing_stay_put_in_every_phase_and_when_paused(
    app: App,
    page: Any,
    size: str,
    shot: Callable[[Any, str], Path],
    axe: Callable[[Any, str], None],
) -> None:
    page.set_viewport_size(SIZES[size])
    pass_screen_and_open(page, app, "/player?routine=quick-desk")
    assert page.evaluate(VISIBLE_H1) == 1  # the setup
    page.evaluate(LISTEN)
    page.locator("#p-start").click()
    wait_for(page, lambda s: s["phase"] == "get_ready")
    assert page.evaluate(VISIBLE_H1) == 1  # the running player
    first = page.evaluate(BOXES)

    # The timer holds the seconds left, here as in the ring; the countdown is spoken.
    wait_for(page, lambda s: s["phase"] == "get_ready" and s["elapsed"] >= 1)
    timer = page.get_by_role("timer", name="Seconds left")
    assert timer.text_content() == page.locator("#p-ring-text").text_content()
    wait_for(page, lambda s: s["phase"] == "work", timeout=8)
    said = page.evaluate("() => window.__said")
    assert [w for w in said if w in {"3", "2", "1"}] == ["3", "2", "1"], said

    # Work: the timer is the set's seconds left, not the rep number.
    wait_for(page, lambda s: s["phase"] == "work" and s["elapsed"] >= 0.3)
    left = page.evaluate(SECONDS_LEFT)
    assert int(timer.text_content() or -1) in {left, left + 1}
    assert page.evaluate(BOXES) == first, "work moved the controls or the drawing"

    # Pause when a cue word shows: nothing moves, the cue stays, the same spot resumes.
    page.wait_for_function("() => document.getElementById('p-cue').textContent !== ''")
    cue = page.locator("#p-cue").inner_text()
    pause = page.locator("#p-pause").bounding_box()
    page.mouse.click(pause["x"] + pause["width"] / 2, pause["y"] + pause["height"] / 2)
    wait_for(page, lambda s: s["paused"], timeout=2)
    assert page.locator("#p-paused").is_visible()
    assert page.evaluate(BOXES) == first, "pausing moved the controls or the drawing"
    page.wait_for_timeout(2000)
    assert page.locator("#p-cue").inner_text() == cue  # held while paused
    shot(page, f"player-paused-{size}")
    axe(page, f"paused player at {size} px")
    page.mouse.click(pause["x"] + pause["width"] / 2, pause["y"] + pause["height"] / 2)
    wait_for(page, lambda s: not s["paused"], timeout=2)
    assert page.evaluate(BOXES) == first

    # The waits between sets: a rest or a switch of side, then the next set.
    wait_for(page, lambda s: s["phase"] in {"rest", "switch_side"}, timeout=8)
    assert page.evaluate(BOXES) == first, "the wait moved the controls or the drawing"
    shot(page, f"player-wait-{size}")
    page.keyboard.press("ArrowRight")
    wait_for(page, lambda s: s["phase"] == "work" and s["index"] == 1, timeout=3)
    assert page.evaluate(BOXES) == first

    # Stopped: the finish screen has its own single h1.
    page.keyboard.press("Escape")
    page.wait_for_selector("#p-finish:not([hidden])", timeout=3000)
    assert page.evaluate(VISIBLE_H1) == 1
    assert page.get_by_role("heading", level=1).inner_text() == "Stopped"
    shot(page, f"player-finish-{size}")
    axe(page, f"player finish at {size} px")
