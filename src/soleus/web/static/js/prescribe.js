// The prescribe page, improved in place. The form works without this file (every button
// is a submit the server answers: add, move and remove exercises, add and remove steps,
// check, save); here the exercise list is searchable, each step's kind and tempo show
// as in the routine builder, and each change asks the server's draft API for every
// problem, the steps in words and a session's length: the server checks, the page shows.

import { checkInPlace, draftAsker, later } from "./draft_api.js";
import { searchPicker } from "./picker.js";
import { animatePreviews, showKind, showSlider } from "./tempo_preview.js";

const form = document.getElementById("prescribe");
const estimate = document.getElementById("estimate");
const steps = () => [...form.querySelectorAll("[data-step]")];

for (const el of document.querySelectorAll("[data-js-only]")) el.hidden = false;

const search = searchPicker();

animatePreviews(steps);

// A step reached when earned has no week: its week field is off while that is chosen.
function showWhen(fieldset) {
  const week = fieldset.querySelector("[data-week]");
  const earned = fieldset.querySelector('[data-when][value="earned"]');
  if (week && earned) week.disabled = earned.checked;
}
for (const fieldset of form.querySelectorAll("fieldset.when")) showWhen(fieldset);

// --- Asking the server -------------------------------------------------------------------
function fields() {
  const out = {};
  for (const [name, value] of new FormData(form)) {
    if (name !== "csrf_token" && name !== "action" && typeof value === "string") out[name] = value;
  }
  return out;
}

function clearErrors() {
  for (const el of form.querySelectorAll(".field-error")) el.remove();
  for (const el of form.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  }
}

// The element a problem's key names (an input, a fieldset, a step's first line), else
// the exercises' help text.
function elementOf(key) {
  return document.getElementById(key)
    || form.querySelector(`[data-error-box="${key}"]`)
    || document.getElementById("blocks-help");
}

function showProblem(problem) {
  const el = elementOf(problem.key);
  const p = document.createElement("p");
  p.className = "field-error";
  p.id = `${problem.key}-error`;
  p.textContent = problem.message;
  const box = el.matches("input, select, textarea") ? el.closest(".field, fieldset") : null;
  if (box) box.append(p);
  else if (el.matches("fieldset")) el.append(p);
  else el.after(p);
  if (!el.matches("p")) {
    el.setAttribute("aria-invalid", "true");
    el.setAttribute("aria-describedby", p.id);
  }
}

const askDraft = draftAsker(form.dataset.draft);
const refresh = later(ask);

async function ask() {
  const answer = await askDraft(fields());
  if (!answer) return;
  clearErrors();
  for (const problem of answer.problems) showProblem(problem);
  const words = form.querySelectorAll("[data-steps-words]");
  words.forEach((p, k) => { p.textContent = answer.steps[k] || ""; });
  const blocks = form.querySelectorAll("[data-block]").length;
  const text = answer.estimate
    || (blocks ? "No estimate until the marked problems are fixed." : "Add an exercise to see how long a session takes.");
  if (estimate.textContent !== text) estimate.textContent = text;
}

form.addEventListener("input", (event) => {
  const el = event.target;
  if (el === search) return;
  if (el.type === "range") showSlider(el);
  if (el.dataset.field === "kind") showKind(el.closest("[data-step]"));
  refresh();
});
form.addEventListener("change", (event) => {
  if (event.target.dataset.field === "kind") showKind(event.target.closest("[data-step]"));
  if (event.target.matches("[data-when]")) showWhen(event.target.closest("fieldset"));
  refresh();
});
checkInPlace(form, ask);
const focused = form.querySelector("[autofocus]");
if (focused) focused.focus();
