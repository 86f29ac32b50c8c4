// The guided session as a small state machine over the schedules the plan API sends.
// Every stage of a set (its waits, its work, their cues and tempo spans) and the
// person's settings come from soleus/domain/player/schedule.py; this file only walks
// them by the rules of soleus/domain/player/machine.py (pause, skip, back, resume, quit),
// so the browser plays what the domain planned. No DOM, no clock reads, no I/O, and no
// durations or tempos of its own: times are explicit seconds on any monotonic clock.
//
// Events (plain objects, `type` first):
//   {type:"cue", at, text, sound, speak, rep}
//   {type:"phase", at, phase, planned, duration, message}
//   {type:"set", at, result}           result: {planned, reps_done, seconds_done, skipped,
//                                                started, ended, work_seconds, interrupted}
//   {type:"finished", at, quit}

// A tempo span starts this much early, as a cycle count rounds up by 1e-9 of a cycle.
const EPS = 1e-9;

/** Which wait leads into `item` when `prev` is the set before it in this run. */
export function leadInKind(prev, item) {
  if (prev === null) return "first";
  if (prev.block !== item.block) return "new_block";
  return prev.set_number === item.set_number ? "switch_side" : "rest";
}

/** Where in its tempo a set's work is `elapsed` s in: {cycles, phase, progress}, or null. */
export function tempoAt(schedule, elapsed) {
  const spans = schedule.tempo;
  if (schedule.cycles_at_end === null || !spans.length) return null;
  if (elapsed >= schedule.work.duration) {
    return { cycles: schedule.cycles_at_end, phase: spans[spans.length - 1][2], progress: 1 };
  }
  let lo = 0;
  let hi = spans.length; // the first span starting after elapsed (+EPS), as bisect_right
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid][0] <= elapsed + EPS) lo = mid + 1;
    else hi = mid;
  }
  const [start, end, phase, cycle] = spans[Math.max(0, lo - 1)];
  return { cycles: cycle, phase, progress: Math.min(1, Math.max(0, elapsed - start) / (end - start)) };
}

export class Player {
  /** @param {object} plan the plan API's JSON; `done`: plan indices already done */
  constructor(plan, { done = [] } = {}) {
    const skip = new Set(done);
    this.plan = plan;
    this.session = plan.player;
    this.settings = plan.player.settings;
    this.order = plan.sets.filter((s) => !skip.has(s.index));
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
      this.stage = stage("done", 0, now, 0, [], this.session.nothing_left);
      return [{ type: "finished", at: now, quit: false }];
    }
    return [...this.leadInto(0, now), ...this.tick(now)];
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
    return [...events, ...this.complete(this.partial(st, now, false), now), ...this.tick(now)];
  }

  /** Restart the current set (after a short get-ready) or, at its start, the previous one. */
  back(now) {
    const events = this.tick(now);
    const st = this.current;
    if (st.phase === "done") return events;
    const again = st.phase === "work" && this.effective(now) - st.start >= this.settings.back_grace_s;
    const target = again || st.pos === 0 ? st.pos : st.pos - 1;
    return [...events, ...this.begin(target, now, this.order[target].schedule.again), ...this.tick(now)];
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
    const stopped = this.session.stopped;
    this.stage = stage("done", st.pos, now, 0, [], stopped);
    return [
      ...events,
      { type: "phase", at: now, phase: "done", planned: null, duration: 0, message: stopped },
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
    const elapsed = Math.min(Math.max(0, this.effective(now) - st.start), st.duration);
    let rep = null;
    let reps = null;
    let tempo = null;
    let progress = st.duration ? elapsed / st.duration : 1;
    const at = st.phase === "work" ? tempoAt(item.schedule, elapsed) : null;
    if (at !== null) {
      tempo = at.phase;
      progress = at.progress;
      reps = item.schedule.reps;
      rep = reps === null ? at.cycles + 1 : Math.min(at.cycles + 1, reps);
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

  result(st, elapsed, now, skipped, interrupted) {
    const item = this.order[st.pos];
    const at = tempoAt(item.schedule, elapsed);
    return {
      planned: item,
      reps_done: at === null ? null : at.cycles,
      seconds_done: item.schedule.kind === "reps" ? null : elapsed,
      skipped, started: st.began, ended: now, work_seconds: elapsed, interrupted,
    };
  }

  partial(st, now, interrupted) {
    const elapsed = Math.min(Math.max(0, this.effective(now) - st.start), st.duration);
    return this.result(st, elapsed, now, true, interrupted);
  }

  finish(st, at) {
    if (st.phase !== "work") return this.work(st.pos, at);
    return this.complete(this.result(st, st.duration, at, false, false), at);
  }

  complete(result, at) {
    this.results.push(result);
    const events = [{ type: "set", at, result }];
    const pos = this.current.pos + 1;
    if (pos >= this.order.length) {
      const { finished, finish_cue: cue } = this.session;
      this.stage = stage("done", pos - 1, at, 0, [], finished);
      this.pausedAt = null;
      return [
        ...events,
        { type: "phase", at, phase: "done", planned: null, duration: 0, message: finished },
        { type: "cue", at, text: cue.text, sound: cue.sound, speak: cue.speak, rep: null },
        { type: "finished", at, quit: false },
      ];
    }
    return [...events, ...this.leadInto(pos, at)];
  }

  leadInto(pos, at) {
    const item = this.order[pos];
    const kind = leadInKind(pos ? this.order[pos - 1] : null, item);
    return this.begin(pos, at, item.schedule.lead_ins[kind]);
  }

  work(pos, at) {
    return this.begin(pos, at, this.order[pos].schedule.work);
  }

  begin(pos, at, spec) {
    if (spec.phase !== "work" && spec.duration <= 0) return this.work(pos, at);
    this.stage = stage(spec.phase, pos, at, spec.duration, spec.cues, spec.message);
    if (this.pausedAt !== null) this.pausedAt = at; // skipped or went back while paused
    return [{ type: "phase", at, phase: spec.phase, planned: this.order[pos], duration: spec.duration, message: spec.message }];
  }
}

function stage(phase, pos, at, duration, cues, message) {
  return { phase, pos, start: at, began: at, duration, cues, message, nextCue: 0 };
}
