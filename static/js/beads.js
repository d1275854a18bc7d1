/* Sentence alignment: pointing at (or tapping, or focusing into) a sentence lights its
   translation in the other column — every span of the pair with the same data-bead. */

import { load, save } from "./util.js";

export function start() {
  let lit = [];
  let on = load("duizhao-beads") !== "off";
  const toggle = document.querySelector("[data-beads-toggle]");
  if (toggle) {  // the switch is remembered, like the reading mode
    toggle.setAttribute("aria-pressed", String(on));
    toggle.addEventListener("click", () => {
      on = !on;
      save("duizhao-beads", on ? "on" : "off");
      toggle.setAttribute("aria-pressed", String(on));
      if (!on) { light(null); }
    });
  }
  const noteOpen = () => {
    const popup = document.getElementById("note-popup");
    return popup && !popup.hidden;
  };
  function light(span) {
    lit.forEach((s) => s.classList.remove("bead-lit"));
    lit = [];
    if (!on || noteOpen()) { return; }  // quiet while a note is open
    const pair = span && span.closest("[data-pair]");
    if (!pair) { return; }
    lit = [...pair.querySelectorAll('[data-bead="' + span.getAttribute("data-bead") + '"]')];
    lit.forEach((s) => s.classList.add("bead-lit"));
  }
  const from = (event) => (event.target.closest ? event.target.closest("[data-bead]") : null);
  document.addEventListener("mouseover", (event) => light(from(event)));
  // A tap lights the sentence, then focuses the article around it (tabindex=-1): focus
  // landing on a box around the lit sentence keeps it lit.
  document.addEventListener("focusin", (event) => {
    const span = from(event);
    if (span || !event.target.contains(lit[0] || null)) { light(span); }
  });
  document.addEventListener("mouseleave", () => light(null));
}
