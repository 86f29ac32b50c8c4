// The exercise library's search, shared by the routine builder and the prescribe page:
// typing in #add-search hides the exercises of #picker that do not match every word,
// and #picker-none says so when none is left. Returns the search field.

export function searchPicker() {
  const search = document.getElementById("add-search");
  search.addEventListener("input", () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of document.querySelectorAll("#picker li")) {
      item.hidden = !words.every((w) => item.dataset.search.includes(w));
      shown += item.hidden ? 0 : 1;
    }
    document.getElementById("picker-none").textContent =
      shown ? "" : "No exercise matches: try another word, or clear the search.";
  });
  return search;
}
