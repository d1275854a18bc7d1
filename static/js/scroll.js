/* A reload (as "serve" does after every save) returns to the same place. */
import { load, save } from "./util.js";

export function start() {
  const key = "duizhao-scroll:" + location.pathname;
  const nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  const saved = load(key, true);
  if (nav && nav.type === "reload" && saved !== null) {
    // ours, not the browser's: it would put back the place of the page it reloaded, the
    // build-error page's top after a broken save was fixed
    history.scrollRestoration = "manual";
    window.scrollTo(0, Number(saved));
  }
  // The preview's build-error page, served at every address, keeps no place of its own:
  // the fixed page reloads where the reader was before the broken save.
  window.addEventListener("pagehide", () => {
    if (!document.querySelector(".build-error")) { save(key, String(window.scrollY), true); }
    history.scrollRestoration = "auto";
  });
}
