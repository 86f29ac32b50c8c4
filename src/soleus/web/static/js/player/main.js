// The browser player page: loads the plan, offers to resume, runs the session, saves each
// set the moment it completes, and asks effort and pain at the end.
//
//   machine.js   the small state machine over the schedules the plan API sends
//                (computed by soleus/domain/player/schedule.py, with the settings)
//   scheduler.js look-ahead scheduler: sounds on the AudioContext clock, speech when due
//   audio.js     Web Audio cue sounds (+ onset probe for measurements)
//   speech.js    speechSynthesis
//   api.js       the JSON API and the localStorage outbox of completed sets
//   view.js      drawing (ring, tempo figure, text)
//   prefs.js     remembered sound/speech switches
import { Player } from "./machine.js";
import { Driver } from "./scheduler.js";
import { AudioEngine } from "./audio.js";
import { Speech } from "./speech.js";
import { Outbox, getPlan, activeSession, getSession, startSession, finishSession, ApiError } from "./api.js";
import { View } from "./view.js";
import { loadPrefs, savePrefs } from "./prefs.js";
import { plural } from "../plural.js";
import { showDone, showNext } from "./finish.js";

const $ = (id) => document.getElementById(id);
const root = $("player");
const params = new URLSearchParams(location.search);
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
// The person's settings (from the plan API) unless switched in this browser.
let prefs = null;
const audio = new AudioEngine({ probe: params.has("probe") });
const speech = new Speech();
const outbox = new Outbox({ onChange: showOutbox });
const view = new View({ reducedMotion: reducedMotion.matches });
reducedMotion.addEventListener?.("change", (e) => { view.reducedMotion = e.matches; });

const state = {
  plan: null, sessionId: null, resumable: null, player: null, driver: null, wakeLock: null,
  cue: null, cueAt: 0, pausedAt: null, setsSaved: 0, doneBefore: 0, quit: false, busy: false, lastAnnounced: "",
};

// ---- small helpers ------------------------------------------------------------------

function announce(text) {
  const live = $("announcer");
  if (!live || !text || text === state.lastAnnounced) return;
  state.lastAnnounced = text;
  live.textContent = text;
}

function showError(error) {
  const box = $("p-error");
  box.textContent = error instanceof Error ? error.message : String(error);
  box.hidden = false;
}

function showOutbox(items) {
  const mine = state.sessionId ? items.filter((i) => i.session_id === state.sessionId).length : items.length;
  const el = $("p-outbox");
  if (el) el.textContent = mine ? `${plural(mine, "set")} waiting to be saved; retrying…` : "";
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(false), ms))]);
}

function planSummary(plan) {
  const minutes = Math.max(1, Math.round((plan.estimated_seconds || 0) / 60));
  return `${plural(plan.sets.length, "set")}, about ${minutes} min.`;
}

function renderPlan(plan, done = []) {
  $("p-title").textContent = plan.routine.name;
  $("p-summary").textContent = `${plan.routine.summary ? plan.routine.summary + " " : ""}${planSummary(plan)}`;
  const list = $("p-plan");
  list.replaceChildren();
  const doneSet = new Set(done);
  const blocks = new Map();
  for (const item of plan.sets) {
    if (!blocks.has(item.block)) blocks.set(item.block, { item, total: 0, done: 0 });
    const b = blocks.get(item.block);
    b.total += 1;
    if (doneSet.has(item.index)) b.done += 1;
  }
  for (const { item, total, done: n } of blocks.values()) {
    const li = document.createElement("li");
    const d = item.dosage;
    const amount = d.kind === "reps" ? `${d.sets} × ${d.reps}` : `${d.sets} × ${Number(d.seconds)} s`;
    const sides = d.sides === "each" ? " per leg" : d.sides === "alternate" ? " alternating" : "";
    li.textContent = `${item.exercise.name}: ${amount}${d.kind === "bout" ? " bout" : ""}${sides}`;
    if (n) li.textContent += ` (${n} of ${total} done)`;
    list.append(li);
  }
}

// ---- loading --------------------------------------------------------------------------

