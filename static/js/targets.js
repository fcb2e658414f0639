// Target form page: every change to the grid is posted in the background and the server
// answers with the re-rendered grid and reasonableness flags, which replace the old ones.
// The 指标值 inputs show how the server parses them as you type; the indicator library is
// searched by name or alias. Without this script every form still works by full page loads.
(function () {
  const editor = document.getElementById("editor");
  if (!editor) return;
  const parseUrl = editor.dataset.parseUrl;
  const libraryUrl = editor.dataset.libraryUrl;
  const headers = { "X-Requested-With": "fetch" };

  editor.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.fragment");
    if (!form) return;
    event.preventDefault();
    if (form.classList.contains("confirm") && !window.confirm("删除该指标及其下级指标？")) return;
    const body = new FormData(form);
    // Inputs in other cells belong to this form through their form="…" attribute.
    if (form.id) {
      document.querySelectorAll(`[form="${form.id}"]`).forEach((input) => body.set(input.name, input.value));
    }
    const response = await fetch(form.action, { method: "POST", body, headers, credentials: "same-origin" });
    // 400: the input is refused; 409: someone saved the row meanwhile. Either way the
    // grid comes back with what was typed still in the row, and the reason beside it.
    if (response.status === 200 || response.status === 400 || response.status === 409) {
      editor.innerHTML = await response.text();
      // A counter of replacements, so that a test (or a person's script) can wait for it.
      editor.dataset.updates = String(Number(editor.dataset.updates || 0) + 1);
      const focus = response.status !== 200 ? editor.querySelector(".error") : null;
      if (focus) focus.scrollIntoView({ block: "center" });
      else if (form.id === "add-form") {
        const name = document.getElementById("add-name");
        if (name) name.focus({ preventScroll: true });
      }
    } else {
      window.location.reload();
    }
  });

  let timer = null;
  editor.addEventListener("input", (event) => {
    const input = event.target;
    if (input.classList.contains("value-input")) {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const slot = input.parentElement.querySelector(".parse-slot");
        if (!slot) return;
        const response = await fetch(`${parseUrl}?text=${encodeURIComponent(input.value)}`, { headers });
        if (response.ok) slot.innerHTML = await response.text();
      }, 250);
    }
    if (input.id === "library-q") {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const response = await fetch(`${libraryUrl}?q=${encodeURIComponent(input.value)}`, { headers });
        if (response.ok) document.getElementById("library-results").innerHTML = await response.text();
      }, 200);
    }
  });

  editor.addEventListener("change", (event) => {
    if (event.target.id === "add-parent") {
      const option = event.target.selectedOptions[0];
      const level = document.getElementById("add-level");
      if (option && level && option.dataset.childLevel) level.value = option.dataset.childLevel;
    }
  });

  editor.addEventListener("click", (event) => {
    const pick = event.target.closest("button.pick");
    if (pick) {
      document.getElementById("add-library").value = pick.dataset.id;
      document.getElementById("add-name").value = pick.dataset.name;
      document.getElementById("library-results").innerHTML = "";
      return;
    }
    const below = event.target.closest("button.add-below");
    if (below) {
      document.getElementById("add-parent").value = below.dataset.parent;
      document.getElementById("add-level").value = below.dataset.level;
      const name = document.getElementById("add-name");
      name.scrollIntoView({ block: "center" });
      name.focus();
    }
  });
})();
