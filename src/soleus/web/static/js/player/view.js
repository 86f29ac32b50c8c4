// Drawing the player: text, the countdown ring and the tempo figure, from a snapshot.
// Called on every animation frame; writes to the DOM only what changed. The words of a
// set (its side, its amount) and the heel's height in each tempo phase come from the
// plan API (soleus/domain/player/schedule.py), like everything the machine plays.

const PHASE_NAMES = {
  get_ready: "Get ready", work: "Go", switch_side: "Switch side", rest: "Rest", done: "Done",
};
const $ = (id) => document.getElementById(id);

export function describeSet(item) {
  if (!item) return "";
  const { side_text: side, amount } = item.schedule;
  return `${item.exercise.name}, ${side}: set ${item.set_number} of ${item.dosage.sets}, ${amount}`;
}

/**
 * The line under the figure: what comes after the set on screen. During a wait (get
 * ready, switch side, rest) the set on screen is the one about to start, and the
 * snapshot's `nextUp` is that same set (as in domain/player.py), so look one further.
 * "Then" there, because a rest's own message already says "Next: <this set>".
 */
export function nextLine(s, order) {
  if (s.phase === "done" || !s.planned) return "";
  const working = s.phase === "work";
  const i = order.indexOf(s.planned);
  const after = working || i < 0 ? s.nextUp : order[i + 1] ?? null;
  const label = working ? "Next" : "Then";
  return after ? `${label}: ${describeSet(after)}` : `${label}: the end of the session`;
}

/**
 * The cue in big letters: short cues (rep words, "Halfway", "Go") only. The countdown
 * numbers are left out: the seconds left are already on screen, in the ring or as the
 * big count, so "3" would show twice.
 */
export function cueShown(cue) {
  return cue && cue.sound !== "count" && cue.text.length <= 16 ? cue.text : "";
}

/**
 * "LEFT LEG" / "RIGHT LEG" while the legs take turns: the leg of the cycle under way,
 * from the plan's `cycle_sides` (domain/player/cues.cycle_side), as the terminal shows it.
 */
export function legShown(s) {
  const sides = s.planned ? s.planned.schedule.cycle_sides : [];
  if (s.phase !== "work" || s.tempo === null || !sides.length || !(s.rep >= 1)) return "";
  return `${sides[(s.rep - 1) % sides.length].toUpperCase()} LEG`;
}

export class View {
  constructor({ reducedMotion }) {
    this.reducedMotion = reducedMotion;
    this.order = []; // the player's sets in the order they come (player.order)
    this.planned = 0; // sets in the whole plan: a resume goes on from "3 of 6", not "1 of 4"
    this.heel = {}; // tempo phase -> [height at its start, at its end], from the plan
    this.last = {};
    this.el = {
      phase: $("p-phase"), position: $("p-position"), exercise: $("p-exercise"), side: $("p-side"),
      set: $("p-set"), ring: $("p-ring"), ringBar: $("p-ring-bar"), ringText: $("p-ring-text"),
      tempo: $("p-tempo"), fill: $("p-fill"), foot: $("p-foot"), heel: $("p-heel"), shin: $("p-shin"),
      count: $("p-count"), leg: $("p-leg"), rep: $("p-rep"), cue: $("p-cue"), next: $("p-next"), paused: $("p-paused"),
      timer: $("p-timer"),
      pause: $("p-pause"), stage: $("p-stage"),
    };
  }

  text(name, value) {
    if (this.last[name] !== value) {
      this.last[name] = value;
      this.el[name].textContent = value;
    }
  }

  toggle(name, hidden) {
    const key = `hidden:${name}`;
    if (this.last[key] !== hidden) {
      this.last[key] = hidden;
      // toggleAttribute: SVG elements have no `hidden` property, only the attribute.
      this.el[name].toggleAttribute("hidden", hidden);
    }
  }

