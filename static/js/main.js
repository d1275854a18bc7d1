/* duizhao reader, the entry module: starts each part of the reader. Modules are deferred,
   so the page is parsed when this runs; prelude.js (a classic script in <head>) has
   already applied the saved mode and theme before the first paint. No inline script: a
   strict CSP holds. Without JavaScript — or from file:, where Chromium runs no module
   script — every feature degrades to plain links and both languages. */
import { html } from "./util.js";
import { start as modes } from "./modes.js";
import { start as notes } from "./notes.js";
import { start as permalinks } from "./permalinks.js";
import { start as beads } from "./beads.js";
import { start as contents } from "./contents.js";
import { start as scroll } from "./scroll.js";
import { start as search } from "./search-loader.js";

html.classList.add("js");  // the controls work: show them (style.css)
const printed = () => {  // print names the page's address (its public one if it has one)
  const canonical = document.querySelector('link[rel="canonical"]');
  const address = (canonical ? canonical.href : location.href).split("#")[0];
  document.querySelectorAll("[data-print-url]").forEach((e) => { e.textContent = address; });
};
const landing = () => {  // only after a topic chip: loaded then
  if (new URLSearchParams(location.search).has("topic")) { import("./landing.js").then((m) => m.start()); }
};
for (const start of [search, modes, notes, permalinks, beads, contents, scroll, landing, printed]) {
  try { start(); } catch (error) {
    window.setTimeout(() => { throw error; });  // reported, and the other parts still start
  }
}
