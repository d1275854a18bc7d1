/* Sentence alignment: pointing at (or tapping, or focusing into) a sentence lights its
   translation in the other column — every span of the pair with the same data-bead. */

export function start() {
  let lit = [];
  function light(span) {
    lit.forEach((s) => s.classList.remove("bead-lit"));
    lit = [];
    const pair = span && span.closest("[data-pair]");
    if (!pair) { return; }
    lit = [...pair.querySelectorAll('[data-bead="' + span.getAttribute("data-bead") + '"]')];
    lit.forEach((s) => s.classList.add("bead-lit"));
  }
  const from = (event) => (event.target.closest ? event.target.closest("[data-bead]") : null);
  document.addEventListener("mouseover", (event) => light(from(event)));
  document.addEventListener("focusin", (event) => light(from(event)));
  document.addEventListener("mouseleave", () => light(null));
}
