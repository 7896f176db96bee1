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

// Suggestions as you type: the search box becomes a WAI-ARIA 1.2 combobox over a listbox filled from
// the suggest API. Unlike a <datalist>, the browser does not filter what the server suggests, so
// 农药 is shown for a typed "nongyao". Focus stays in the box; aria-activedescendant names the
// option the arrow keys are on. Without JS (or fetch) the form is a plain search box.
(function () {
  var input = document.querySelector("[data-suggest-url]");
  var list = input && document.getElementById(input.dataset.suggestList);
  var status = document.querySelector("[data-suggest-status]");
  if (!list || !window.fetch) return;
  var form = input.form, timer = null, asked = "", active = -1;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  list.setAttribute("role", "listbox");

  function options() { return list.querySelectorAll("[role=option]"); }

  function highlight(index) {
    var all = options();
    active = index;
    for (var i = 0; i < all.length; i++) all[i].setAttribute("aria-selected", i === index ? "true" : "false");
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    highlight(-1);
  }

  function open() {
    if (!options().length) return;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function show(suggestions) {
    list.textContent = "";
    suggestions.forEach(function (text, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.className = "search-suggestion";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = text;
      list.appendChild(option);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (status) status.textContent = suggestions.length ? suggestions.length + " 条搜索建议，可用上下方向键选择" : "";
    if (suggestions.length) open(); else close();
  }

  function choose(option) {
    input.value = option.textContent;
    close();
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { asked = ""; show([]); return; }
    if (q === asked) return;
    timer = setTimeout(function () {
      asked = q;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() === q) show(data.suggestions || []);  // an answer to older text is dropped
        })
        .catch(function () {});
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    var count = options().length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) return;
      event.preventDefault();
      var down = event.key === "ArrowDown";
      open();
      if (active < 0) highlight(down ? 0 : count - 1);
      else highlight((active + (down ? 1 : -1) + count) % count);  // wraps round, as in the APG example
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      choose(options()[active]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();  // close the list; a second Escape clears the box as usual
      close();
    }
  });

  // mousedown would move focus out of the box (and close the list) before the click lands.
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  list.addEventListener("click", function (event) {
    var option = event.target.closest("[role=option]");
    if (option) choose(option);
  });
  input.addEventListener("blur", close);
})();
