// The exercise builder, improved in place. The form works without this file (every
// button is a submit the server answers); here the kind's fields show as it changes, the
// tempo sliders animate one repetition, and each change asks the server's draft API for
// the TOML text and every problem, so the validation is the server's, never redone here.

import { draftAsker, later } from "./draft_api.js";
import { animatePreviews, showKind, showSlider } from "./tempo_preview.js";

const form = document.getElementById("exercise-builder");
const dose = document.getElementById("dose");
const toml = document.getElementById("toml");
const status = document.getElementById("ex-status");
let tomlEdited = false;

animatePreviews(() => [dose]);

function fields() {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.type === "submit" || el.name === "csrf_token" || el === toml) continue;
    if (el.type === "radio" && !el.checked) continue;
    out[el.name] = el.value;
  }
  return out;
}

function clearErrors() {
  for (const el of form.querySelectorAll(".field-error")) el.remove();
  for (const el of form.querySelectorAll("[aria-invalid]")) {
    if (el === toml) continue;
    el.removeAttribute("aria-invalid");
    const hint = el.getAttribute("aria-describedby")?.split(" ").filter((id) => !id.endsWith("-error")).join(" ");
    if (hint) el.setAttribute("aria-describedby", hint); else el.removeAttribute("aria-describedby");
  }
}

function showError(error) {
  const target = document.getElementById(error.field);
  const box = target ? (target.closest(".field") || target) : status;
  const p = document.createElement("p");
  p.className = "field-error";
  p.id = `${error.field}-error`;
  p.textContent = error.message;
  if (box === status) box.after(p); else box.append(p);
  if (target) {
    target.setAttribute("aria-invalid", "true");
    const hint = target.getAttribute("aria-describedby");
    target.setAttribute("aria-describedby", hint ? `${p.id} ${hint}` : p.id);
  }
}

const askDraft = draftAsker("/api/exercises/draft");
const refresh = later(ask);

async function ask() {
  const answer = await askDraft(fields());
  if (!answer) return;
  clearErrors();
  for (const error of answer.errors) showError(error);
  const text = answer.errors.length
    ? `${answer.errors.length === 1 ? "One problem" : `${answer.errors.length} problems`} marked above.`
    : "No problems: ready to save.";
  if (status.textContent !== text) status.textContent = text;
  if (!tomlEdited && answer.toml) toml.value = answer.toml;
}

form.addEventListener("input", (event) => {
  const el = event.target;
  if (el === toml) { tomlEdited = true; return; }
  if (el.type === "range") showSlider(el);
  if (el.dataset.field === "kind") showKind(dose);
  refresh();
});
form.addEventListener("change", (event) => {
  if (event.target.dataset.field === "kind") showKind(dose);
});
// Enter in a field presses the hidden Check button: with this file, check in place.
form.addEventListener("submit", (event) => {
  if (event.submitter && event.submitter.value === "check" && event.submitter.id !== "check") {
    event.preventDefault();
    ask();
  }
});
