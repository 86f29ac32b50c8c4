// In-page exercise-snack nudges while a soleus tab is open.
//
// The browser decides nothing: it reports activity to POST /api/snacks/activity
// (an open tab counts as sitting; with the Idle Detection API, the system's idle
// time) and shows what the server's reminder engine answers. Working hours, quiet
// times, snooze limits and strict mode are all the server's rules.

const STORE_IDLE = "soleus.idleDetection";
// The nudge hidden with Esc (or Hide), for this tab: it stays hidden on every page
// until a new nudge (or the same one back from a snooze) comes.
const STORE_HIDDEN = "soleus.nudgeHidden";
const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
// On the player and on the safety questions before it, an exercise session is already
// starting: a banner asking for a snack would only be in the way.
const onPlayer = location.pathname.startsWith("/player") || location.pathname === "/screen";
const onSnacks = location.pathname === "/snacks";

let pollMs = 30000;
let timer = 0;
let shown = null; // {id, prompted_at} of the nudge on screen
const notified = new Set();
let banner = null;

// -- activity ------------------------------------------------------------------------

const idle = { detector: null, since: null, thresholdS: 60 };

async function startIdleDetector() {
  if (!("IdleDetector" in window) || idle.detector) return false;
  try {
    const detector = new window.IdleDetector();
    detector.addEventListener("change", () => {
      const away = detector.userState === "idle" || detector.screenState === "locked";
      idle.since = away ? (idle.since ?? Date.now() - idle.thresholdS * 1000) : null;
    });
    await detector.start({ threshold: idle.thresholdS * 1000 });
    idle.detector = detector;
    return true;
  } catch {
    return false;
  }
}

function sample() {
  if (idle.detector) {
    const idleS = idle.since === null ? 0 : Math.max(0, (Date.now() - idle.since) / 1000);
    return { idle_s: Math.round(idleS), source: "idle-detector" };
  }
  return { idle_s: 0, source: "open-tab" };
}

