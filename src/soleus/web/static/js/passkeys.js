// Passkeys: register one on the account page, sign in with one on the sign-in page.
// The server sends WebAuthn options as JSON (binary fields base64url) with a signed
// state; this file turns them into what navigator.credentials wants and back.

const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

const fromB64 = (text) => {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0)).buffer;
};

const toB64 = (buffer) => {
  const bytes = new Uint8Array(buffer);
  let raw = "";
  for (const b of bytes) raw += String.fromCharCode(b);
  return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `the server answered ${response.status}`);
  return data;
}

const descriptors = (list) => (list || []).map((c) => ({ ...c, id: fromB64(c.id) }));

async function register(status) {
  const { options, state } = await post("/api/passkeys/register/options", {});
  options.challenge = fromB64(options.challenge);
  options.user.id = fromB64(options.user.id);
  options.excludeCredentials = descriptors(options.excludeCredentials);
  const credential = await navigator.credentials.create({ publicKey: options });
  const r = credential.response;
  const name = document.getElementById("passkey-name")?.value || "passkey";
  await post("/api/passkeys", {
    state,
    name,
    credential: {
      id: credential.id,
      rawId: toB64(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toB64(r.clientDataJSON),
        attestationObject: toB64(r.attestationObject),
        transports: r.getTransports ? r.getTransports() : [],
      },
      clientExtensionResults: credential.getClientExtensionResults(),
    },
  });
  status.textContent = "Passkey added.";
  window.location.reload();
}

async function signIn() {
  const { options, state } = await post("/api/passkeys/signin/options", {});
  options.challenge = fromB64(options.challenge);
  options.allowCredentials = descriptors(options.allowCredentials);
  const credential = await navigator.credentials.get({ publicKey: options });
  const r = credential.response;
  const next = document.querySelector('input[name="next"]')?.value || "/";
  const done = await post("/api/passkeys/signin", {
    state,
    next,
    credential: {
      id: credential.id,
      rawId: toB64(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toB64(r.clientDataJSON),
        authenticatorData: toB64(r.authenticatorData),
        signature: toB64(r.signature),
        userHandle: r.userHandle ? toB64(r.userHandle) : null,
      },
      clientExtensionResults: credential.getClientExtensionResults(),
    },
  });
  window.location.assign(done.next);
}

const supported = typeof window.PublicKeyCredential === "function";
const registerButton = document.getElementById("passkey-register");
const signinButton = document.getElementById("passkey-signin");
const status = document.getElementById("passkey-status");

if (registerButton) {
  if (!supported) {
    registerButton.disabled = true;
    if (status) status.textContent = "This browser has no passkeys.";
  }
  registerButton.addEventListener("click", () => {
    register(status).catch((e) => { if (status) status.textContent = `No passkey added: ${e.message}`; });
  });
}
if (signinButton && supported) {
  signinButton.hidden = false;
  signinButton.addEventListener("click", () => {
    signIn().catch((e) => {
      const note = document.getElementById("passkey-error");
      if (note) { note.textContent = `Passkey sign-in failed: ${e.message}`; note.hidden = false; }
    });
  });
}
