"""The terminal player on a fake clock with scripted keys: no real sleeping."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Sequence

import pytest
from rich.console import Console

from soleus.cli.player_screen import render
from soleus.cli.player_view import (
    ScriptedKeys,
    SleepKeys,
    TerminalKeys,
    run_player,
)
from soleus.cli.sound import TerminalSound, find_tts, make_sound
from soleus.domain.catalog import Catalog, Dosage, Exercise, Tempo
from soleus.domain.clock import FakeClock
from soleus.domain.player import Cue, Player, SetResult
from soleus.domain.routine import Block, Plan, Routine
from soleus.settings import Settings

SPU = Exercise(
    "soleus-pushup",
    "Seated soleus pushup",
    "s",
    "seated",
    ("Sit tall", "Lift the heel, forefoot down"),
    Dosage("reps", sets=2, reps=2, rest_s=4, tempo=Tempo(1, 0, 1, 0)),
    cue_up="heel up",
    cue_down="release",
)
HOLD = Exercise(
    "calf-stretch", "Calf stretch", "s", "standing", ("Lean",), Dosage("hold", seconds=5)
)
PLAN = Plan.build(Routine("r", "Test", (Block("soleus-pushup"), Block("calf-stretch"))),
                  Catalog((SPU, HOLD)))  # fmt: skip
QUIET = Settings(sound=False, speech=False, get_ready_s=3.0)
T0 = 1000.0  # FakeClock's monotonic start


class Recorder:
    def __init__(self) -> None:
        self.played: list[tuple[float, list[Cue]]] = []
        self.clock: FakeClock | None = None

    def play(self, cues: Sequence[Cue]) -> None:
        self.played.append((self.clock.monotonic() if self.clock else 0.0, list(cues)))

    def close(self, wait_s: float = 0.0) -> None:
        pass


def play(presses: Sequence[tuple[float, str]] = (), *, terminal: bool = False, done=frozenset()):  # type: ignore[no-untyped-def]
    clock = FakeClock()
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=90, height=30)
    saved: list[SetResult] = []
    sound = Recorder()
    sound.clock = clock
    keys = ScriptedKeys(clock, [(T0 + t, k) for t, k in presses])
    outcome = run_player(
        PLAN, clock=clock, settings=QUIET, on_set=saved.append, done=done, keys=keys,
        console=console, sound=sound,
    )  # fmt: skip
    return outcome, saved, out.getvalue(), sound


def test_a_whole_plan_plays_to_the_end_in_plain_text() -> None:
    outcome, saved, text, sound = play()
    assert outcome.finished and list(outcome.results) == saved
    assert [r.index for r in saved] == [0, 1, 2, 3, 4, 5]
    assert not any(r.skipped for r in saved)
    assert "== Seated soleus pushup, left leg, set 1 of 2: 2 × 2 per leg" in text
    assert "heel up (1)" in text and "done: 5 s" in text and text.endswith("Session done.\n")
    # every cue sounded exactly at its scheduled time: the loop slept to each deadline
    lateness = [at - c.at for at, cues in sound.played for c in cues]
    assert lateness and max(lateness) == 0.0


def test_pause_stops_the_clock_of_the_set() -> None:
    outcome, saved, _, _ = play([(4.0, " "), (64.0, " ")])
    first = saved[0]
    assert first.work_seconds == 4.0 and first.ended - first.started == 64.0
    assert outcome.finished


def test_skip_and_arrow_skip_record_what_was_done() -> None:
    outcome, saved, text, _ = play([(5.5, "s"), (6.0, "right")])
    assert saved[0].skipped and saved[0].reps_done == 1
    assert not saved[1].skipped  # the second press skipped the switch-side wait only
    assert saved[1].started == T0 + 6.0
    assert "skipped after 1 reps" in text and outcome.finished


def test_back_redoes_the_previous_set_and_reports_it_again() -> None:
    outcome, saved, _, _ = play([(8.5, "b")])  # right after switching: back to the left set
    assert [r.index for r in saved] == [0, 0, 1, 2, 3, 4, 5]
    assert outcome.finished


def test_quit_keeps_what_was_done() -> None:
    outcome, saved, text, _ = play([(14.5, "q")])
    assert not outcome.finished
    assert [(r.index, r.skipped, r.interrupted) for r in saved] == [
        (0, False, False), (1, True, True),
    ]  # fmt: skip
    assert text.endswith("Stopped.\n")


def test_resume_plays_only_what_is_left() -> None:
    outcome, saved, _, _ = play(done=frozenset({0, 1, 2}))
    assert [r.index for r in saved] == [3, 4, 5] and outcome.finished


def test_full_screen_view_renders_every_phase() -> None:
    outcome, saved, text, _ = play([(2.0, " "), (3.0, " ")], terminal=True)
    assert outcome.finished and len(saved) == 6
    assert "SEATED SOLEUS PUSHUP" in text and "rep 2 of 2" in text and "PAUSED" in text
    assert "Switch to the right leg" in text and "q quit" in text


def test_render_draws_a_big_countdown_and_a_tempo_bar() -> None:
    player = Player(PLAN, get_ready_s=3)
    player.start(0.0)
    console = Console(file=io.StringIO(), width=90, color_system=None)
    console.print(render(player.snapshot(0.5), PLAN, player.order))
    player.tick(3.5)
    console.print(render(player.snapshot(3.5), PLAN, player.order))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "███" in text and "Get ready: Seated soleus pushup, left leg" in text
    assert "▲ heel up" in text and "rep 1 of 2" in text
    assert "Next: Seated soleus pushup, right leg" in text


def test_terminal_keys_parse_arrows_and_letters() -> None:
    keys = TerminalKeys.__new__(TerminalKeys)
    parsed = keys._parse(b"\x1b[C\x1b[Dq \x1b[1;5Cs\x1b")
    assert parsed == ["right", "left", "q", " ", "s", "escape"]


def test_sleep_keys_wait_on_the_clock() -> None:
    clock = FakeClock()
    assert SleepKeys(clock).read(2.5) is None and clock.monotonic() == T0 + 2.5


def test_sound_rings_the_bell_and_speaks_in_the_background() -> None:
    out = io.StringIO()
    sound = TerminalSound(out=out, speech=(sys.executable, "-c", "import sys"))
    sound.play([Cue(0.0, "heel up", "up"), Cue(0.0, "1", "count")])
    sound.play([Cue(1.0, "tock", "tock", speak=False)])
    assert out.getvalue() == "\a"
    sound.close(wait_s=5.0)
    assert find_tts(lambda name: None) is None
    assert find_tts(lambda name: f"/bin/{name}" if name == "spd-say" else None) == (
        "/bin/spd-say", "-w",
    )  # fmt: skip
    assert type(make_sound(bell=False, speech=False, out=out)).__name__ == "Silent"


def test_no_color_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    colour = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-7]|9[0-7])[;m]")
    _, _, text, _ = play(terminal=True)
    assert colour.search(text)
    monkeypatch.setenv("NO_COLOR", "1")
    _, _, text, _ = play(terminal=True)
    assert not colour.search(text)


def test_a_resumed_session_counts_steps_in_the_whole_plan() -> None:
    player = Player(PLAN, get_ready_s=3, done=frozenset({0}))
    player.start(0.0)
    console = Console(file=io.StringIO(), width=90, color_system=None)
    console.print(render(player.snapshot(0.5), PLAN, player.order))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "2 of 6" in text and "1 of 5" not in text


@pytest.mark.parametrize(
    ("sound", "speech", "quiet", "no_speech", "bell", "spoken"),
    [
        (True, True, False, False, True, True),
        (True, True, True, False, False, False),
        (True, True, False, True, True, False),
        (False, False, False, False, False, False),  # an option never turns a sound on
        (False, True, False, True, False, False),
    ],
)
def test_quiet_and_no_speech_turn_the_sounds_off_for_the_session(
    sound: bool, speech: bool, quiet: bool, no_speech: bool, bell: bool, spoken: bool
) -> None:
    from soleus.cli.session import quieter

    settings = quieter(Settings(sound=sound, speech=speech), quiet=quiet, no_speech=no_speech)
    assert (settings.sound, settings.speech) == (bell, spoken)
    out = io.StringIO()
    sink = make_sound(bell=settings.sound, speech=settings.speech, out=out)
    sink.play([Cue(0.0, "Go", "go")])
    sink.close()
    assert ("\a" in out.getvalue()) == bell


@pytest.mark.parametrize("command", ["session", "resume"])
def test_session_and_resume_offer_quiet_and_no_speech(command: str) -> None:
    from click.testing import CliRunner

    from soleus.cli.main import cli

    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "--quiet" in result.output and "--no-speech" in result.output