  /** @param {ReturnType<import("./machine.js").Player["snapshot"]>} s */
  draw(s, cue) {
    const item = s.planned;
    this.text("phase", s.paused ? "Paused" : PHASE_NAMES[s.phase] || s.phase);
    if (this.last.phaseClass !== s.phase) {
      this.el.stage.dataset.phase = s.phase;
      this.last.phaseClass = s.phase;
    }
    this.el.stage.classList.toggle("is-paused", s.paused);
    const whole = item && this.planned;
    this.text("position", whole ? `${item.index + 1} of ${this.planned}` : s.total ? `${s.position} of ${s.total}` : "");
    this.text("exercise", item ? item.exercise.name : s.message);
    this.text("side", item ? item.schedule.side_text.toUpperCase() : "");
    this.el.side.dataset.side = item ? item.side : "";
    this.text("set", item ? `Set ${item.set_number} of ${item.dosage.sets} · ${item.schedule.amount}` : "");
    this.toggle("paused", !s.paused);
    this.text("pause", s.paused ? "Resume" : "Pause");

    const isTempo = s.tempo !== null;
    this.toggle("tempo", !isTempo);
    this.toggle("ring", isTempo);
    const left = Math.ceil(s.secondsLeft - 1e-6);
    // The timer (for screen readers) holds the seconds left of what is on screen, in
    // every phase; the big count is the rep, and the ring shows the same seconds.
    this.text("timer", s.phase === "done" ? "" : fmtClock(left));
    if (isTempo) {
      this.drawTempo(s);
      this.text("count", `${s.rep}`); // the rep, or the bout's cycle (its time is below)
      this.text("rep", item.schedule.kind === "reps" ? `rep ${s.rep} of ${s.reps}` : `cycle ${s.rep} · ${fmtClock(left)} left`);
    } else {
      this.drawRing(s, left);
      this.text("count", "");
      this.text("rep", s.phase === "work" ? `hold · ${fmtClock(left)} left` : s.message);
    }
    const leg = legShown(s);
    this.text("leg", leg);
    this.toggle("leg", !leg);
    // The long announcements are already on screen as the message.
    this.text("cue", cueShown(cue));
    this.text("next", nextLine(s, this.order));
  }

  drawRing(s, left) {
    const fraction = s.duration ? s.secondsLeft / s.duration : 0;
    // Reduced motion: the ring moves in whole seconds instead of gliding.
    const shown = this.reducedMotion && s.duration ? Math.ceil(s.secondsLeft) / s.duration : fraction;
    const offset = String(Math.round((1 - Math.min(1, shown)) * 1000));
    if (this.last.ringOffset !== offset) {
      this.last.ringOffset = offset;
      this.el.ringBar.setAttribute("stroke-dashoffset", offset);
    }
    this.text("ringText", fmtClock(left));
  }

  drawTempo(s) {
    const [from, to] = this.heel[s.tempo];
    // Reduced motion: jump to where the phase ends, no glide.
    const h = this.reducedMotion ? to : from + (to - from) * easeInOut(s.tempoProgress);
    this.el.tempo.dataset.tempo = s.tempo;
    const key = h.toFixed(3);
    if (this.last.height === key) return;
    this.last.height = key;
    poseFoot(this.el, h);
    const height = 160 * h;
    this.el.fill.setAttribute("y", (190 - height).toFixed(1));
    this.el.fill.setAttribute("height", height.toFixed(1));
  }
}

const PIVOT = [172, 186];

function rotate([x, y], degrees) {
  const r = (degrees * Math.PI) / 180;
  const dx = x - PIVOT[0];
  const dy = y - PIVOT[1];
  return [PIVOT[0] + dx * Math.cos(r) - dy * Math.sin(r), PIVOT[1] + dx * Math.sin(r) + dy * Math.cos(r)];
}

/**
 * The figure's foot at heel height `h` (0 on the floor, 1 at the top): the foot pivots on
 * the ball (PIVOT), the heel rises, the forefoot stays down, the shin rides up with the
 * ankle. `el` holds the figure's foot, heel and shin (the player's, the builder's preview).
 */
export function poseFoot(el, h) {
  const angle = 18 * h;
  el.foot.setAttribute("transform", `rotate(${angle.toFixed(2)} ${PIVOT[0]} ${PIVOT[1]})`);
  const [hx, hy] = rotate([44, 186], angle);
  const [, ay] = rotate([62, 152], angle);
  el.heel.setAttribute("cx", hx.toFixed(1));
  el.heel.setAttribute("cy", hy.toFixed(1));
  el.shin.setAttribute("transform", `translate(0 ${(ay - 152).toFixed(1)})`);
}

export function easeInOut(t) {
  return t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
}

export function fmtClock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}` : String(s);
}
