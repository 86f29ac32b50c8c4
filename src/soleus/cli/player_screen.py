"""What the terminal player draws: one screen of the session, fitted to the terminal.

The key help sits in the panel's bottom border and the panel is exactly as high as the
screen, so the help is always on it: what does not fit is left out by priority (the
steps first, then the "Next" line and the spacing), never the border.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.align import Align
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.text import Text

from soleus.domain.player import Snapshot
from soleus.domain.player.cues import cycle_side, side_words
from soleus.domain.routine import Plan, PlannedSet

HELP = "space pause · → or s skip · ← or b back · q quit"
# The screen the player is designed for; anything smaller is cropped, help still last.
MIN_SIZE = (80, 24)

DIGITS = {
    "0": ("███", "█ █", "█ █", "█ █", "███"),
    "1": (" █ ", "██ ", " █ ", " █ ", "███"),
    "2": ("███", "  █", "███", "█  ", "███"),
    "3": ("███", "  █", " ██", "  █", "███"),
    "4": ("█ █", "█ █", "███", "  █", "  █"),
    "5": ("███", "█  ", "███", "  █", "███"),
    "6": ("███", "█  ", "███", "█ █", "███"),
    "7": ("███", "  █", " █ ", " █ ", " █ "),
    "8": ("███", "█ █", "███", "█ █", "███"),
    "9": ("███", "█ █", "███", "  █", "███"),
    ":": ("   ", " █ ", "   ", " █ ", "   "),
}
_TEMPO_WORDS = {"up": "▲ ", "top": "■ ", "down": "▼ ", "floor": "· "}
_PHASE_TITLES = {
    "get_ready": "Get ready",
    "switch_side": "Switch sides",
    "rest": "Rest",
    "work": "",
    "done": "Done",
}


def big(text: str, style: str) -> RenderableType:
    """A number five lines high, for reading from across the room.

    Centred as one block: every row keeps its trailing spaces, so a digit whose right
    column is empty in some rows (2, 5, 6 …) keeps its shape wherever it stands.
    """
    rows = [" ".join(DIGITS[c][r] for c in text if c in DIGITS) for r in range(5)]
    return Align.center(Text("\n".join(rows), style=style, no_wrap=True))


def clock_text(seconds: float) -> str:
    whole = math.ceil(seconds - 1e-6)
    return f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else str(whole)


def tempo_bar(snap: Snapshot, width: int = 32) -> Text:
    """The heel's height: rising on "up", full at the top, falling on "down"."""
    level = snap.tempo_progress if snap.tempo is None else snap.heel
    filled = round(level * width)
    return Text("█" * filled, style="green") + Text("░" * (width - filled), style="dim")


_Parts = list[tuple[int, RenderableType]]  # (place on the screen, part)


def describe_set(item: PlannedSet) -> str:
    d = item.dosage
    side = side_words(item.side, d.sides)
    return f"{item.exercise.name}, {side}, set {item.set_number} of {d.sets}: {d.describe()}"


def render(snap: Snapshot, plan: Plan, order: Sequence[PlannedSet]) -> RenderableType:
    return PlayerScreen(snap, plan)


class PlayerScreen:
    """One frame; laid out when drawn, for the height it is given (the whole screen)."""

    def __init__(self, snap: Snapshot, plan: Plan) -> None:
        self.snap = snap
        self.plan = plan

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        height = options.height or console.height
        inner = options.update(width=max(1, options.max_width - 6), height=None)

        def rows(part: RenderableType) -> int:
            return len(console.render_lines(part, inner, pad=False))

        core, spacers, extras = self._parts()
        room = height - 2 - sum(rows(p) for _, p in core)  # the two borders
        chosen = {n for n, _ in core}
        pad = 0
        for n, part in spacers:
            if rows(part) <= room:
                chosen.add(n)
                room -= 1
        for n, part in extras:  # in order, up to the first that does not fit
            need = rows(part)
            if need > room:
                break
            chosen.add(n)
            room -= need
        if room >= 2:
            pad = 1
        parts = [part for n, part in sorted(core + spacers + extras) if n in chosen]
        yield Panel(
            Group(*parts),
            title=self._title(),
            subtitle=HELP,
            padding=(pad, 2),
            height=height,
        )

    def _title(self) -> Text:
        header = Text(self.plan.routine.name, style="bold")
        item = self.snap.planned
        if item is None:
            return header
        # Steps count in the whole plan, so a resumed session goes on from "2 of 6".
        return Text.assemble(header, f"  ·  {item.index + 1} of {len(self.plan.sets)}")

    def _parts(self) -> tuple[_Parts, _Parts, _Parts]:
        """(what is always drawn, blank lines, what may be left out), each part with its
        place on the screen; the extras in the order they are given room."""
        snap, item = self.snap, self.snap.planned
        core: _Parts = []
        if snap.paused:
            core.append((0, Text("PAUSED: press space to go on", "bold yellow", justify="center")))
        if item is None:
            core.append((2, Text(snap.message, style="bold", justify="center")))
            return core, [(1, Text(""))], []
        d = item.dosage
        name = Text(item.exercise.name.upper(), style="bold cyan")
        where = f"{side_words(item.side, d.sides)} · set {item.set_number} of {d.sets}"
        name.append(f"   {where} · {d.describe()}", style="bold")
        core.append((1, name))
        spacers: _Parts = [(2, Text("")), (7, Text("")), (9, Text(""))]
        if snap.phase == "work" and snap.rep is not None and snap.reps is not None:
            if d.kind == "reps":
                count = f"rep {snap.rep} of {snap.reps}"
                core.append((4, big(str(snap.rep), "bold")))
            else:
                count = f"cycle {snap.rep} · about {snap.reps}"
                core.append((4, big(clock_text(snap.seconds_left), "bold")))
            leg = cycle_side(d.sides, snap.rep)
            if leg is not None:
                core.append((3, Text(f"{leg.upper()} LEG", "bold magenta", justify="center")))
            core.append((5, Text(count, justify="center")))
            ex = item.exercise
            word = {"up": ex.cue_up, "down": ex.cue_down}.get(
                snap.tempo or "", ex.cue_hold if snap.tempo == "top" else ""
            )
            line = Text(_TEMPO_WORDS.get(snap.tempo or "", "") + f"{word:<10}", style="bold")
            core.append((8, Text.assemble(line, tempo_bar(snap), justify="center")))
        else:
            style = "bold" if snap.phase == "work" else "bold yellow"
            phase = _PHASE_TITLES[snap.phase]
            title = snap.message if phase else item.exercise.cue_hold.capitalize()
            core.append((3, Text(title, style="bold", justify="center")))
            core.append((4, big(clock_text(snap.seconds_left), style)))
            core.append((8, Text.assemble(tempo_bar(snap), justify="center")))
        extras: _Parts = []
        if snap.next_up is not None and snap.next_up is not item:
            extras.append((20, Text(f"Next: {describe_set(snap.next_up)}", style="italic")))
        elif snap.next_up is None and snap.phase == "work":
            extras.append((20, Text("Last set: then you are done.", style="italic")))
        dim = "dim" if snap.phase == "work" else ""
        for n, step in enumerate(item.exercise.steps[:4], 1):
            extras.append((10 + n, Text(f"{n}. {step}", style=dim)))
        extras.append((15, Text("")))  # before "Next", when there is room to spare
        return core, spacers, extras