function applySettings(plan) {
  const { sound, speech: speak } = plan.player.settings;
  prefs = loadPrefs({ sound, speech: speak });
  $("p-sound-toggle").checked = prefs.sound;
  $("p-speech-toggle").checked = prefs.speech;
  speech.enabled = prefs.speech;
  audio.setEnabled(prefs.sound);
}

async function init() {
  await withTimeout(outbox.flush(), 3000); // sets left over from a closed tab go first
  const sessionId = root.dataset.session;
  if (sessionId) {
    const data = await getSession(sessionId);
    applySettings(data.plan);
    const s = data.session;
    if (s.status === "finished" && s.effort == null && s.pain == null) {
      // Every set was saved but the summary was not answered: offer it, not a resume.
      state.sessionId = s.id;
      state.plan = data.plan;
      $("p-setup").hidden = true;
      $("p-finish").hidden = false;
      $("p-finish-title").textContent = "Finished";
      $("p-finish-summary").textContent = `${data.done.length} of ${plural(data.plan.sets.length, "set")} done and saved. How hard was it, and any calf pain?`;
      $("p-later").hidden = true;
      showDone(s.id);
      return;
    }
    if (s.status !== "active") {
      renderPlan(data.plan, data.done);
      $("p-summary").textContent = `This session is ${data.session.status}. `;
      const a = document.createElement("a");
      a.href = `/player?routine=${encodeURIComponent(data.session.routine_id || "")}`;
      a.textContent = "Start a new one";
      $("p-summary").append(a);
      return;
    }
    offerResume(data.session, data.plan, data.done);
    return;
  }
  const [plan, active] = await Promise.all([getPlan(root.dataset.routine), activeSession()]);
  applySettings(plan);
  state.plan = plan;
  renderPlan(plan);
  const advice = plan.advice;
  const words = advice ? `${advice.reason} ${advice.advice}` : "";
  if (advice && advice.level !== "normal") {
    // The same plan and words as Today: lighter on pain days, nothing on a rest or stop day.
    $("p-summary").textContent = `${words} ${$("p-summary").textContent}`;
  }
  if (advice && (advice.level === "rest" || advice.level === "stopped")) {
    $("p-summary").textContent = words;
    $("p-plan").replaceChildren();
  } else if (active.session && active.session.routine_id !== plan.routine.id) {
    // Another routine is unfinished: offer it, but this page is about the one asked for.
    offerResume(active.session, active.plan, active.done, plan);
  } else if (active.session) {
    offerResume(active.session, active.plan, active.done);
  } else {
    $("p-start-row").hidden = false;
    $("p-start").focus();
  }
}

function offerResume(session, plan, done, asked = null) {
  // Sets still in this browser's outbox count as done: they are on their way.
  const pending = outbox.pendingFor(session.id).filter((i) => !i.body.skipped).map((i) => i.body.plan_index);
  const all = [...new Set([...done, ...pending])];
  state.resumable = { session, plan, done: all };
  const name = plan.routine.name;
  const progress = `${name} is in progress: ${all.length} of ${plural(plan.sets.length, "set")} done.`;
  if (asked) {
    // The asked-for routine stays on screen; the unfinished one can be resumed instead.
    $("p-resume-text").textContent = `${progress} Resume it, or start ${asked.routine.name}.`;
    $("p-resume-btn").textContent = `Resume ${name}`;
    $("p-resume-btn").classList.add("secondary");
    $("p-restart-btn").hidden = true;
    $("p-start").textContent = `Start ${asked.routine.name}`;
    $("p-start-row").hidden = false;
  } else {
    renderPlan(plan, all);
    $("p-resume-text").textContent = `${progress} Resume where you left off, or start over.`;
    $("p-resume-btn").textContent = "Resume";
    $("p-resume-btn").classList.remove("secondary");
    $("p-restart-btn").hidden = false;
    $("p-start-row").hidden = true;
  }
  $("p-resume").hidden = false;
  $("p-resume-btn").focus();
}

// ---- running --------------------------------------------------------------------------