async function api(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json", "x-csrf-token": csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

async function poll() {
  clearTimeout(timer);
  try {
    const state = await api("/api/snacks/activity", sample());
    pollMs = Math.max(5, state.poll_s || 30) * 1000;
    render(state);
  } catch {
    // Offline or server gone: try again later; nothing to show.
  }
  timer = setTimeout(poll, pollMs);
}

// -- the banner ----------------------------------------------------------------------

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function buildBanner() {
  // A labelled region right after the header, in the page's flow (never over the
  // page's content, the same place on every page), the next stop for Tab, announced
  // through the page's polite live region. It never takes the focus away from what you
  // are typing; Esc hides it.
  const box = el("section", {
    id: "nudge",
    class: "nudge-banner",
    "aria-labelledby": "nudge-title",
    "aria-describedby": "nudge-text",
  });
  box.hidden = true;
  const title = el("h2", { id: "nudge-title" });
  const text = el("p", { id: "nudge-text" });
  const why = el("p", { class: "nudge-why muted" });
  const reason = el("form", { class: "nudge-reason" });
  reason.hidden = true;
  const label = el("label", { for: "nudge-reason-input" }, "Why do you skip? (strict mode)");
  const input = el("input", { id: "nudge-reason-input", list: "nudge-reasons", maxlength: "200", autocomplete: "off" });
  const list = el("datalist", { id: "nudge-reasons" });
  for (const r of ["In a meeting", "On a call", "Pain", "Not now"]) list.append(el("option", { value: r }));
  const confirm = el("button", { type: "submit", class: "secondary" }, "Skip with this reason");
  reason.append(label, input, list, confirm);
  const row = el("div", { class: "button-row" });
  const start = el("button", { type: "button", "data-nudge": "start" }, "Start");
  const snooze = el("button", { type: "button", class: "secondary", "data-nudge": "snooze" }, "Snooze");
  const skip = el("button", { type: "button", class: "secondary", "data-nudge": "skip" }, "Skip");
  const hide = el("button", { type: "button", class: "secondary", "data-nudge": "hide", "aria-keyshortcuts": "Escape" }, "Hide (Esc)");
  row.append(start, snooze, skip, hide);
  const error = el("p", { class: "nudge-error", role: "status" });
  box.append(title, text, why, row, reason, error);
  const main = document.querySelector("main");
  if (main) main.before(box);
  else document.body.append(box);

  hide.addEventListener("click", dismiss);
  start.addEventListener("click", () => answer("taken"));
  snooze.addEventListener("click", () => answer("snoozed"));
  skip.addEventListener("click", () => {
    if (box.dataset.strict === "true") {
      reason.hidden = false;
      input.focus();
    } else {
      answer("skipped");
    }
  });
  reason.addEventListener("submit", (event) => {
    event.preventDefault();
    answer("skipped", input.value);
  });
  return { box, title, text, why, snooze, start, reason, input, error };
}

const key = (nudge) => `${nudge.id}@${nudge.prompted_at}`;

// Esc or Hide: out of the way for now. The nudge stays open (the Snacks page still
// shows it) until it is answered there or expires.
function dismiss() {
  if (!banner || banner.box.hidden) return;
  const hadFocus = banner.box.contains(document.activeElement);
  if (shown) sessionStorage.setItem(STORE_HIDDEN, `${shown.id}@${shown.prompted_at}`);
  banner.box.hidden = true;
  if (hadFocus) document.getElementById("main")?.focus();
  announce("Snack banner hidden. The nudge waits on the Snacks page.");
}

function announce(text) {
  const live = document.getElementById("announcer");
  if (live) live.textContent = text;
}

// The Snacks page's one-line status, rewritten from the server's answer.
function updateLive(state) {
  const node = document.querySelector("[data-snack-live]");
  if (!node || state.daemon || !state.enabled) return;
  let text;
  if (state.nudge) text = `Nudge ${state.nudge.number} is waiting: ${state.nudge.title}. ${state.nudge.why}`;
  else if (state.next_due) {
    const since = state.sitting_since ? `Sitting since ${state.sitting_since_label}. ` : "";
    text = `${since}Next nudge at ${state.next_due_label}, ${state.next_why}.`;
  } else if (state.working) text = "Not sitting now: no nudge due.";
  else text = "Outside your working hours: no nudges.";
  node.textContent = text;
}

function render(state) {
  updateLive(state);
  const nudge = state.daemon ? null : state.nudge;
  if (!nudge || onPlayer || sessionStorage.getItem(STORE_HIDDEN) === key(nudge)) {
    if (banner) banner.box.hidden = true;
    shown = null;
    return;
  }
  banner ??= buildBanner();
  const fresh = !shown || shown.id !== nudge.id || shown.prompted_at !== nudge.prompted_at;
  banner.title.textContent = `Time for a snack: ${nudge.title}`;
  banner.text.textContent = nudge.text;
  banner.why.textContent = nudge.why; // the server's words, the Snacks page's too
  banner.snooze.textContent = `Snooze ${nudge.snooze_min} min (${nudge.snoozes_left} left)`;
  banner.snooze.hidden = nudge.snoozes_left <= 0;
  banner.box.dataset.strict = String(Boolean(nudge.strict));
  banner.box.dataset.id = nudge.id;
  banner.box.dataset.startUrl = nudge.start_url;
  if (fresh) {
    banner.reason.hidden = true;
    banner.input.value = "";
    banner.error.textContent = "";
  }
  banner.box.hidden = false;
  shown = { id: nudge.id, prompted_at: nudge.prompted_at };
  if (fresh) announce(`${banner.title.textContent}. ${banner.why.textContent} Start, snooze or skip in the snack banner.`);
  notify(nudge);
}

function notify(nudge) {
  const id = key(nudge);
  if (!document.hidden || notified.has(id)) return;
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  notified.add(id);
  try {
    const n = new Notification(`Exercise snack: ${nudge.title}`, {
      body: nudge.text,
      tag: nudge.id,
      requireInteraction: true,
      icon: "/static/favicon.svg",
    });
    n.addEventListener("click", () => {
      window.focus();
      n.close();
      banner?.start.focus();
    });
  } catch {
    // Some browsers only allow notifications from a service worker.
  }
}

async function answer(what, reason = "") {
  if (!banner) return;
  const id = banner.box.dataset.id;
  banner.error.textContent = "";
  try {
    const state = await api("/api/snacks/answer", { id, answer: what, reason });
    if (what === "taken") {
      location.assign(banner.box.dataset.startUrl);
      return;
    }
    banner.box.hidden = true;
    shown = null;
    if (onSnacks) location.reload();
    else render(state);
  } catch (error) {
    banner.error.textContent = error.message;
    if (what === "skipped" && banner.box.dataset.strict === "true") {
      banner.reason.hidden = false;
      banner.input.focus();
    }
  }
}

// -- permissions (asked only on a click) ---------------------------------------------

function note(text) {
  for (const node of document.querySelectorAll("[data-permission-note]")) node.textContent = text;
}

function setupPermissionButtons() {
  for (const button of document.querySelectorAll("[data-notify-permission]")) {
    if (!("Notification" in window) || Notification.permission === "granted") continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const result = await Notification.requestPermission();
      if (result === "granted") {
        button.hidden = true;
        note("Notifications allowed: nudges also show when this tab is in the background.");
      } else {
        note("Notifications were not allowed; nudges show in the page only.");
      }
    });
  }
  for (const button of document.querySelectorAll("[data-idle-permission]")) {
    if (!("IdleDetector" in window) || localStorage.getItem(STORE_IDLE) === "on") continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      let result = "denied";
      try {
        result = await window.IdleDetector.requestPermission();
      } catch {
        result = "denied";
      }
      if (result === "granted" && (await startIdleDetector())) {
        localStorage.setItem(STORE_IDLE, "on");
        button.hidden = true;
        note("Time away from the computer now counts as a natural break.");
        poll();
      } else {
        note("Idle detection was not allowed; an open tab counts as sitting.");
      }
    });
  }
}

async function main() {
  setupPermissionButtons();
  if (localStorage.getItem(STORE_IDLE) === "on") await startIdleDetector();
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) dismiss();
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
  poll();
}

main();
