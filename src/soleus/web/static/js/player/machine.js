// The guided session as a pure state machine driven by explicit times (seconds on any
// monotonic clock; the page uses the AudioContext clock). A mirror of
// soleus/domain/player.py: the same phases, cues, results and key actions, so the
// browser and the terminal behave alike. No DOM, no clock reads, no I/O.
//
// Events (plain objects, `type` first):
//   {type:"cue", at, text, sound, speak, rep}
//   {type:"phase", at, phase, planned, duration, message}
//   {type:"set", at, result}           result: {planned, reps_done, seconds_done, skipped,
//                                                started, ended, work_seconds, interrupted}
//   {type:"finished", at, quit}
import { leadIn, sideWords, tempoAt, workCues, workDuration, paceOf } from "./cues.js";

const title = (item) => `${item.exercise.name}, ${sideWords(item.side, item.dosage.sides)}`;

export class Player {
  /**
   * @param {{sets: object[]}} plan  the API's plan (`sets` in plan order)
   * @param {object} [options]
   */
  constructor(plan, {
    getReadyS = 5, switchSideS = 5, betweenBlocksS = 10, backGraceS = 3, done = [],
  } = {}) {
    if (Math.min(getReadyS, switchSideS, betweenBlocksS, backGraceS) < 0) {
      throw new RangeError("durations must not be negative");
    }
    const skip = new Set(done);
    this.plan = plan;
    this.order = plan.sets.filter((s) => !skip.has(s.index));
    this.getReadyS = getReadyS;
    this.switchSideS = switchSideS;
    this.betweenBlocksS = betweenBlocksS;
    this.backGraceS = backGraceS;
    this.results = [];
    this.stage = null;
    this.pausedAt = null;
    this.last = -Infinity;
  }

  // -- driving ---------------------------------------------------------------------

  start(now) {
    if (this.stage) throw new Error("the player has already started");
    this.last = now;
    if (!this.order.length) {
      this.stage = stage("done", 0, now, 0, [], "Nothing left to do");
      return [{ type: "finished", at: now, quit: false }];
    }
    return [...this.leadInto(0, now, true), ...this.tick(now)];
  }

  /** The events due up to `now`, in order; moves the session forward. */
  tick(now) {
    let st = this.require(now);
    const events = [];
    if (this.pausedAt !== null) return events;
    while (st.phase !== "done") {
      const end = st.start + st.duration;
      const limit = Math.min(now, end);
      while (st.nextCue < st.cues.length && st.start + st.cues[st.nextCue].offset <= limit) {
        const c = st.cues[st.nextCue];
        events.push({ type: "cue", at: st.start + c.offset, text: c.text, sound: c.sound, speak: c.speak, rep: c.rep });
        st.nextCue += 1;
      }
      if (end > now) break;
      events.push(...this.finish(st, end));
      st = this.current;
    }
    return events;
  }

  pause(now) {
    const events = this.tick(now);
    if (this.pausedAt === null && !this.finished) this.pausedAt = now;
    return events;
  }

  resume(now) {
    this.require(now);
    if (this.pausedAt !== null) {
      this.current.start += now - this.pausedAt;
      this.pausedAt = null;
    }
    return this.tick(now);
  }

  togglePause(now) {
    return this.paused ? this.resume(now) : this.pause(now);
  }

  /** Skip the rest of this set (recording what was done), or the wait before it. */
  skip(now) {
    const events = this.tick(now);
    const st = this.current;
    if (st.phase === "done") return events;
    if (st.phase !== "work") return [...events, ...this.work(st.pos, now), ...this.tick(now)];
    const result = this.partial(st, now, false);
    return [...events, ...this.complete(result, now), ...this.tick(now)];
  }

  /** Restart the current set (after a short get-ready) or, at its start, the previous one. */
  back(now) {
    const events = this.tick(now);
    const st = this.current;
    if (st.phase === "done") return events;
    const t = this.effective(now);
    const again = st.phase === "work" && t - st.start >= this.backGraceS;
    const target = again || st.pos === 0 ? st.pos : st.pos - 1;
    const text = `Again: ${title(this.order[target])}`;
    return [...events, ...this.ready(target, now, this.getReadyS, text), ...this.tick(now)];
  }

  /** End the session; a set cut short is reported skipped and interrupted. */
  quit(now) {
    const events = this.tick(now);
    const st = this.current;
    if (st.phase === "done") return events;
    if (st.phase === "work") {
      const result = this.partial(st, now, true);
      if (result.work_seconds >= 1.0 || result.reps_done) {
        this.results.push(result);
        events.push({ type: "set", at: now, result });
      }
    }
    this.pausedAt = null;
    this.stage = stage("done", st.pos, now, 0, [], "Stopped");
    return [
      ...events,
      { type: "phase", at: now, phase: "done", planned: null, duration: 0, message: "Stopped" },
      { type: "finished", at: now, quit: true },
    ];
  }

  // -- looking ---------------------------------------------------------------------

  get finished() {
    return this.stage !== null && this.stage.phase === "done";
  }

  get paused() {
    return this.pausedAt !== null;
  }

  /** When the next cue or phase change falls due; null when paused or done. */
  nextDeadline() {
    const st = this.stage;
    if (!st || st.phase === "done" || this.paused) return null;
    const end = st.start + st.duration;
    if (st.nextCue < st.cues.length) return Math.min(end, st.start + st.cues[st.nextCue].offset);
    return end;
  }

