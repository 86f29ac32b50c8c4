"""The player's screen: big digits of the right shape, and every phase fitted to the
terminal with the key help on its last line."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.screen import Screen

from soleus.cli.player_screen import DIGITS, HELP, big, render
from soleus.content import load_catalog, load_routines
from soleus.domain.player import Player
from soleus.domain.routine import Plan

BLOCK = "█"


def draw(renderable: object, width: int, height: int) -> list[str]:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, height=height, color_system=None)
    console.print(Screen(renderable))  # type: ignore[arg-type]
    return buffer.getvalue().splitlines()


def expected(text: str) -> list[str]:
    return [" ".join(DIGITS[c][r] for c in text) for r in range(5)]


NUMBERS = [
    *(d for d in "0123456789"),  # alone
    *(f"{d}8" for d in "0123456789"),  # first of two
    *(f"8{d}" for d in "0123456789"),  # last of two
    *(f"8{d}8" for d in "0123456789"),  # in the middle
    *(f"1:{d}{d}" for d in "0123456789"),  # after the colon
]


@pytest.mark.parametrize("text", NUMBERS)
@pytest.mark.parametrize("width", [80, 81, 120])
def test_every_digit_keeps_its_shape_in_every_position(text: str, width: int) -> None:
    rows = [line for line in draw(big(text, "bold"), width, 5) if BLOCK in line]
    shape = expected(text)
    assert len(rows) == 5
    # The drawn block starts where the number's leftmost block column lands, in every row.
    left = min(row.index(BLOCK) for row in rows) - min(r.index(BLOCK) for r in shape)
    assert [row[left : left + len(shape[0])].ljust(len(shape[0])) for row in rows] == shape
    assert all(not row[:left].strip() and not row[left + len(shape[0]) :].strip() for row in rows)
    assert left == (width - len(shape[0])) // 2  # centred as one block


CATALOG = load_catalog(None)
ROUTINES = load_routines(None, CATALOG)


def moments(routine_id: str) -> list[tuple[str, Player, float]]:
    """Get ready, work, rest, switch side and paused, each as (name, player, now)."""
    plan = Plan.build(ROUTINES[routine_id], CATALOG)
    seen: list[tuple[str, Player, float]] = []
    player = Player(plan, get_ready_s=5)
    player.start(0.0)
    wanted = {"get_ready", "work", "rest", "switch_side"}
    t = 0.5
    while wanted and not player.finished and t < 4000:
        player.tick(t)
        phase = player.snapshot(t).phase
        if phase in wanted:
            wanted.discard(phase)
            seen.append((phase, Player(plan, get_ready_s=5), t))
        t += 0.5
    paused = Player(plan, get_ready_s=5)
    paused.start(0.0)
    paused.pause(6.0)
    seen.append(("paused", paused, 6.0))
    return seen


def screen_at(
    routine_id: str, name: str, player: Player, now: float, size: tuple[int, int]
) -> list[str]:
    if name != "paused":
        player.start(0.0)
        player.tick(now)
    return draw(render(player.snapshot(now), player.plan, player.order), *size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 16)])
@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_every_phase_fits_the_screen_with_the_key_help_last(
    routine_id: str, size: tuple[int, int]
) -> None:
    for name, player, now in moments(routine_id):
        lines = screen_at(routine_id, name, player, now, size)
        assert len(lines) == size[1], (name, lines)
        assert HELP in lines[-1] and lines[-1].startswith("╰"), (name, lines[-1])
        assert lines[0].startswith("╭")
        text = "\n".join(lines)
        assert BLOCK * 3 in text, name  # the big number is always there
        assert ("PAUSED" in text) == (name == "paused")
        if size[1] >= 24:  # the designed size: the first step is always shown
            assert "1. " in text, (name, text)
