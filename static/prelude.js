/* duizhao prelude: runs in <head>, before the first paint, so the saved reading mode and
   theme never flash. Tiny on purpose: everything else is in reader.js (deferred). */
(function () {
  "use strict";
  var root = document.documentElement;
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  var mode = load("duizhao-mode");
  root.setAttribute("data-mode", mode === "zh" || mode === "en" ? mode : "both");
  var theme = load("duizhao-theme");
  if (theme === "light" || theme === "dark") { root.setAttribute("data-theme", theme); }
  root.classList.add("js");
}());
