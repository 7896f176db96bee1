/* Before first paint: 长辈模式 (elder mode) as <html class="elder">, the visitor's choice remembered
 * in localStorage ("kepu-elder"; the older 大字 key "kepu-large-text" is migrated). A poster's QR
 * code can open it: ?mode=elder turns it on and ?mode=standard off, and both are remembered.
 * Only this script reads `mode` — the server never does, so the page cache is not split by it
 * (docs/caching.md). A file rather than an inline script so the CSP needs no exception; loaded
 * without defer in <head> so the page never flashes in the other mode. portal.js has the button. */
(function () {
  var KEY = "kepu-elder", OLD_KEY = "kepu-large-text";
  var match = /[?&]mode=(elder|standard)(?=&|#|$)/.exec(location.search);
  var on = false;
  try {
    if (match) {
      on = match[1] === "elder";
      localStorage.setItem(KEY, on ? "1" : "0");
      /* Remembered now: take `mode` out of the address, so a reload after the visitor turns the
       * mode off with the button does not turn it on again. */
      if (window.history && history.replaceState) {
        var rest = location.search.replace(/([?&])mode=(elder|standard)(&|$)/, function (m, lead, v, tail) {
          return tail ? lead : "";
        });
        history.replaceState(history.state, "", location.pathname + rest + location.hash);
      }
    } else {
      var saved = localStorage.getItem(KEY);
      if (saved === null && localStorage.getItem(OLD_KEY) !== null) {
        saved = localStorage.getItem(OLD_KEY);
        localStorage.setItem(KEY, saved);
      }
      on = saved === "1";
    }
    localStorage.removeItem(OLD_KEY);
  } catch (e) {
    on = !!match && match[1] === "elder"; /* storage blocked: the URL still works for this page */
  }
  if (on) document.documentElement.classList.add("elder");
})();
