// Cue sounds through the Web Audio API, started at exact AudioContext times.
//
// Nothing here decides *when*: the look-ahead scheduler (scheduler.js) calls
// `schedule(when, sound, id)` a second or two ahead with `when` on this context's clock,
// and the oscillator is started with `start(when)`, so the onset is sample-accurate
// however late the main thread runs. Every call is recorded (`records`) so the bench and
// the tests can compare the planned time with the time the call was made and, with the
// onset probe on, with the frame at which the sound really began in the rendered output.

/** Pitch (Hz), length (s) and level of each cue sound; two-note sounds list both notes. */
const VOICES = {
  ready: [[660, 0.18, 0.5]],
  count: [[880, 0.09, 0.45]],
  go: [[988, 0.12, 0.55], [1319, 0.16, 0.55, 0.12]],
  up: [[784, 0.12, 0.55]],
  top: [[988, 0.08, 0.35]],
  down: [[523, 0.14, 0.5]],
  hold: [[659, 0.25, 0.5]],
  tick: [[1568, 0.035, 0.45]],
  tock: [[1047, 0.035, 0.35]],
  half: [[740, 0.1, 0.45], [740, 0.1, 0.45, 0.15]],
  end: [[1047, 0.12, 0.55], [784, 0.22, 0.55, 0.12]],
  switch: [[587, 0.12, 0.5], [880, 0.18, 0.5, 0.14]],
  rest: [[440, 0.3, 0.4]],
  finish: [[523, 0.14, 0.5], [659, 0.14, 0.5, 0.14], [784, 0.3, 0.5, 0.28]],
};

export class AudioEngine {
  constructor({ probe = false } = {}) {
    this.ctx = null;
    this.master = null;
    this.enabled = true;
    this.probe = probe;
    this.probeNode = null;
    this.probeBus = null;
    this.records = [];
    this.onsets = new Map(); // id -> rendered onset time (s, context clock)
    this.live = new Set(); // nodes started and possibly not yet finished
    this.seq = 0;
    this.lastProbe = null;
  }

  /** Create (or wake) the context; call from a user gesture (autoplay rules). */
  async open() {
    if (!this.ctx) {
      const Ctor = window.AudioContext || window.webkitAudioContext;
      if (!Ctor) return false;
      this.ctx = new Ctor({ latencyHint: "interactive" });
      this.master = this.ctx.createGain();
      this.master.gain.value = this.enabled ? 1 : 0;
      this.master.connect(this.ctx.destination);
      if (this.probe) await this.attachProbe();
    }
    if (this.ctx.state !== "running") {
      try {
        await Promise.race([this.ctx.resume(), new Promise((r) => setTimeout(r, 1500))]);
      } catch {
        /* no audio device: the session runs on the page clock instead */
      }
    }
    return this.running;
  }

  get running() {
    return Boolean(this.ctx) && this.ctx.state === "running";
  }

  /** Seconds on the audio clock. */
  now() {
    return this.ctx.currentTime;
  }

  setEnabled(on) {
    this.enabled = on;
    if (this.master) this.master.gain.setTargetAtTime(on ? 1 : 0, this.ctx.currentTime, 0.01);
  }

  /**
   * Start `sound` at `when` (context seconds); `planned` is the plan's time when the
   * call comes late and `when` had to be moved to now. Returns the record of the call
   * (`lead` < 0: the call came after the planned time).
   */
  schedule(when, sound, key, planned = when) {
    const ctx = this.ctx;
    const called = ctx.currentTime;
    const id = ++this.seq;
    const record = { id, key, sound, when, planned, called, lead: planned - called };
    this.records.push(record);
    if (this.records.length > 20000) this.records.splice(0, 10000);
    const nodes = [];
    for (const [freq, length, level, delay = 0] of VOICES[sound] || VOICES.count) {
      const at = when + delay;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(level, at + 0.004);
      gain.gain.setValueAtTime(level, at + length * 0.6);
      gain.gain.exponentialRampToValueAtTime(0.0005, at + length);
      osc.connect(gain).connect(this.master);
      osc.start(at);
      osc.stop(at + length + 0.02);
      nodes.push(osc);
    }
    if (this.probeBus && this.lastProbe && Math.abs(when - this.lastProbe.when) < 0.012) {
      record.probe = this.lastProbe.id; // same moment as the previous cue: share its step
    } else if (this.probeBus) {
      record.probe = id;
      this.lastProbe = { when, id };
      // A step of height `id` on a silent side bus, started by the same clock at the same
      // `when`: the probe worklet reports the frame where it appears in the rendered output.
      const step = ctx.createConstantSource();
      step.offset.value = id;
      step.connect(this.probeBus);
      step.start(when);
      step.stop(when + 0.01);
      nodes.push(step);
    }
    const handle = { when, nodes, record };
    this.live.add(handle);
    nodes[0].onended = () => this.live.delete(handle);
    return record;
  }

  /**
   * Silence every sound due after `t` (pause, skip, back, quit). A sound due at `t`
   * itself stays: the machine has already given out its cue, as the terminal plays it.
   */
  cancelAfter(t) {
    for (const handle of [...this.live]) {
      if (handle.when > t) {
        for (const node of handle.nodes) {
          try {
            node.stop();
            node.disconnect();
          } catch {
            /* already stopped */
          }
        }
        handle.record.cancelled = true;
        this.live.delete(handle);
      }
    }
  }

  async attachProbe() {
    const ctx = this.ctx;
    if (!ctx.audioWorklet) return;
    await ctx.audioWorklet.addModule(new URL("./onset-probe.js", import.meta.url));
    this.probeNode = new AudioWorkletNode(ctx, "onset-probe", { numberOfOutputs: 1, outputChannelCount: [1] });
    this.probeBus = ctx.createGain();
    this.probeBus.connect(this.probeNode);
    // The worklet must be pulled by the graph to run: connect it through a muted gain.
    const mute = ctx.createGain();
    mute.gain.value = 0;
    this.probeNode.connect(mute).connect(ctx.destination);
    this.probeNode.port.onmessage = (event) => {
      for (const [id, time] of event.data) this.onsets.set(id, time);
    };
  }

  /** Records joined with the rendered onsets (probe on), for the bench and tests. */
  report() {
    return this.records.map((r) => ({ ...r, onset: this.onsets.has(r.probe) ? this.onsets.get(r.probe) : null }));
  }

  async close() {
    if (this.ctx) await this.ctx.close().catch(() => {});
  }
}
