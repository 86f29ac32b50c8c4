// The routine builder, improved in place. The form works without this file (every button
// is a submit the server answers); here the blocks move without a reload (buttons, or drag
// by the picture), the tempo sliders animate one repetition, and each change asks the
// server's draft API for the estimate, the TOML text and every problem, so the
// estimate and the validation are the server's (one source), never worked out here.

import { checkInPlace, draftAsker, later } from "./draft_api.js";
import { searchPicker } from "./picker.js";
import { animatePreviews, showKind, showSlider } from "./tempo_preview.js";

const form = document.getElementById("builder");
const list = document.getElementById("blocks");
const announcer = document.getElementById("announcer");
const toml = document.getElementById("toml");
const estimate = document.getElementById("estimate");
let tomlEdited = false;

const blocks = () => [...list.querySelectorAll("[data-block]")];
const say = (text) => { announcer.textContent = text; };
const nameOf = (block) => block.querySelector("[data-name]").textContent;

for (const el of document.querySelectorAll("[data-js-only]")) el.hidden = false;

// --- The exercise list's search ---------------------------------------------------------
const search = searchPicker();

// --- Moving and removing blocks --------------------------------------------------------
function renumber() {
  const all = blocks();
  all.forEach((block, i) => { block.querySelector("[data-pos]").textContent = String(i + 1); });
  document.getElementById("order").value = all.map((b) => b.id.slice(1)).join(",");
  document.getElementById("blocks-empty").hidden = all.length > 0;
}

function move(block, verb, button) {
  const all = blocks();
  const i = all.indexOf(block);
  if (verb === "remove") {
    const next = all[i + 1] || all[i - 1];
    block.remove();
    renumber();
    say(`Removed ${nameOf(block)}.`);
    (next ? next.querySelector("h3") : search).focus();
  } else {
    const j = verb === "up" ? i - 1 : i + 1;
    if (j < 0 || j >= all.length) {
      say(`${nameOf(block)} is already ${verb === "up" ? "first" : "last"}.`);
      return;
    }
    list.insertBefore(block, verb === "up" ? all[j] : all[j].nextSibling);
    renumber();
    button.focus();
    say(`Moved ${nameOf(block)} to position ${j + 1} of ${all.length}.`);
  }
  refresh();
}

form.addEventListener("click", (event) => {
  const button = event.target.closest("[data-move]");
  if (!button) return;
  event.preventDefault();
  move(button.closest("[data-block]"), button.dataset.move, button);
});

// Drag by the picture or the title; the list shows where the block will land.
let dragged = null;
list.addEventListener("pointerdown", (event) => {
  const head = event.target.closest(".block-pic, .block-head h3");
  if (head) head.closest("[data-block]").draggable = true;
});
list.addEventListener("dragstart", (event) => {
  dragged = event.target.closest("[data-block]");
  if (!dragged) return;
  dragged.classList.add("dragging");
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", nameOf(dragged));
});
// The block the dragged one goes before ({before: null}: the end), or null: stay put.
const target = (event) => {
  const over = event.target.closest("[data-block]");
  if (!over || over === dragged) return null;
  const box = over.getBoundingClientRect();
  return { before: event.clientY < box.top + box.height / 2 ? over : over.nextElementSibling };
};
const clearMarks = () => list.querySelectorAll(".drop-before").forEach((b) => b.classList.remove("drop-before"));
list.addEventListener("dragover", (event) => {
  if (!dragged) return;
  event.preventDefault();
  clearMarks();
  const spot = target(event);
  if (spot && spot.before) spot.before.classList.add("drop-before");
});
list.addEventListener("drop", (event) => {
  if (!dragged) return;
  event.preventDefault();
  const spot = target(event);
  if (!spot || spot.before === dragged) return;
  list.insertBefore(dragged, spot.before);
  renumber();
  say(`Moved ${nameOf(dragged)} to position ${blocks().indexOf(dragged) + 1} of ${blocks().length}.`);
  refresh();
});
list.addEventListener("dragend", () => {
  clearMarks();
  if (dragged) { dragged.classList.remove("dragging"); dragged.draggable = false; }
  dragged = null;
});

// --- Kind, sliders, and the heel preview (tempo_preview.js) -----------------------------
animatePreviews(blocks);

// --- Asking the server: estimate, TOML, every problem -----------------------------------
function draft() {
  const value = (id) => document.getElementById(id).value;
  return {
    id: value("id"), name: value("name"), summary: value("summary"),
    blocks: blocks().map((block) => {
      const fields = {};
      for (const input of block.querySelectorAll("[data-field]")) {
        if (input.type !== "radio" || input.checked) fields[input.dataset.field] = input.value;
      }
      return fields;
    }),
  };
}

function clearErrors() {
  for (const el of form.querySelectorAll(".field-error")) el.remove();
  for (const el of form.querySelectorAll("[aria-invalid]")) {
    if (el === toml) continue;
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  }
}

function showError(error) {
  const block = error.block === null ? null : blocks()[error.block];
  let box;
  let input = null;
  if (block) {
    box = block.querySelector(`[data-field-box="${error.field}"]`) || block.querySelector(".block-head");
    input = box.querySelector(`[data-field="${error.field}"]:not([type=radio]):not([type=hidden])`);
  } else if (["id", "name", "summary"].includes(error.field)) {
    input = document.getElementById(error.field);
    box = input.closest(".field");
  } else {
    box = document.getElementById(error.field === "blocks" ? "blocks-help" : "estimate");
  }
  const p = document.createElement("p");
  p.className = "field-error";
  p.id = `${block ? block.id + "-" : ""}${error.field}-error`;
  p.textContent = error.message;
  if (box.matches("p")) box.after(p); else box.append(p);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", p.id);
  }
}

const refresh = later(ask);
const askDraft = draftAsker("/api/routines/draft");

async function ask() {
  const answer = await askDraft(draft());
  if (!answer) return;
  clearErrors();
  for (const error of answer.errors || (answer.error ? [answer.error] : [])) showError(error);
  const text = answer.estimate
    ? `This routine takes ${answer.estimate.text}.`
    : blocks().length ? "No estimate until the marked problems are fixed." : "Add an exercise to see how long the routine takes.";
  if (estimate.textContent !== text) estimate.textContent = text;
  if (!tomlEdited && answer.toml) toml.value = answer.toml;
}

form.addEventListener("input", (event) => {
  const el = event.target;
  if (el === toml) { tomlEdited = true; return; }
  if (el === search) return;
  if (el.type === "range") showSlider(el);
  if (el.dataset.field === "kind") showKind(el.closest("[data-block]"));
  refresh();
});
form.addEventListener("change", (event) => {
  if (event.target.dataset.field === "kind") showKind(event.target.closest("[data-block]"));
});
checkInPlace(form, ask);
const focused = form.querySelector("[autofocus]");
if (focused) focused.focus();
