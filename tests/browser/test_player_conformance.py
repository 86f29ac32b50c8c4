"""The browser plays what the domain plans: the Python player and the page's machine.js,
fed the plan API's JSON (schedules and settings), agree on every event and on what is
drawn at sampled instants, for every built-in routine and for generated ones, with the
settings varied and with and without key presses. Time is explicit in both: the pure
machines take ``now``, and the page's scheduler runs on a fake audio clock."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tests.browser.browser_helpers import App, pass_screen_and_open

from soleus.content import load_catalog, load_routines
from soleus.domain.catalog import Catalog, Dosage, DoseKind, Tempo
from soleus.domain.player import (
    Cue,
    Event,
    PhaseStarted,
    Player,
    PlayerSettings,
    SessionFinished,
    SetCompleted,
    Snapshot,
    cycle_side,
    side_words,
)
from soleus.domain.routine import Block, Plan, Routine
from soleus.services.sessions.player import player_settings
from soleus.settings import Settings
from soleus.web import serialize as out

pytestmark = pytest.mark.browser

# (time, action) pressed in both machines; ticks in between move them on.
KEYS = [(3.2, "pause"), (7.0, "resume"), (12.5, "skip"), (20.2, "back"), (31.0, "skip")]
MORE_KEYS = [(1.0, "skip"), (2.5, "back"), (4.0, "pause"), (4.5, "skip"), (6.0, "resume")]
MORE_KEYS += [(9.9, "back"), (10.0, "back"), (15.5, "skip"), (16.0, "skip"), (40.0, "quit")]
VARIANTS = [  # get ready, sound, speech, keys
    (5.0, True, True, []),
    (0.0, False, True, KEYS),
    (2.0, True, False, MORE_KEYS),
    (15.0, False, False, KEYS),
]


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def event_row(e: Event) -> list[Any]:
    if isinstance(e, Cue):
        return ["cue", _r(e.at), e.text, e.sound, e.speak, e.rep]
    if isinstance(e, PhaseStarted):
        index = e.planned.index if e.planned else None
        return ["phase", _r(e.at), e.phase, index, _r(e.duration), e.message]
    if isinstance(e, SetCompleted):
        r = e.result
        return ["set", _r(e.at), r.index, r.reps_done, _r(r.seconds_done), r.skipped, r.interrupted]
    assert isinstance(e, SessionFinished)
    return ["finished", _r(e.at), e.quit]


def drawn_row(t: float, s: Snapshot) -> list[Any]:
    """What the page should show: phase, paused, position, side, set k/n, rep k/n,
    seconds left (where shown: the ring, or a bout's or hold's clock), tempo phase, and
    the leg of an alternating cycle (as the terminal shows it)."""
    item = s.planned
    reps_kind = item is not None and item.dosage.kind == "reps"
    rep = None
    if s.tempo is not None:
        rep = [s.rep, s.reps] if reps_kind else [s.rep, None]
    shown_left = None if s.tempo is not None and reps_kind else math.ceil(s.seconds_left - 1e-6)
    leg = None
    if item is not None and s.phase == "work" and s.tempo is not None and s.rep is not None:
        leg = cycle_side(item.dosage.sides, s.rep)
    return [
        round(t, 3),
        s.phase,
        s.paused,
        f"{s.position} of {s.total}" if s.total else "",
        side_words(item.side, item.dosage.sides).upper() if item else "",
        [item.set_number, item.dosage.sets] if item else None,
        rep,
        shown_left,
        s.tempo,
        f"{leg.upper()} LEG" if leg else "",
    ]


def samples_for(keys: list[tuple[float, str]]) -> list[float]:
    """Instants to look at: densely over the first minutes, then sparsely."""
    dense = [round(0.37 * i, 3) for i in range(int(75 / 0.37))]
    return dense + [round(75 + 3.1 * i, 3) for i in range(400)]


def python_run(
    plan: Plan, player: PlayerSettings, keys: list[tuple[float, str]], samples: list[float]
) -> dict[str, list[Any]]:
    p = Player(plan, settings=player)
    events: list[Event] = list(p.start(0.0))
    drawn: list[list[Any]] = []
    steps = [(t, 1, "look") for t in samples] + [(t, 0, a) for t, a in keys]
    steps.sort(key=lambda step: step[:2])
    for t, _, what in steps:
        events += p.tick(t)
        if what == "look":
            drawn.append(drawn_row(t, p.snapshot(t)))
        else:
            events += getattr(p, what)(t)
    events += p.tick(1e6)
    return {"events": [event_row(e) for e in events], "drawn": drawn}


JS_RUN = """async ([plan, keys, samples]) => {
  const { Player } = await import("/static/js/player/machine.js");
  const { View } = await import("/static/js/player/view.js");
  const r = (x) => (x === null || x === undefined ? null : Math.round(x * 1e6) / 1e6);
  const $ = (id) => document.getElementById(id);
  const player = new Player(plan);
  const view = new View({ reducedMotion: false });
  view.order = player.order;
  view.heel = plan.player.heel;
  const clock = (text) => text.split(":").reduce((a, b) => a * 60 + Number(b), 0);
  const look = (t) => {
    view.draw(player.snapshot(t), null);
    const tempoShown = !$("p-tempo").hasAttribute("hidden");
    const setText = $("p-set").textContent.match(/^Set (\\d+) of (\\d+)/);
    const repText = $("p-rep").textContent;
    let rep = null;
    let left = null;
    if (tempoShown) {
      const m = repText.match(/^rep (\\d+) of (\\d+)$/);
      const c = repText.match(/^cycle (\\d+) · ([\\d:]+) left$/);
      rep = m ? [Number(m[1]), Number(m[2])] : [Number(c[1]), null];
      if (c) left = clock(c[2]);
      const big = $("p-count").textContent;
      if (Number(big) !== rep[0]) rep = ["the big count differs", big];
    } else {
      left = clock($("p-ring-text").textContent);
    }
    return [Math.round(t * 1000) / 1000, $("p-stage").dataset.phase,
            !$("p-paused").hasAttribute("hidden"),
            $("p-position").textContent, $("p-side").textContent,
            setText ? [Number(setText[1]), Number(setText[2])] : null, rep, left,
            tempoShown ? $("p-tempo").dataset.tempo : null,
            $("p-leg").hasAttribute("hidden") ? "" : $("p-leg").textContent];
  };
  const events = player.start(0);
  const drawn = [];
  const steps = [...samples.map((t) => [t, 1, "look"]), ...keys.map(([t, a]) => [t, 0, a])]
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [t, , what] of steps) {
    events.push(...player.tick(t));
    if (what === "look") drawn.push(look(t));
    else events.push(...player[what](t));
  }
  events.push(...player.tick(1e6));
  const rows = events.map((e) => {
    if (e.type === "cue") return ["cue", r(e.at), e.text, e.sound, e.speak, e.rep];
    if (e.type === "phase") return ["phase", r(e.at), e.phase, e.planned ? e.planned.index : null,
                                    r(e.duration), e.message];
    if (e.type === "set") return ["set", r(e.at), e.result.planned.index, e.result.reps_done,
                                  r(e.result.seconds_done), e.result.skipped, e.result.interrupted];
    return ["finished", r(e.at), e.quit];
  });
  return { events: rows, drawn };
}"""

# The page's look-ahead scheduler on a fake audio clock, with a recording speech synth:
# which sounds it queues (and keeps) and which words it speaks.
JS_DRIVER = """async ([plan, keys, step]) => {
  const { Player } = await import("/static/js/player/machine.js");
  const { Driver } = await import("/static/js/player/scheduler.js");
  const { Speech } = await import("/static/js/player/speech.js");
  const { sound, speech: speak } = plan.player.settings;
  const audio = {
    t: 0, running: true, records: [],
    now() { return this.t; },
    schedule(when, name, key, planned = when) { this.records.push({ when, name, planned }); },
    cancelAfter(t) { for (const r of this.records) if (r.when > t) r.cancelled = true; },
    setEnabled() {},
  };
  const spoken = [];
  const speech = new Speech();
  speech.synth = {
    speaking: false, pending: false, cancel() {}, speak(u) { spoken.push(u.text); },
  };
  speech.enabled = speak;
  const player = new Player(plan);
  const driver = new Driver(player, { audio, speech, onEvents: () => {} });
  driver.setSound(sound);
  driver.start();
  driver.stop(); // no worker: this test moves the clock itself
  const startAt = driver.startAt;
  const presses = keys.map(([t, a]) => [startAt + t, a]);
  while (!player.finished && audio.t < startAt + 4000) {
    audio.t += step;
    while (presses.length && presses[0][0] <= audio.t) {
      const [at, action] = presses.shift();
      const now = audio.t;
      audio.t = Math.max(at, startAt);
      driver.act(action);
      audio.t = now;
    }
    driver.pump();
  }
  const kept = audio.records.filter((r) => !r.cancelled)
    .map((r) => [Math.round(r.planned * 1e4) / 1e4, r.name]);
  return { startAt, sounds: kept, spoken };
}"""


def plan_json(plan: Plan, person: Settings) -> Any:
    return json.loads(bytes(out.Json(out.plan(plan, person)).body))


def compare(page: Any, plan: Plan, person: Settings, keys: list[Any], label: str) -> None:
    data = plan_json(plan, person)
    samples = samples_for(keys)
    expected = python_run(plan, player_settings(person), keys, samples)
    got = page.evaluate(JS_RUN, [data, keys, samples])
    if label == "spu-bout" and not keys:  # legs in turn: the leg is shown, and it changes
        legs = {row[-1] for row in got["drawn"]}
        assert {"LEFT LEG", "RIGHT LEG"} <= legs, f"{label}: legs shown {legs}"
    for kind in ("events", "drawn"):
        assert len(got[kind]) == len(expected[kind]), f"{label}: {kind} count"
        for i, (a, b) in enumerate(zip(got[kind], expected[kind], strict=True)):
            assert a == b, f"{label}: {kind} {i} differs: JS {a} vs Python {b}"

    # What the page sounds and says: every cue on the audio clock (sound on), the
    # spoken ones through speechSynthesis (speech on), and nothing when switched off.
    driven = page.evaluate(JS_DRIVER, [data, keys, 0.02])
    t0 = driven["startAt"]
    p = Player(plan, settings=player_settings(person))
    events: list[Event] = list(p.start(t0))
    for at, action in keys:
        events += p.tick(t0 + at) + getattr(p, action)(t0 + at)
    cues = [e for e in events + p.tick(1e6) if isinstance(e, Cue)]
    sounds = sorted([round(c.at, 4), c.sound] for c in cues) if person.sound else []
    assert sorted(driven["sounds"]) == sounds, f"{label}: sounds"
    spoken = [c.text for c in cues if c.speak] if person.speech else []
    assert driven["spoken"] == spoken, f"{label}: speech"


def test_the_plan_api_sends_the_domains_schedules_and_settings(app: App) -> None:
    catalog = load_catalog(app.config_dir)
    routines = load_routines(app.config_dir, catalog)
    person = Settings.load(app.env)
    for routine_id in routines:
        sent = app.get(f"/api/routines/{routine_id}/plan?as_written=1")
        sent.pop("advice")
        assert sent == plan_json(Plan.build(routines[routine_id], catalog), person), routine_id


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"ready{v[0]:g}-keys{len(v[3])}")
def test_every_routine_plays_and_draws_alike(app: App, page: Any, variant: tuple[Any, ...]) -> None:
    ready, sound, speech, keys = variant
    catalog = load_catalog(app.config_dir)
    routines = load_routines(app.config_dir, catalog)
    person = Settings(get_ready_s=ready, sound=sound, speech=speech)
    pass_screen_and_open(page, app, "/player?routine=quick-desk")
    for routine_id in routines:
        compare(page, Plan.build(routines[routine_id], catalog), person, keys, routine_id)


tenths = st.integers(0, 15).map(lambda n: n / 10)


@st.composite
def dosages(draw: st.DrawFn) -> Dosage:
    kinds: list[DoseKind] = ["reps", "hold", "bout"]
    kind = draw(st.sampled_from(kinds))
    sides = draw(st.sampled_from(["each", "both"] + ([] if kind == "hold" else ["alternate"])))
    common: dict[str, Any] = {
        "sets": draw(st.integers(1, 2)),
        "sides": sides,
        "rest_s": draw(st.sampled_from([0.0, 1.0, 2.5, 12.0])),
    }
    tempo = None
    if kind != "hold" and draw(st.booleans()):
        up, top, down, floor = (draw(tenths) for _ in range(4))
        tempo = Tempo(up + (0.5 if up + top + down + floor < 0.3 else 0), top, down, floor)
    if kind == "reps":
        return Dosage("reps", reps=draw(st.integers(1, 4)), tempo=tempo, **common)
    seconds = draw(st.sampled_from([1.0, 2.0, 3.5, 11.0, 61.0, 125.0]))
    return Dosage(kind, seconds=seconds, tempo=tempo, **common)


@st.composite
def routines(draw: st.DrawFn, catalog: Catalog) -> Routine:
    names = [e.id for e in catalog.exercises]
    blocks = tuple(
        Block(draw(st.sampled_from(names)), draw(st.none() | dosages()))
        for _ in range(draw(st.integers(1, 3)))
    )
    return Routine("generated", "Generated", blocks)


press_lists = st.lists(
    st.tuples(
        (st.integers(0, 8_000) | st.integers(0, 40_000)).map(lambda ms: ms / 1000),
        st.sampled_from(["pause", "resume", "skip", "back", "quit"]),
    ),
    max_size=8,
).map(sorted)
PEOPLE = st.builds(
    lambda ready, sound, speech: Settings(get_ready_s=ready, sound=sound, speech=speech),
    st.integers(0, 15).map(float),
    st.booleans(),
    st.booleans(),
)


def test_generated_routines_play_and_draw_alike(app: App, page: Any) -> None:
    catalog = load_catalog(app.config_dir)
    pass_screen_and_open(page, app, "/player?routine=quick-desk")

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # a browser round trip per try: no shrinking
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(routines(catalog), PEOPLE, press_lists)
    def check(routine: Routine, person: Settings, keys: list[Any]) -> None:
        compare(page, Plan.build(routine, catalog), person, keys, repr((routine, person, keys)))

    check()