async function begin(plan, sessionId, done) {
  state.plan = plan;
  state.sessionId = sessionId;
  state.player = new Player(plan, { done });
  view.order = state.player.order;
  view.heel = plan.player.heel;
  state.doneBefore = done.length;
  state.driver = new Driver(state.player, { audio, speech, onEvents });
  state.driver.setSound(prefs.sound);
  view.planned = plan.sets.length;
  $("p-setup").hidden = true;
  $("p-stage").hidden = false;
  document.body.classList.add("playing");
  history.replaceState(null, "", `/player/${encodeURIComponent(sessionId)}`);
  lockScreen();
  state.driver.start();
  requestAnimationFrame(frame);
  $("p-pause").focus();
}

async function withAudio(fn) {
  if (state.busy) return;
  state.busy = true;
  try {
    await audio.open(); // inside the click: browsers let sound start only after a gesture
    await fn();
  } catch (error) {
    showError(error);
  } finally {
    state.busy = false;
  }
}

function onEvents(events) {
  for (const e of events) {
    if (e.type === "cue") {
      state.cue = e;
      state.cueAt = performance.now();
      // The countdown (3, 2, 1) too: the timer itself is not a live region.
      if (["half", "hold", "go", "end", "count"].includes(e.sound)) announce(e.text);
    } else if (e.type === "phase") {
      announce(e.message);
    } else if (e.type === "set") {
      const r = e.result;
      outbox.add(state.sessionId, {
        plan_index: r.planned.index,
        actual_reps: r.reps_done,
        actual_seconds: r.seconds_done === null ? null : Math.round(r.seconds_done * 10) / 10,
        skipped: r.skipped,
      });
      if (!r.skipped) state.setsSaved += 1;
    } else if (e.type === "finished") {
      state.quit = e.quit;
      setTimeout(showFinish, 0);
    }
  }
}

const CUE_SHOWN_MS = 1500;

// The cue word stays 1.5 s of playing time: a pause holds it on screen until resumed.
function shownCue() {
  const now = performance.now();
  if (state.player.paused) state.pausedAt ??= now;
  else if (state.pausedAt !== null) {
    state.cueAt += now - state.pausedAt;
    state.pausedAt = null;
  }
  const age = (state.pausedAt ?? now) - state.cueAt;
  return state.cue && age < CUE_SHOWN_MS ? state.cue : null;
}

function frame() {
  const { player, driver } = state;
  if (!player || player.finished) return;
  view.draw(player.snapshot(driver.now()), shownCue());
  requestAnimationFrame(frame);
}

function act(name) {
  if (!state.driver || state.player.finished) return;
  state.driver.act(name);
  if (name === "togglePause") announce(state.player.paused ? "Paused" : "Resumed");
  if (!state.player.finished) view.draw(state.player.snapshot(state.driver.now()), shownCue());
}

async function lockScreen() {
  try {
    if ("wakeLock" in navigator && document.visibilityState === "visible") {
      state.wakeLock = await navigator.wakeLock.request("screen");
      state.wakeLock.addEventListener("release", () => { state.wakeLock = null; });
    }
  } catch {
    /* not granted (battery saver, no support): the session still runs */
  }
}

function unlockScreen() {
  if (state.wakeLock) state.wakeLock.release().catch(() => {});
  state.wakeLock = null;
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && state.player && !state.player.finished && !state.wakeLock) lockScreen();
});

// ---- the end --------------------------------------------------------------------------

function showFinish() {
  unlockScreen();
  document.body.classList.remove("playing");
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  $("p-stage").hidden = true;
  $("p-finish").hidden = false;
  const indices = new Set(state.player.results.filter((r) => !r.skipped).map((r) => r.planned.index));
  const count = state.doneBefore + indices.size;
  $("p-finish-title").textContent = state.quit ? "Stopped" : "Well done";
  const what = `${count} of ${plural(state.plan.sets.length, "set")} done`;
  $("p-finish-summary").textContent = state.quit
    ? `${what}; they are saved. Finish the session now, or resume it later from Today.`
    : `${what}. That's the session.`;
  $("p-later").hidden = !state.quit;
  showOutbox(outbox.items());
  $("p-finish-title").focus();
  withTimeout(outbox.flush(), 5000).then(() => showDone(state.sessionId)); // saved sets only
}

