/* duizhao prelude: runs in <head>, before the first paint, so the saved reading mode and
   theme never flash. Tiny on purpose, and a classic script: everything else is in the
   modules of static/js/ (deferred). From file: Chromium runs no module script, so there
   the prelude does nothing: no buttons that could not work, no saved mode that could not
   be changed back; js/main.js applies both where modules do run. */
(function () {
  "use strict";
  var root = document.documentElement;
  if (location.protocol === "file:") { root.classList.add("from-file"); return; }  // says why no search
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  var mode = load("duizhao-mode");
  root.setAttribute("data-mode", mode === "zh" || mode === "en" ? mode : "both");
  var theme = load("duizhao-theme");
  if (theme === "light" || theme === "dark") { root.setAttribute("data-theme", theme); }
  root.classList.add("js");
}());
