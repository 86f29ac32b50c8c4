// The JSON API, and an outbox that keeps every completed set in localStorage until the
// server has confirmed it: a set survives a closed tab, a dropped connection or a
// restarted server, and is sent again (in order) as soon as that is possible.

const OUTBOX_KEY = "soleus.outbox";

export class ApiError extends Error {
  constructor(status, message, data = {}) {
    super(message);
    this.status = status;
    this.data = data; // the whole answer: a 409 on start carries the unfinished session
  }
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export async function api(method, url, body) {
  const init = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.headers["X-CSRF-Token"] = csrfToken();
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, `the app could not be reached (${error.message})`);
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.error || `HTTP ${response.status}`, data);
  return data;
}

export const getPlan = (routineId) => api("GET", `/api/routines/${encodeURIComponent(routineId)}/plan`);
export const activeSession = () => api("GET", "/api/sessions/active");
export const getSession = (id) => api("GET", `/api/sessions/${encodeURIComponent(id)}`);
export const startSession = (routineId, startOver = false) =>
  api("POST", "/api/sessions", { routine_id: routineId, start_over: startOver });
export const finishSession = (id, body) => api("POST", `/api/sessions/${encodeURIComponent(id)}/finish`, body);

/** Completed sets waiting for the server, oldest first. */
export class Outbox {
  constructor({ storage = window.localStorage, onChange = () => {} } = {}) {
    this.storage = storage;
    this.onChange = onChange;
    this.flushing = null;
    this.retryTimer = null;
    this.delay = 500;
    window.addEventListener("online", () => this.flush());
  }

  items() {
    try {
      const items = JSON.parse(this.storage.getItem(OUTBOX_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch {
      return [];
    }
  }

  write(items) {
    this.storage.setItem(OUTBOX_KEY, JSON.stringify(items));
    this.onChange(items);
  }

  /** Keep the set first (synchronously), then try to send it. */
  add(sessionId, body) {
    const items = this.items();
    items.push({ session_id: sessionId, body, queued_at: Date.now() });
    this.write(items);
    return this.flush();
  }

  pendingFor(sessionId) {
    return this.items().filter((i) => i.session_id === sessionId);
  }

  /** Send everything queued; resolves true when the outbox is empty. */
  flush() {
    if (!this.flushing) {
      this.flushing = this.sendAll().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  async sendAll() {
    for (;;) {
      const items = this.items();
      if (!items.length) {
        this.delay = 500;
        return true;
      }
      const item = items[0];
      try {
        await api("POST", `/api/sessions/${encodeURIComponent(item.session_id)}/sets`, item.body);
      } catch (error) {
        if (error.status === 0 || error.status >= 500 || error.status === 403 || error.status === 429) {
          // Not reachable (or a stale token after a restart): keep it and try again later.
          this.retryLater();
          return false;
        }
        // 4xx: the server will never take it (session finished elsewhere, unknown id).
        console.warn("soleus: dropping a set the server refused:", error.message, item);
      }
      this.write(this.items().filter((i) => i.queued_at !== item.queued_at || i.session_id !== item.session_id
        || i.body.plan_index !== item.body.plan_index));
    }
  }

  retryLater() {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, this.delay);
    this.delay = Math.min(this.delay * 2, 15000);
  }
}
export const getSummary = (id) => api("GET", `/api/sessions/${encodeURIComponent(id)}/summary`);
