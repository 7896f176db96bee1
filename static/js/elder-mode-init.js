/* Before first paint: turn on 长辈模式 (large text) if the visitor chose it earlier (portal.js has the
 * toggle). A file rather than an inline script so the Content-Security-Policy needs no exception;
 * loaded without defer in <head> so the page never flashes at the small size. */
try {
  if (localStorage.getItem("kepu-large-text") === "1") document.documentElement.classList.add("large-text");
} catch (e) { /* storage blocked: default size */ }
