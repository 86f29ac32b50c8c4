// AudioWorklet: find where each probe step (a ConstantSource of height = cue id) begins in
// the rendered audio, and report [id, context time of that frame] to the main thread.
// Used by bench/bench_browser_cues.py and the browser tests to measure onset error.
/* global sampleRate, currentFrame, registerProcessor, AudioWorkletProcessor */
class OnsetProbe extends AudioWorkletProcessor {
  constructor() {
    super();
    this.previous = 0;
    this.found = [];
    this.lastPost = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      for (let i = 0; i < channel.length; i++) {
        const v = Math.round(channel[i]);
        if (v !== this.previous && v > 0) this.found.push([v, (currentFrame + i) / sampleRate]);
        this.previous = v;
      }
    } else {
      this.previous = 0;
    }
    if (this.found.length && currentFrame - this.lastPost > sampleRate / 10) {
      this.port.postMessage(this.found);
      this.found = [];
      this.lastPost = currentFrame;
    }
    return true;
  }
}

registerProcessor("onset-probe", OnsetProbe);
