// What the player says and when, within one phase: offsets from the phase start.
// A line-by-line mirror of soleus/domain/cues.py (the terminal player's rules), so the
// browser and the terminal cue the same words at the same offsets.

/** A phase shorter than this gets a sound but no speech: a word would not fit in it. */
export const MIN_SPOKEN_PHASE_S = 0.8;
/** Countdown numbers need this much room after the phase's opening words. */
const COUNTDOWN_CLEARANCE_S = 1.5;

/** @typedef {{offset:number,text:string,sound:string,speak:boolean,rep:number|null}} CueSpec */

/** @returns {CueSpec} */
export function spec(offset, text, sound, speak = true, rep = null) {
  return { offset, text, sound, speak, rep };
}

export function cycleOf(tempo) {
  return tempo.up + tempo.top + tempo.down + tempo.floor;
}

/** The tempo of a reps or bout dosage; the API always sends it, this mirrors Dosage.pace. */
export function paceOf(dosage) {
  if (dosage.tempo) return dosage.tempo;
  if (dosage.kind === "bout") return { up: 0.6, top: 0, down: 0.6, floor: 0 };
  return { up: 1, top: 0, down: 1, floor: 0 };
}

export function perMinute(tempo) {
  return 60 / cycleOf(tempo);
}

export function sideWords(side, sides) {
  if (side === "both") return sides === "alternate" ? "alternate legs" : "both legs";
  return `${side} leg`;
}

/** Python's format(x, "g") for the numbers we show (seconds, at most a few decimals). */
export function fmtG(x) {
  return String(Number(x.toPrecision(6)));
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}

/** Say "3", "2", "1" in the last three seconds, where they leave room after the opening. */
export function countdown(duration, sound = "count") {
  return [3, 2, 1]
    .filter((n) => duration - n >= COUNTDOWN_CLEARANCE_S)
    .map((n) => spec(duration - n, String(n), sound));
}

/** Get ready, switch side or rest: one announcement, then a countdown. */
export function leadIn(duration, text, sound) {
  return [spec(0, text, sound), ...countdown(duration)];
}

/** [0-based cycle, phase within the cycle, progress of that phase 0..1] at `elapsed`. */
export function tempoAt(tempo, elapsed) {
  const cycle = cycleOf(tempo);
  const n = Math.floor(elapsed / cycle + 1e-9);
  let within = Math.max(0, elapsed - n * cycle);
  for (const name of ["up", "top", "down", "floor"]) {
    const length = tempo[name];
    if (within < length) return [n, name, within / length];
    within -= length;
  }
  return [n + 1, "up", 0];
}

export function workDuration(item) {
  const d = item.dosage;
  if (d.kind === "reps") return (d.reps || 0) * cycleOf(paceOf(d));
  return Number(d.seconds || 0);
}

function byOffset(cues) {
  // Array.prototype.sort is stable, like Python's sorted().
  return cues.sort((a, b) => a.offset - b.offset);
}

function clamped(cues, duration) {
  return cues.map((c) => (c.offset <= duration ? c : { ...c, offset: duration }));
}

/** Every cue of one set on one side, in order of offset. */
export function workCues(item) {
  const d = item.dosage;
  const ex = item.exercise;
  const duration = workDuration(item);
  const pace = paceOf(d);
  if (d.kind === "reps") {
    return byOffset(clamped(repCues(pace, d.reps || 0, ex.cue_up, ex.cue_hold, ex.cue_down), duration));
  }
  const cues = [];
  if (d.kind === "hold") {
    cues.push(spec(0, `${capitalize(ex.cue_hold)} ${fmtG(duration)} seconds`, "hold"));
  } else {
    cues.push(spec(0, `Go, ${perMinute(pace).toFixed(0)} a minute`, "go", true, 1));
    cues.push(...metronome(pace, duration, ex.cue_up, ex.cue_down));
    for (let m = 1; m <= Math.floor(duration / 60); m++) {
      if (60 * m < duration - 10) cues.push(spec(60 * m, `${m} minute${m > 1 ? "s" : ""}`, "half"));
    }
  }
  if (duration >= 10 && !(d.kind === "bout" && duration >= 120)) {
    cues.push(spec(duration / 2, "Halfway", "half"));
  }
  cues.push(...countdown(duration));
  cues.push(spec(duration, "Done", "end"));
  return byOffset(clamped(cues, duration));
}

function repCues(tempo, reps, up, top, down) {
  const cues = [];
  const cycle = cycleOf(tempo);
  for (let r = 0; r < reps; r++) {
    let t = r * cycle;
    cues.push(spec(t, up, "up", tempo.up >= MIN_SPOKEN_PHASE_S, r + 1));
    t += tempo.up;
    if (tempo.top >= 1.0) cues.push(spec(t, top, "top", tempo.top >= MIN_SPOKEN_PHASE_S, r + 1));
    t += tempo.top;
    if (tempo.down > 0) cues.push(spec(t, down, "down", tempo.down >= MIN_SPOKEN_PHASE_S, r + 1));
  }
  cues.push(spec(reps * cycle, "Done", "end"));
  return cues;
}

/** A tick at each cycle start and a tock at each release, silent words (too fast). */
function metronome(tempo, duration, up, down) {
  const cues = [];
  const cycle = cycleOf(tempo);
  for (let r = 0; ; r++) {
    const t = r * cycle;
    if (t >= duration - 1e-9) break;
    if (r) cues.push(spec(t, up, "tick", false, r + 1));
    const release = t + tempo.up + tempo.top;
    if (release < duration - 1e-9 && tempo.down > 0) cues.push(spec(release, down, "tock", false, r + 1));
  }
  return cues;
}