  /** Cues due from `now` to `now + horizon` if nobody presses a key; changes nothing. */
  upcoming(now, horizon) {
    if (!this.stage || this.finished || this.paused) return [];
    const ghost = Object.create(Player.prototype);
    Object.assign(ghost, this, { stage: { ...this.stage }, results: [] });
    return ghost.tick(now + horizon).filter((e) => e.type === "cue" && e.at >= now);
  }

  /** Everything the page draws, as of `now`. */
  snapshot(now) {
    const st = this.current;
    const item = this.order.length ? this.order[st.pos] : null;
    const t = this.effective(now);
    const elapsed = Math.min(Math.max(0, t - st.start), st.duration);
    let rep = null;
    let reps = null;
    let tempo = null;
    let progress = st.duration ? elapsed / st.duration : 1;
    if (st.phase === "work" && item && item.dosage.kind !== "hold") {
      const [n, phase, p] = tempoAt(paceOf(item.dosage), elapsed);
      tempo = phase;
      progress = p;
      reps = item.target_reps;
      rep = reps === null || reps === undefined ? n + 1 : Math.min(n + 1, reps);
    }
    const nxt = st.pos + (st.phase === "work" ? 1 : 0);
    return {
      phase: st.phase,
      planned: st.phase === "done" ? null : item,
      position: Math.min(st.pos + 1, this.order.length),
      total: this.order.length,
      message: st.message,
      elapsed,
      duration: st.duration,
      secondsLeft: Math.max(0, st.duration - elapsed),
      rep,
      reps,
      tempo,
      tempoProgress: progress,
      nextUp: st.phase !== "done" && nxt < this.order.length ? this.order[nxt] : null,
      paused: this.paused,
    };
  }

  // -- inside ----------------------------------------------------------------------

  get current() {
    if (!this.stage) throw new Error("call start(now) first");
    return this.stage;
  }

  require(now) {
    const st = this.current;
    if (now < this.last) throw new RangeError(`time went back: ${now} < ${this.last}`);
    this.last = now;
    return st;
  }

  effective(now) {
    return this.pausedAt !== null ? this.pausedAt : now;
  }

  partial(st, now, interrupted) {
    const item = this.order[st.pos];
    const t = this.effective(now);
    const elapsed = Math.min(Math.max(0, t - st.start), st.duration);
    const d = item.dosage;
    let reps = d.kind === "hold" ? null : tempoAt(paceOf(d), elapsed)[0];
    if (d.kind === "reps") reps = Math.min(reps || 0, d.reps || 0);
    const seconds = d.kind === "reps" ? null : elapsed;
    return {
      planned: item, reps_done: reps, seconds_done: seconds, skipped: true,
      started: st.began, ended: now, work_seconds: elapsed, interrupted,
    };
  }

  finish(st, at) {
    if (st.phase !== "work") return this.work(st.pos, at);
    const item = this.order[st.pos];
    const d = item.dosage;
    const reps = d.kind === "reps" ? d.reps : tempoAt(paceOf(d), st.duration)[0];
    const result = {
      planned: item,
      reps_done: d.kind === "hold" ? null : reps,
      seconds_done: d.kind === "reps" ? null : st.duration,
      skipped: false, started: st.began, ended: at, work_seconds: st.duration, interrupted: false,
    };
    return this.complete(result, at);
  }

  complete(result, at) {
    this.results.push(result);
    const events = [{ type: "set", at, result }];
    const pos = this.current.pos + 1;
    if (pos >= this.order.length) {
      this.stage = stage("done", pos - 1, at, 0, [], "Well done");
      this.pausedAt = null;
      return [
        ...events,
        { type: "phase", at, phase: "done", planned: null, duration: 0, message: "Well done" },
        { type: "cue", at, text: "Well done, that's the session", sound: "finish", speak: true, rep: null },
        { type: "finished", at, quit: false },
      ];
    }
    return [...events, ...this.leadInto(pos, at, false)];
  }

  leadInto(pos, at, first) {
    const item = this.order[pos];
    const prev = first ? null : this.order[pos - 1];
    if (prev === null || prev.block !== item.block) {
      const seconds = prev === null ? this.getReadyS : Math.max(this.getReadyS, this.betweenBlocksS);
      return this.ready(pos, at, seconds, `Get ready: ${title(item)}`);
    }
    if (prev.set_number === item.set_number) {
      const text = `Switch to the ${sideWords(item.side, item.dosage.sides)}`;
      return this.begin("switch_side", pos, at, this.switchSideS, text, leadIn(this.switchSideS, text, "switch"));
    }
    const rest = prev.dosage.rest_s;
    const what = `set ${item.set_number} of ${item.dosage.sets}, ${sideWords(item.side, item.dosage.sides)}`;
    return this.begin("rest", pos, at, rest, `Rest. Next: ${what}`, leadIn(rest, `Rest. Next: ${what}`, "rest"));
  }

  ready(pos, at, seconds, text) {
    return this.begin("get_ready", pos, at, seconds, text, leadIn(seconds, text, "ready"));
  }

  work(pos, at) {
    const item = this.order[pos];
    return this.begin("work", pos, at, workDuration(item), title(item), workCues(item));
  }

  begin(phase, pos, at, duration, message, cues) {
    if (phase !== "work" && duration <= 0) return this.work(pos, at);
    this.stage = stage(phase, pos, at, duration, cues, message);
    if (this.pausedAt !== null) this.pausedAt = at; // skipped or went back while paused
    return [{ type: "phase", at, phase, planned: this.order[pos], duration, message }];
  }
}

function stage(phase, pos, at, duration, cues, message) {
  return { phase, pos, start: at, began: at, duration, cues, message, nextCue: 0 };
}
