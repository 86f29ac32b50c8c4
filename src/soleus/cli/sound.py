"""Cue sounds in the terminal: the bell, and speech through a TTS program if one exists.

Nothing here may hold up the timing loop: the bell is one byte, and speech runs in
a background process that a newer cue cuts short. With no TTS program (or no
audio device) speech is silently absent.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Callable, Sequence
from typing import IO, Protocol

from soleus.domain.player import Cue

# Sounds that ring the bell: not the bout's "tock" (two bells a second is noise).
BELL_SOUNDS = frozenset(
    {"ready", "go", "up", "top", "down", "hold", "tick", "half", "end", "switch", "rest", "finish"}
)
# Program and arguments; the text is appended as the last argument.
TTS_PROGRAMS: tuple[tuple[str, ...], ...] = (
    ("espeak-ng", "-s", "165"),
    ("espeak", "-s", "165"),
    ("spd-say", "-w"),
    ("say",),
)


class CueSink(Protocol):
    """Where the player's cues go; called with the cues of one moment, at that moment."""

    def play(self, cues: Sequence[Cue]) -> None: ...

    def close(self, wait_s: float = 0.0) -> None: ...


class Silent:
    def play(self, cues: Sequence[Cue]) -> None:
        pass

    def close(self, wait_s: float = 0.0) -> None:
        pass


def find_tts(which: Callable[[str], str | None] = shutil.which) -> tuple[str, ...] | None:
    for program, *args in TTS_PROGRAMS:
        path = which(program)
        if path:
            return (path, *args)
    return None


class TerminalSound:
    """Bell on ``out`` (a terminal) and speech in a background process."""

    def __init__(self, *, out: IO[str] | None, speech: tuple[str, ...] | None) -> None:
        self.out = out
        self.speech = speech
        self._proc: subprocess.Popen[bytes] | None = None
        self._dying: list[subprocess.Popen[bytes]] = []

    def play(self, cues: Sequence[Cue]) -> None:
        if self.out is not None and any(c.sound in BELL_SOUNDS for c in cues):
            try:
                self.out.write("\a")
                self.out.flush()
            except OSError:
                self.out = None
        words = [c.text for c in cues if c.speak]
        if self.speech and words:
            self._say(". ".join(words))

    def _say(self, text: str) -> None:
        self._stop()
        try:
            self._proc = subprocess.Popen(
                [*(self.speech or ()), text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            self.speech = None  # the program went away: stay quiet from now on

    def _stop(self) -> None:
        """Cut the current words short without waiting; reap earlier ones that ended."""
        self._dying = [p for p in self._dying if p.poll() is None]
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            self._dying.append(proc)

    def close(self, wait_s: float = 0.0) -> None:
        """Let the last words finish for up to ``wait_s``, then leave nothing running."""
        if self._proc is not None and wait_s > 0:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=wait_s)
        self._stop()
        for proc in self._dying:
            try:
                proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._dying = []


def make_sound(*, bell: bool, speech: bool, out: IO[str] | None) -> CueSink:
    """The sink for the settings: bell only on a terminal, speech only if a TTS exists."""
    tts = find_tts() if speech else None
    if not bell:
        out = None
    if out is None and tts is None:
        return Silent()
    return TerminalSound(out=out, speech=tts)