function readScore(id) {
  const raw = $(id).value.trim();
  if (raw === "") return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new Error("Effort and pain are whole numbers from 0 to 10, or left empty.");
  return n;
}

async function finish(withRatings) {
  if (state.busy) return;
  state.busy = true;
  const advice = $("p-advice");
  try {
    const body = withRatings ? { effort: readScore("p-effort"), pain: readScore("p-pain") } : {};
    while (!(await withTimeout(outbox.flush(), 5000))) {
      advice.hidden = false;
      advice.textContent = "Waiting for the app to save your sets…";
    }
    const data = await finishSession(state.sessionId, body);
    advice.hidden = false;
    advice.textContent = data.advice || "Saved.";
    $("p-finish-form").hidden = true;
    await showNext(state.sessionId, data.advice);
    $("p-after").hidden = false;
  } catch (error) {
    advice.hidden = false;
    advice.textContent = error.message;
  } finally {
    state.busy = false;
  }
}

// ---- wiring ---------------------------------------------------------------------------

$("p-start").addEventListener("click", () => withAudio(async () => {
  let created;
  try {
    created = await startSession(root.dataset.routine);
  } catch (error) {
    // Unfinished today (started in another tab or on the terminal): offer it instead.
    if (!(error instanceof ApiError && error.status === 409 && error.data.unfinished)) throw error;
    const { session, plan, done } = error.data.unfinished;
    offerResume(session, plan, done);
    return;
  }
  await begin(created.plan, created.id, created.done);
}));
$("p-resume-btn").addEventListener("click", () => withAudio(async () => {
  const { session, plan, done } = state.resumable;
  await begin(plan, session.id, done);
}));
$("p-restart-btn").addEventListener("click", () => withAudio(async () => {
  const { session } = state.resumable;
  await withTimeout(outbox.flush(), 3000); // its sets are saved before it ends
  // The server ends the unfinished one as abandoned and starts a new one.
  const created = await startSession(root.dataset.routine || session.routine_id, true);
  await begin(created.plan, created.id, created.done);
}));
$("p-pause").addEventListener("click", () => act("togglePause"));
$("p-skip").addEventListener("click", () => act("skip"));
$("p-back").addEventListener("click", () => act("back"));
$("p-quit").addEventListener("click", () => act("quit"));
$("p-sound-toggle").addEventListener("change", (e) => {
  if (!prefs) return;
  prefs.sound = e.target.checked;
  savePrefs(prefs);
  if (state.driver) state.driver.setSound(prefs.sound);
  else audio.setEnabled(prefs.sound);
});
$("p-speech-toggle").addEventListener("change", (e) => {
  if (!prefs) return;
  prefs.speech = e.target.checked;
  savePrefs(prefs);
  speech.enabled = prefs.speech;
  if (!prefs.speech) speech.stop();
});
$("p-fullscreen").addEventListener("click", () => {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else root.requestFullscreen?.().catch(() => {});
});
$("p-finish-form").addEventListener("submit", (e) => {
  e.preventDefault();
  finish(true);
});
$("p-skip-rating").addEventListener("click", () => finish(false));
$("p-later").addEventListener("click", () => { location.href = "/"; });

document.addEventListener("keydown", (e) => {
  if (!state.player || state.player.finished || e.altKey || e.ctrlKey || e.metaKey) return;
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) {
    if (e.key !== "Escape") return;
  }
  const action = { " ": "togglePause", Spacebar: "togglePause", ArrowRight: "skip", ArrowLeft: "back", Escape: "quit" }[e.key];
  if (!action) return;
  e.preventDefault(); // space on a focused button must not also click it
  act(action);
});

// For the browser tests and the cue-timing bench: read-only access to the running parts.
window.soleusPlayer = {
  get player() { return state.player; },
  get driver() { return state.driver; },
  get sessionId() { return state.sessionId; },
  audio,
  outbox,
  ready: init().then(() => true, (error) => { showError(error); return false; }),
};

