// The rent beside the handbook's pages: computed only when the reader opens "The rent", then
// fetched from the panel's own page (the same panel a reader without JavaScript opens by link).
document.querySelectorAll("details[data-rent-panel]").forEach((slot) => {
  slot.addEventListener("toggle", () => {
    if (!slot.open || slot.dataset.loaded) {
      return;
    }
    slot.dataset.loaded = "loading";
    fetch(slot.dataset.rentPanel, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const page = new DOMParser().parseFromString(html, "text/html");
        const panel = page.querySelector("[data-testid=rent-panel]");
        if (panel) {
          slot.querySelector("[data-rent-panel-body]").replaceChildren(panel);
          slot.dataset.loaded = "done";
        }
      })
      .catch(() => {
        delete slot.dataset.loaded; // opening it again tries again
      });
  });
});
