// Live counting on the Recordings page: poll the newest live stream twice a second and
// show its count and form hints as they come. No state here that the server lacks.
const box = document.getElementById("live-status");
const announcer = document.getElementById("announcer");
const WORDS = {
  incomplete_range: "Range",
  held_release: "Release",
  slow_release: "Release",
  cadence: "Pace",
  pause: "Pause",
  whole_leg_lift: "Whole-leg lift",
};
let shownId = box ? box.dataset.stream : "";
let shownCount = null;

function text(tag, content, cls) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (cls) el.className = cls;
  return el;
}

// The save button appears with the first rep (the page may have been drawn before it).
function showSave(stream) {
  const form = document.getElementById("live-form");
  if (!form || stream.session_id || !stream.count || document.getElementById("live-save")) return;
  const button = text("button", "Stop and save as session");
  button.type = "submit";
  button.name = "action";
  button.value = "save";
  button.id = "live-save";
  form.append(button);
}

function render(stream) {
  if (!box || !stream) return;
  if (stream.id !== shownId) {
    // a stream this page has not drawn yet: let the server draw the controls
    shownId = stream.id;
    window.location.reload();
    return;
  }
  const count = document.getElementById("live-count");
  const state = document.getElementById("live-state");
  const seconds = document.getElementById("live-seconds");
  if (count) count.textContent = String(stream.count);
  if (state) state.textContent = stream.status;
  if (seconds) seconds.textContent = String(Math.round(stream.seconds));
  if (shownCount !== null && stream.count > shownCount && announcer) {
    announcer.textContent = `${stream.count}`;
  }
  shownCount = stream.count;
  showSave(stream);
  const hints = document.getElementById("live-hints");
  if (hints) {
    hints.replaceChildren(
      ...stream.flags.slice(-5).map((f) => text("li", `${WORDS[f.rule] || f.rule}: ${f.message}`)),
    );
  }
  if (stream.status !== box.dataset.status) {
    box.dataset.status = stream.status;
    if (stream.status !== "active") window.location.reload();
  }
}

async function tick() {
  if (document.visibilityState !== "visible") return;
  try {
    const url = shownId && box.dataset.status === "active" ? `/api/live/${shownId}` : "/api/live/latest";
    const response = await fetch(url, { headers: { accept: "application/json" } });
    if (!response.ok) return;
    const data = await response.json();
    render("stream" in data ? data.stream : data);
  } catch {
    // the server is restarting or the network blinked: try again on the next tick
  }
}

if (box) {
  setInterval(tick, 500);
}
