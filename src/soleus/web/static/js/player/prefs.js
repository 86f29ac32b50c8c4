// The sound and speech switches, remembered in this browser (server settings are the default).
const KEY = "soleus.player.prefs";

export function loadPrefs(defaults) {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || "{}");
    return { ...defaults, ...pickBooleans(saved) };
  } catch {
    return { ...defaults };
  }
}

export function savePrefs(prefs) {
  try {
    localStorage.setItem(KEY, JSON.stringify(pickBooleans(prefs)));
  } catch {
    /* private mode or storage full: the switch still works for this page */
  }
}

function pickBooleans(obj) {
  const out = {};
  for (const name of ["sound", "speech"]) if (typeof obj[name] === "boolean") out[name] = obj[name];
  return out;
}
