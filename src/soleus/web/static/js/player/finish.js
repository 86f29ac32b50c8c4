// The finish screen's figures: what was done vs planned per exercise and side, the time
// it took, and what the day's plan says next. Every number and word comes from
// GET /api/sessions/{id}/summary; nothing is computed here.

import { getSummary } from "./api.js";

const $ = (id) => document.getElementById(id);

function cell(tag, text, className = "") {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

function renderDone(summary) {
  const body = $("p-done-rows");
  body.replaceChildren();
  for (const row of summary.exercises) {
    const tr = document.createElement("tr");
    tr.append(
      cell("th", row.name),
      cell("td", row.side_words),
      cell("td", row.done_words, "num"),
      cell("td", row.planned_words, "num"),
    );
    tr.firstChild.scope = "row";
    body.append(tr);
  }
  $("p-worked").textContent = `Time: ${summary.worked_words}, from the start to the last set.`;
  $("p-done").hidden = false;
}

// After the sets are saved: the table and the time.
export async function showDone(sessionId) {
  try {
    renderDone(await getSummary(sessionId));
  } catch {
    $("p-done").hidden = true; // offline: the saved sets are in History later
  }
}

// After effort and pain (or their skip): the day's next step, in the day's own words.
export async function showNext(sessionId, advice) {
  try {
    const summary = await getSummary(sessionId);
    renderDone(summary);
    const words = summary.next.words;
    $("p-then").textContent = words === advice ? "" : words;
    $("p-then").hidden = words === advice;
  } catch {
    $("p-then").hidden = true;
  }
}
