// 长辈模式 (elder mode): toggled by the header button, remembered on this device (elder-mode-init.js
// applies it before first paint and handles ?mode=elder / ?mode=standard).
(function () {
  var root = document.documentElement;
  var button = document.querySelector("[data-elder-toggle]");
  if (!button) return;
  function sync() { button.setAttribute("aria-pressed", root.classList.contains("elder") ? "true" : "false"); }
  sync();
  button.addEventListener("click", function () {
    root.classList.toggle("elder");
    try { localStorage.setItem("kepu-elder", root.classList.contains("elder") ? "1" : "0"); } catch (e) {}
    sync();
  });
})();

// Suggestions as you type: fills the search box's <datalist> from the suggest API.
(function () {
  var input = document.querySelector("[data-suggest-url]");
  var list = document.getElementById("search-suggestions");
  if (!input || !list || !window.fetch) return;
  var timer = null, last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q || q === last) return;
    timer = setTimeout(function () {
      last = q;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          list.textContent = "";
          (data.suggestions || []).forEach(function (s) {
            var option = document.createElement("option");
            option.value = s;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
