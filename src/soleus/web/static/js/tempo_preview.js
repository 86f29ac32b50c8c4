// The builders' dosage fields (routine blocks and the exercise builder): show the kind's
// fields, the sliders' seconds, and one repetition of the tempo on the heel preview,
// drawn with the player's own poseFoot.

import { easeInOut, poseFoot } from "./player/view.js";

const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

export function showKind(block) {
  const kind = block.querySelector('[data-field="kind"]').value;
  block.dataset.kind = kind;
  for (const el of block.querySelectorAll("[data-kind-only]")) el.hidden = el.dataset.kindOnly !== kind;
}

export function showSlider(input) {
  const out = input.closest(".slider").querySelector("output");
  out.textContent = `${Number(input.value).toFixed(1)} s`;
}

const PHASES = ["up", "top", "down", "floor"];
const HEIGHT = { up: [0, 1], top: [1, 1], down: [1, 0], floor: [0, 0] };

function heelAt(block, t) {
  const times = PHASES.map((p) => Number(block.querySelector(`[data-field="${p}"]`).value) || 0);
  const cycle = times.reduce((a, b) => a + b, 0);
  if (cycle <= 0) return 0;
  let left = t % cycle;
  for (let i = 0; i < PHASES.length; i += 1) {
    if (left < times[i] || i === PHASES.length - 1) {
      const [from, to] = HEIGHT[PHASES[i]];
      if (reducedMotion) return to;  // jump to where the phase ends, no glide
      return from + (to - from) * easeInOut(times[i] ? Math.min(1, left / times[i]) : 1);
    }
    left -= times[i];
  }
  return 0;
}

// Animate the preview of every reps block that blocks() returns, for as long as the page lives.
export function animatePreviews(blocks) {
  function animate(now) {
    for (const block of blocks()) {
      if (block.dataset.kind !== "reps") continue;
      const svg = block.querySelector("[data-preview]");
      const part = (name) => svg.querySelector(`[data-part="${name}"]`);
      poseFoot({ foot: part("foot"), heel: part("heel"), shin: part("shin") }, heelAt(block, now / 1000));
    }
    requestAnimationFrame(animate);
  }
  requestAnimationFrame(animate);
}
