"""Cue timing of the terminal player on the real clock.

Plays a plan of the `spu-bout` shape (a sustained bout at 50/min for half the time,
then 10-rep sets of soleus pushups per leg with rests) through the real
`run_player` loop: full-screen Rich view rendered into a null terminal, sound off.
For every cue it records `time.monotonic()` at onset minus the cue's scheduled
time, and prints median, p95, p99 and max in ms per run and over all runs.

Target (issue 2): cue onset within 10 ms of schedule over a 10-minute session.
    python bench/bench_player_cues.py [--minutes 10] [--runs 3] [--plain]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Sequence

from rich.console import Console

from soleus.cli.player_view import run_player
from soleus.clock import SystemClock
from soleus.domain.catalog import Catalog, Dosage, Exercise, Tempo
from soleus.domain.player import Cue, Player
from soleus.domain.routine import Block, Plan, Routine
from soleus.settings import Settings

SPU = Exercise(
    "soleus-pushup",
    "Seated soleus pushup",
    "Heel up with the forefoot down, then let it drop.",
    "seated",
    ("Sit tall, feet flat.", "Lift the heel, forefoot down.", "Let the heel drop."),
    Dosage("reps", sets=3, reps=10, tempo=Tempo(1, 0, 1, 0)),
    cue_up="heel up",
    cue_down="release",
)


def bench_plan(minutes: float) -> Plan:
    bout_s = max(1.0, minutes * 30.0)  # half the time: continuous at 50/min
    per_set = 2 * (10 * 2.0) + 5.0 + 20.0  # two legs of 10 reps at 2 s, switch, rest
    sets = max(1, min(20, round((minutes * 60.0 - bout_s) / per_set)))
    bout = Dosage("bout", seconds=bout_s, sides="alternate", rest_s=0, tempo=Tempo(0.6, 0, 0.6))
    reps = Dosage("reps", sets=sets, reps=10, rest_s=20, tempo=Tempo(1, 0, 1, 0))
    routine = Routine("bench", "Bench", (Block(SPU.id, bout), Block(SPU.id, reps)))
    return Plan.build(routine, Catalog((SPU,)))


class Onsets:
    """A cue sink that notes how late each cue sounded."""

    def __init__(self) -> None:
        self.late_ms: list[float] = []
        self.worst: tuple[float, str] = (0.0, "")

    def play(self, cues: Sequence[Cue]) -> None:
        now = time.monotonic()
        self.late_ms.extend((now - c.at) * 1000.0 for c in cues)
        self.worst = max([self.worst, *(((now - c.at) * 1000.0, c.sound) for c in cues)])

    def close(self, wait_s: float = 0.0) -> None:
        pass


def expected_cues(plan: Plan, get_ready_s: float) -> int:
    player = Player(plan, get_ready_s=get_ready_s)
    events = player.start(0.0) + player.tick(1e9)
    return sum(isinstance(e, Cue) for e in events)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def line(label: str, late: list[float], missing: int) -> str:
    return (
        f"{label}: {len(late)} cues, median {statistics.median(late):.2f} ms, "
        f"p95 {pct(late, 0.95):.2f}, p99 {pct(late, 0.99):.2f}, max {max(late):.2f} ms, "
        f"min {min(late):.2f} ms, stale (not sounded) {missing}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plain", action="store_true", help="line output, no Live view")
    args = parser.parse_args()
    settings = Settings(sound=False, speech=False, get_ready_s=3.0)
    plan = bench_plan(args.minutes)
    wanted = expected_cues(plan, settings.get_ready_s)
    print(f"plan: {len(plan.sets)} sets, ~{plan.estimated_seconds() / 60:.1f} min, {wanted} cues")
    everything: list[float] = []
    with open(os.devnull, "w") as null:
        for run in range(1, args.runs + 1):
            console = Console(file=null, force_terminal=not args.plain, width=100, height=32)
            sink = Onsets()
            outcome = run_player(
                plan, clock=SystemClock(), settings=settings, on_set=lambda r: None,
                console=console, sound=sink,
            )  # fmt: skip
            assert outcome.finished
            everything += sink.late_ms
            print(line(f"run {run}", sink.late_ms, wanted - len(sink.late_ms)), flush=True)
            print(f"  worst: {sink.worst[0]:.2f} ms on a {sink.worst[1]!r} cue", flush=True)
    print(line("all runs", everything, args.runs * wanted - len(everything)))
    print(f"target: within 10 ms; p99 {'meets' if pct(everything, 0.99) <= 10 else 'MISSES'} it")


if __name__ == "__main__":
    main()
