// Drives one Player through time: a look-ahead scheduler in the style of "A Tale of Two
// Clocks". Every wake-up (a worker tick, ~25 ms) it
//   1. moves the state machine to `now` and hands its events to the page (phase changes,
//      completed sets, spoken cues that just fell due), and
//   2. asks the machine which cues fall in the next `horizon` seconds and starts each
//      one's sound at its exact time with `start(when)` on the AudioContext clock.
// Timers only decide how early a sound gets queued; they never decide when it plays.
// Any key action first cancels the queued sounds after `now`, since the plan has changed.

const STALE_S = 0.5; // a spoken cue this late is not worth saying any more
const TICK_MS = 25;
// The session starts this far in the future, so that even its first cue ("Get ready") is
// queued ahead on the audio clock instead of racing the render thread.
const START_LEAD_S = 0.1;

export const cueKey = (cue) => `${cue.at.toFixed(4)}|${cue.sound}|${cue.text}`;

export class Driver {
  /**
   * @param {import("./machine.js").Player} player
   * @param {{audio: import("./audio.js").AudioEngine, speech: import("./speech.js").Speech,
   *          onEvents: (events: object[], now: number) => void, horizon?: number}} options
   */
  constructor(player, { audio, speech, onEvents, horizon = 1.5 }) {
    this.player = player;
    this.audio = audio;
    this.speech = speech;
    this.onEvents = onEvents;
    this.horizon = horizon;
    this.soundOn = true;
    this.scheduled = new Set();
    this.worker = null;
    this.timer = null;
    this.useAudioClock = audio.running;
    this.origin = performance.now();
    this.wakeups = 0;
    this.startAt = -Infinity;
  }

  /** Seconds on the session clock: the audio clock when sound can play, else the page's. */
  now() {
    const t = this.useAudioClock ? this.audio.now() : (performance.now() - this.origin) / 1000;
    return Math.max(t, this.startAt); // before the start the session's clock stands still
  }

  start() {
    this.startAt = this.now() + START_LEAD_S;
    const now = this.startAt;
    this.deliver(this.player.start(now), now);
    this.pump();
    try {
      this.worker = new Worker(new URL("./ticker-worker.js", import.meta.url));
      this.worker.onmessage = () => this.pump();
      this.worker.postMessage({ interval: TICK_MS });
    } catch {
      this.timer = setInterval(() => this.pump(), TICK_MS);
    }
  }

  stop() {
    if (this.worker) this.worker.terminate();
    if (this.timer) clearInterval(this.timer);
    this.worker = this.timer = null;
  }

  /** One wake-up: advance the machine, then queue the sounds of the next `horizon` s. */
  pump() {
    if (this.player.finished) return;
    this.wakeups += 1;
    const now = this.now();
    this.deliver(this.player.tick(now), now);
    this.queueAhead(now);
  }

  queueAhead(now) {
    if (!this.soundOn || !this.useAudioClock) return;
    for (const cue of this.player.upcoming(now, this.horizon)) {
      const key = cueKey(cue);
      if (!this.scheduled.has(key)) {
        this.scheduled.add(key);
        this.audio.schedule(cue.at, cue.sound, key);
      }
    }
    if (this.scheduled.size > 4000) this.forgetBefore(now - 5);
  }

  forgetBefore(t) {
    for (const key of this.scheduled) if (Number(key.split("|")[0]) < t) this.scheduled.delete(key);
  }

  /** A key action: `fn(now)` on the machine, with the queued future replaced. */
  act(name) {
    if (this.player.finished && name !== "quit") return;
    const now = this.now();
    if (this.useAudioClock) this.audio.cancelAfter(now);
    for (const key of this.scheduled) if (Number(key.split("|")[0]) > now) this.scheduled.delete(key);
    this.speech.stop();
    const events = this.player[name](now);
    this.deliver(events, now);
    this.queueAhead(now);
    if (this.player.finished) this.stop();
  }

  setSound(on) {
    this.soundOn = on;
    if (this.useAudioClock) {
      this.audio.setEnabled(on);
      if (!on) {
        const now = this.now();
        this.audio.cancelAfter(now);
        for (const key of this.scheduled) if (Number(key.split("|")[0]) > now) this.scheduled.delete(key);
      } else {
        this.queueAhead(this.now());
      }
    }
  }

  deliver(events, now) {
    if (!events.length) return;
    for (const event of events) {
      if (event.type !== "cue") continue;
      const key = cueKey(event);
      // A cue due at once (a key action, a phase that starts now) was not queued ahead.
      if (this.soundOn && this.useAudioClock && !this.scheduled.has(key) && now - event.at < STALE_S) {
        this.scheduled.add(key);
        this.audio.schedule(Math.max(event.at, this.audio.now()), event.sound, key, event.at);
      }
      if (event.speak && now - event.at < STALE_S) this.speech.say(event.text, { short: event.rep !== null });
    }
    this.onEvents(events, now);
    if (this.player.finished) this.stop();
  }
}
