// Large-text mode (适老化): toggled by the header button, remembered on this device.
(function () {
  var root = document.documentElement;
  var button = document.querySelector("[data-large-text-toggle]");
  if (!button) return;
  function sync() { button.setAttribute("aria-pressed", root.classList.contains("large-text") ? "true" : "false"); }
  sync();
  button.addEventListener("click", function () {
    root.classList.toggle("large-text");
    try { localStorage.setItem("kepu-large-text", root.classList.contains("large-text") ? "1" : "0"); } catch (e) {}
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
