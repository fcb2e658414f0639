// Scoring page: save a score without leaving the page; the server re-scores the whole tree
// and returns the table fragment (totals, grade, consistency checks), which replaces the old one.
(function () {
  const root = document.getElementById("scoring");
  if (!root) return;
  root.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.score-form");
    if (!form) return;
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    if (response.ok) {
      const row = form.closest("tr").id;
      root.innerHTML = await response.text();
      const again = document.getElementById(row);
      if (again) again.scrollIntoView({ block: "nearest" });
    }
  });
  root.addEventListener("change", (event) => {
    const form = event.target.closest("form.score-form");
    if (form && event.target.name !== "reason") form.requestSubmit();
  });
})();
