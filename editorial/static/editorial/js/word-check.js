// 错敏词检查 while editing: send the form as it is now to the check view a moment after the author
// stops typing (or on 立即检查) and show the answer in the panel. Nothing is saved by this.
(function () {
  "use strict";

  function start() {
    var panel = document.querySelector("[data-word-check-url]");
    var form = panel && panel.closest("form");
    if (!form) return;
    var url = panel.getAttribute("data-word-check-url");
    var timer = null;
    var running = false;
    var again = false;

    function run() {
      if (running) { again = true; return; }
      running = true;
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) panel.innerHTML = html; })
        .catch(function () { /* offline for a moment: the check on submit still applies */ })
        .finally(function () {
          running = false;
          if (again) { again = false; run(); }
        });
    }

    function soon(event) {
      if (event && panel.contains(event.target)) return; // ticking the confirmation is not an edit
      clearTimeout(timer);
      timer = setTimeout(run, 1200);
    }

    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    panel.addEventListener("click", function (event) {
      if (event.target.closest("[data-word-check-run]")) { clearTimeout(timer); run(); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
