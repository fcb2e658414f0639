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

  // Nothing typed is lost without a word: a grid row whose inputs differ from what the
  // server drew is "unsaved"; saving one row keeps the others' typed values (and the
  // version they were typed against, so a row someone saved meanwhile still conflicts);
  // a refused save leaves the grid as it is and says why; leaving asks first.
  const message = document.getElementById("grid-message");
  const unsaved = document.getElementById("unsaved");
  const rowInputs = () => [...editor.querySelectorAll("#target-grid input[form]")];
  // what the server has stored (drawn as data-saved), else what the page was drawn with
  const changed = (input) => input.value !== (input.dataset.saved ?? input.defaultValue);
  const dirtyForms = () => [...new Set(rowInputs().filter(changed).map((i) => i.getAttribute("form")))];

  function showDirty() {
    const forms = dirtyForms();
    rowInputs().forEach((input) => {
      const row = input.closest("tr");
      if (row) row.classList.toggle("unsaved", forms.includes(input.getAttribute("form")));
    });
    if (!unsaved) return;
    unsaved.hidden = forms.length === 0;
    unsaved.querySelector(".count").textContent = unsaved.dataset.template.replace("N", forms.length);
  }

  function say(text) {
    if (!message) return;
    message.textContent = text;
    message.hidden = !text;
    if (text) message.scrollIntoView({ block: "center" });
  }

  // The typed values of every unsaved row but ``except`` (the row just sent, which the
  // server draws itself), keyed by form id and input name, with the row's version.
  function typedRows(except) {
    const kept = {};
    rowInputs().filter(changed).forEach((input) => {
      const id = input.getAttribute("form");
      if (id === except) return;
      const version = document.querySelector(`#${id} input[name=version]`);
      kept[id] = kept[id] || { values: {}, version: version ? version.value : null };
      kept[id].values[input.name] = input.value;
    });
    return kept;
  }

  function putBack(kept) {
    const lost = [];
    Object.entries(kept).forEach(([id, row]) => {
      const form = document.getElementById(id);
      if (!form) { lost.push(...Object.values(row.values)); return; }
      Object.entries(row.values).forEach(([name, value]) => {
        const input = editor.querySelector(`#target-grid input[form="${id}"][name="${name}"]`);
        if (!input) return;
        input.value = value;
        if (input.classList.contains("value-input")) showParse(input);
      });
      const version = form.querySelector("input[name=version]");
      if (version && row.version !== null) version.value = row.version;
    });
    return lost;
  }

  // Why the server refused, from its error page (#reason, else its heading).
  function reasonOf(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const node = page.querySelector("#reason") || page.querySelector("main h1, h1");
    return node ? node.textContent.trim() : "";
  }

  async function send(form) {
    const body = new FormData(form);
    // Inputs in other cells belong to this form through their form="…" attribute.
    if (form.id) {
      document.querySelectorAll(`[form="${form.id}"]`).forEach((input) => body.set(input.name, input.value));
    }
    // The token of the cookie as it is now: logging in again in another tab replaces it,
    // and the one this page was drawn with would then be refused.
    const cookie = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (cookie) body.set("csrfmiddlewaretoken", decodeURIComponent(cookie[1]));
    editor.dataset.busy = "true";
    let response;
    try {
      response = await fetch(form.action, { method: "POST", body, headers, credentials: "same-origin" });
    } catch (error) {
      say(editor.dataset.msgNetwork);
      return false;
    } finally {
      editor.dataset.busy = "false";
    }
    // Redirected to the login page: the session ended (logged out elsewhere, expired).
    if (response.redirected && !response.url.startsWith(form.action)) {
      say(editor.dataset.msgLogin);
      return false;
    }
    // 400: the input is refused; 409: someone saved the row meanwhile. Either way the
    // grid comes back with what was typed still in the row, and the reason beside it.
    if (response.status === 200 || response.status === 400 || response.status === 409) {
      const html = await response.text();
      const kept = typedRows(form.id);
      editor.innerHTML = html;
      const lost = putBack(kept);
      say(lost.length ? editor.dataset.msgGone + lost.join("；") : "");
      showDirty();
      // A counter of replacements, so that a test (or a person's script) can wait for it.
      editor.dataset.updates = String(Number(editor.dataset.updates || 0) + 1);
      const focus = response.status !== 200 ? editor.querySelector(".error") : null;
      if (focus) focus.scrollIntoView({ block: "center" });
      else if (form.id === "add-form") {
        const name = document.getElementById("add-name");
        if (name) name.focus({ preventScroll: true });
      }
      return response.status === 200;
    }
    // Anything else (403 locked or not allowed, 404 gone, 5xx): the grid stays as typed.
    const reason = reasonOf(await response.text()) || `HTTP ${response.status}`;
    say(editor.dataset.msgRefused.replace("{reason}", reason));
    return false;
  }

  editor.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.fragment");
    if (!form) return;
    event.preventDefault();
    if (form.classList.contains("confirm") && !window.confirm(form.dataset.confirm)) return;
    await send(form);
  });

  const saveAll = document.getElementById("save-all");
  if (saveAll) {
    saveAll.addEventListener("click", async () => {
      saveAll.disabled = true;
      try {
        // one row after the other; the first refusal stops, with its reason shown
        for (let id = dirtyForms()[0]; id; id = dirtyForms()[0]) {
          const form = document.getElementById(id);
          if (!form || !(await send(form))) break;
        }
      } finally {
        saveAll.disabled = false;
      }
    });
  }

  editor.addEventListener("input", showDirty);
  window.addEventListener("beforeunload", (event) => {
    const adding = ["add-name", "add-value"].some((id) => {
      const input = document.getElementById(id);
      return input && changed(input);
    });
    if (dirtyForms().length || adding) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // How the server reads a 指标值, shown beside its input.
  async function showParse(input) {
    const slot = input.parentElement.querySelector(".parse-slot");
    if (!slot) return;
    const response = await fetch(`${parseUrl}?text=${encodeURIComponent(input.value)}`, { headers });
    if (response.ok) slot.innerHTML = await response.text();
  }

  let timer = null;
  editor.addEventListener("input", (event) => {
    const input = event.target;
    if (input.classList.contains("value-input")) {
      clearTimeout(timer);
      timer = setTimeout(() => showParse(input), 250);
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
