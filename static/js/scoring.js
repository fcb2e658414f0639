// Scoring page: one form holds every row and is saved at once. A field is unsaved while
// its value differs from its data-stored (what the server has); only unsaved rows are
// posted; the server saves them all or none and returns the fragment (totals, grade,
// checks, rows), which replaces the old one: refused rows come back as typed, with the
// message beside the field. A refusal without a fragment (no right, locked, session
// ended, network) leaves the page as it is, typed values included, and says why.
(function () {
  const root = document.getElementById("scoring");
  if (!root) return;
  const text = root.dataset;
  let busy = false;

  function unsaved(field) {
    if (field.type === "checkbox") return (field.checked ? "1" : "0") !== field.dataset.stored;
    return field.value !== field.dataset.stored;
  }

  function dirtyRows() {
    return Array.from(root.querySelectorAll("tr[data-prefix]")).filter((row) =>
      Array.from(row.querySelectorAll("[data-stored]")).some(unsaved)
    );
  }

  function say(message, kind) {
    const state = document.getElementById("save-state");
    if (!state) return;
    state.textContent = message;
    state.className = kind || "muted";
  }

  function refresh() {
    const rows = new Set(dirtyRows());
    root.querySelectorAll("tr[data-prefix]").forEach((row) => row.classList.toggle("dirty", rows.has(row)));
    const refused = root.querySelectorAll("tr.has-errors").length;
    if (rows.size) say(text.msgUnsaved.replace("{count}", rows.size), refused ? "error" : "warn");
    else if (!refused && document.getElementById("save-state")?.className !== "ok") say(text.msgClean, "muted");
    // the sticky header row sits under the sticky totals bar, whatever its height
    const bar = document.getElementById("totals");
    if (bar) root.style.setProperty("--totals-bar-height", bar.offsetHeight + "px");
    return rows.size;
  }

  function focusFirstError() {
    const field = root.querySelector("[aria-invalid=true]") || root.querySelector("tr.row-errors");
    if (!field) return;
    field.scrollIntoView({ block: "center" });
    if (field.focus) field.focus({ preventScroll: true });
  }

  async function save(form) {
    if (busy) return;
    const rows = dirtyRows();
    if (!rows.length) {
      say(text.msgNothing, "muted");
      return;
    }
    const body = new FormData(form);
    const keep = new Set(rows.map((row) => row.dataset.prefix + "-"));
    for (const key of Array.from(body.keys())) {
      if (key.startsWith("row-") && ![...keep].some((prefix) => key.startsWith(prefix))) body.delete(key);
    }
    busy = true;
    form.setAttribute("aria-busy", "true");
    say(text.msgSaving, "muted");
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch (error) {
      return refused(form, text.msgOffline);
    }
    if (response.headers.get("X-Scoring-Fragment")) {
      const scroll = window.scrollY;
      root.innerHTML = await response.text();
      busy = false;
      window.scrollTo(0, scroll);
      refresh();
      focusFirstError();
      return;
    }
    if (response.type === "opaqueredirect") return refused(form, text.msgLogin);
    let message = text.msgFailed.replace("{status}", response.status);
    if ((response.headers.get("Content-Type") || "").includes("json")) {
      message = (await response.json()).error || message;
    }
    return refused(form, message);
  }

  function refused(form, message) {
    busy = false;
    form.removeAttribute("aria-busy");
    refresh();
    say(message, "error");
  }

  root.addEventListener("input", refresh);
  root.addEventListener("change", refresh);
  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.id === "scores-form") {
      event.preventDefault();
      save(form);
    } else if (form.id === "submit-form") {
      if (busy || dirtyRows().length) {
        event.preventDefault();
        say(text.msgSubmitUnsaved, "error");
        document.getElementById("totals")?.scrollIntoView({ block: "nearest" });
      } else if (!window.confirm(text.msgConfirmSubmit)) {
        event.preventDefault();
      }
    }
  });
  // Ctrl+S / ⌘S saves the page, as in a spreadsheet, instead of saving the HTML
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      const form = document.getElementById("scores-form");
      if (!form || !document.getElementById("save-scores")) return;
      event.preventDefault();
      save(form);
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (!dirtyRows().length) return;
    event.preventDefault();
    event.returnValue = "";
  });
  refresh();
})();
