/* A reload (as "serve" does after every save) returns to the same place. */
import { load, save } from "./util.js";

export function start() {
  const key = "duizhao-scroll:" + location.pathname;
  const nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  const saved = load(key, true);
  if (nav && nav.type === "reload" && saved !== null) {
    window.scrollTo(0, Number(saved));
  }
  window.addEventListener("pagehide", () => save(key, String(window.scrollY), true));
}
