"""`soleus session` in a real pseudo-terminal (tmux), on the real clock, with a short
routine: the key help on screen in every phase at 80×24 and 120×40, Ctrl-Z and `fg`,
and a clean end without a terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.required import require

import soleus
from soleus.cli.player_screen import HELP

require(shutil.which("tmux") is not None, "tmux (Debian package tmux)")

SRC = str(Path(soleus.__file__).parents[1])
TINY = """id = "tiny"
name = "Tiny"
summary = "Two short sets, for the tests."

[[blocks]]
exercise = "soleus-pushup"

[blocks.dosage]
kind = "reps"
sets = 2
reps = 2
sides = "both"
rest_s = 4

[blocks.dosage.tempo]
up = 1
top = 0
down = 1
floor = 0
"""


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """A person with the tiny routine and today's safety questions answered."""
    (tmp_path / "cfg" / "routines").mkdir(parents=True)
    (tmp_path / "cfg" / "routines" / "tiny.toml").write_text(TINY)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "PYTHONPATH": SRC,
        "SOLEUS_DATA_DIR": str(tmp_path / "data"),
        "SOLEUS_CONFIG_DIR": str(tmp_path / "cfg"),
        "SOLEUS_TIMEZONE": "Europe/Berlin",
        "SOLEUS_GET_READY_S": "4",
    }
    done = subprocess.run(
        [sys.executable, "-m", "soleus", "screen"],
        input="n\n" * 10, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return env


class Tmux:
    """One tmux server of our own, one pane running an interactive bash."""

    def __init__(self, socket: Path, env: dict[str, str], size: tuple[int, int]) -> None:
        self.socket = socket
        self.base = ["tmux", "-S", str(socket), "-f", "/dev/null"]
        shell_env = {**env, "PS1": "$ "}
        command = ["bash", "--norc", "--noprofile", "-i"]
        subprocess.run(
            [*self.base, "new-session", "-d", "-x", str(size[0]), "-y", str(size[1]),
             *[f"-e{k}={v}" for k, v in shell_env.items()], *command],
            check=True, env=env,
        )  # fmt: skip

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "0", *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "0", "-l", text], check=True)
        self.keys("Enter")

    def screen(self) -> list[str]:
        out = subprocess.run(
            [*self.base, "capture-pane", "-p", "-t", "0"], capture_output=True, text=True
        )
        return out.stdout.rstrip("\n").split("\n")

    def wait(self, test: Callable[[str], bool], timeout: float = 30.0) -> list[str]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            lines = self.screen()
            if test("\n".join(lines)):
                return lines
            time.sleep(0.1)
        raise AssertionError("timed out; the screen:\n" + "\n".join(self.screen()))

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path, home: dict[str, str]) -> Iterator[Callable[[tuple[int, int]], Tmux]]:
    started: list[Tmux] = []

    def start(size: tuple[int, int]) -> Tmux:
        started.append(Tmux(tmp_path / f"tmux-{len(started)}", home, size))
        return started[-1]

    yield start
    for t in started:
        t.kill()


SESSION = f"{sys.executable} -m soleus session tiny"


def phase_of(text: str) -> str | None:
    if "PAUSED" in text:
        return "paused"
    for phase, mark in (("get_ready", "Get ready:"), ("rest", "Rest. Next"), ("work", "rep ")):
        if mark in text:
            return phase
    return None


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_key_help_is_on_screen_in_every_phase(
    tmux: Callable[[tuple[int, int]], Tmux], size: tuple[int, int]
) -> None:
    term = tmux(size)
    term.type(f"{SESSION} --quiet")
    seen: dict[str, list[str]] = {}
    end = time.monotonic() + 60
    while time.monotonic() < end:
        lines = term.screen()
        text = "\n".join(lines)
        if "Effort 0-10" in text:
            break
        phase = phase_of(text)
        if phase is not None:
            seen.setdefault(phase, lines)
            assert len(lines) == size[1], lines
            assert HELP in lines[-1] and lines[-1].startswith("╰"), (phase, lines)
            assert lines[0].startswith("╭"), (phase, lines)
            if phase == "work" and "paused" not in seen:
                term.keys("Space")  # pause, look, and go on
                shown = term.wait(lambda t: "PAUSED" in t, 5)
                assert HELP in shown[-1], shown
                seen["paused"] = shown
                term.keys("Space")
                term.wait(lambda t: "PAUSED" not in t, 5)
        time.sleep(0.1)
    assert set(seen) == {"get_ready", "work", "rest", "paused"}, sorted(seen)
    term.keys("Enter")
    term.keys("Enter")
    term.wait(lambda t: "Done. Saved." in t)


def test_ctrl_z_pauses_the_session_and_fg_gives_back_the_keys(
    tmux: Callable[[tuple[int, int]], Tmux], home: dict[str, str]
) -> None:
    term = tmux((80, 24))
    term.type(f"SOLEUS_GET_READY_S=8 {SESSION} --quiet")
    term.wait(lambda t: "Get ready:" in t and HELP in t)
    term.keys("C-z")
    stopped = term.wait(lambda t: "Stopped" in t and "$ " in t)
    assert not any(HELP in line for line in stopped)  # the shell has its screen back
    time.sleep(9)  # longer than the get-ready: a clock running on would be at work now
    term.type("fg")
    back = term.wait(lambda t: "PAUSED" in t)
    assert HELP in back[-1] and "Get ready:" in "\n".join(back), back
    term.keys("Space")  # the keys work again: it goes on from where it stopped
    term.wait(lambda t: "PAUSED" not in t and "Get ready:" in t, 5)
    term.wait(lambda t: "rep 1 of 2" in t, 12)
    term.keys("q")
    term.wait(lambda t: "Stopped. What you did is saved" in t and "$ " in t)
    term.type("stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | wc -l")
    term.wait(lambda t: t.rstrip().endswith("2\n$") or "\n2\n$" in t, 5)  # cooked again


def test_without_a_terminal_a_finished_session_ends_cleanly(home: dict[str, str]) -> None:
    env = {**home, "SOLEUS_GET_READY_S": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "soleus", "session", "tiny", "--no-speech"],
        stdin=subprocess.DEVNULL, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Aborted" not in done.stdout + done.stderr
    assert "Session done." in done.stdout and "Done. Saved." in done.stdout
    assert "2 sets done: 4 reps." in done.stdout
