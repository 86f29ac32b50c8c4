// Spoken cues through the Speech Synthesis API. Speech cannot be put on the audio clock,
// so a cue is spoken when it falls due; a newer cue cuts an unfinished one short so the
// words never drift behind the tempo. Silently absent where the browser has no voices.
export class Speech {
  constructor() {
    this.synth = "speechSynthesis" in window ? window.speechSynthesis : null;
    this.enabled = true;
    this.voice = null;
    if (this.synth) {
      const pick = () => {
        const voices = this.synth.getVoices();
        const lang = (navigator.language || "en").slice(0, 2);
        this.voice = voices.find((v) => v.lang && v.lang.startsWith(lang) && v.localService)
          || voices.find((v) => v.lang && v.lang.startsWith("en")) || null;
      };
      pick();
      this.synth.addEventListener?.("voiceschanged", pick);
    }
  }

  get available() {
    return this.synth !== null;
  }

  say(text, { short = false } = {}) {
    if (!this.synth || !this.enabled || !text) return;
    if (this.synth.speaking || this.synth.pending) this.synth.cancel();
    const u = new SpeechSynthesisUtterance(text);
    if (this.voice) u.voice = this.voice;
    u.rate = short ? 1.25 : 1.05;
    this.synth.speak(u);
  }

  stop() {
    if (this.synth) this.synth.cancel();
  }
}
