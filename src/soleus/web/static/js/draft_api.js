// A builder's draft API, asked as the person types: `draftAsker(url)` gives an
// `ask(body)` whose answer is the server's JSON, or null when a newer question was asked
// meanwhile, the server refused, or the page is offline (the form's Check button still
// asks the server with the whole form). The server validates; the page only shows.

export function draftAsker(url) {
  let asked = 0;
  return async function ask(body) {
    const mine = ++asked;
    const token = document.querySelector('meta[name="csrf-token"]').content;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "X-CSRF-Token": token },
        body: JSON.stringify(body),
      });
      if (!response.ok) return null;
      const answer = await response.json();
      return mine === asked ? answer : null;
    } catch {
      return null;
    }
  };
}

// `later(fn)` runs fn 250 ms after the last call (a pause in typing).
export function later(fn) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, 250);
  };
}

// `checkInPlace(form, ask)`: Enter in a field presses the form's hidden Check button
// (the first submit button, for pages without JS); with JS the draft is checked in place
// instead of posting the whole page. The visible Check button (id "check") still posts.
export function checkInPlace(form, ask) {
  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.value === "check" && event.submitter.id !== "check") {
      event.preventDefault();
      ask();
    }
  });
}
