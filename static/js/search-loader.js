/* Search: the button and the "/" key load static/search.js (and Pagefind) on first use
   only. Without JavaScript the button stays hidden. */
import { siteRoot } from "./util.js";

export function start() {
  const button = document.querySelector("[data-search-open]");
  const dialog = document.getElementById("search");
  if (!button || !dialog) { return; }
  let module = null;
  function open() {
    module = module || import(new URL("static/search.js", siteRoot()).href);
    module.then((search) => search.open(), (error) => {
      module = null;  // the next try loads it again
      throw error;
    });
  }
  button.hidden = false;
  button.addEventListener("click", open);
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey && !dialog.open) {
      event.preventDefault();
      open();
    }
  });
}
