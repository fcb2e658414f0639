// Starts a render without leaving the page and polls the job fragment until it is finished.
// Without JavaScript the form posts normally and the page shows the job (reload to refresh).
(function () {
  "use strict";
  var headers = { "X-Requested-With": "fetch" };

  function poll(target) {
    var job = target.querySelector("[data-poll]");
    if (!job) return;
    window.setTimeout(function () {
      fetch(job.dataset.poll, { headers: headers, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html !== null) target.innerHTML = html;
          poll(target);
        });
    }, 1000);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-render-into]");
    if (!form) return;
    event.preventDefault();
    var target = document.getElementById(form.dataset.renderInto);
    fetch(form.action, {
      method: "POST", body: new FormData(form), headers: headers, credentials: "same-origin",
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        target.innerHTML = html;
        poll(target);
      });
  });

  document.querySelectorAll("[data-render-into]").forEach(function (form) {
    var target = document.getElementById(form.dataset.renderInto);
    if (target) poll(target);
  });
})();
