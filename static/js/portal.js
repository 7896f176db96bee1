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
