/* Contents: mark the section being read and keep it in view inside the sidebar. */
import { topbarHeight } from "./util.js";

export function start() {
  const nav = document.querySelector(".toc");
  if (!nav) { return; }
  const details = nav.querySelector("details");
  if (details && !window.matchMedia("(max-width: 60rem)").matches) { details.open = true; }
  const links = [...nav.querySelectorAll('a[href^="#"]')];
  const targets = links.map((a) => document.getElementById(a.hash.slice(1)));
  let active = null;
  let queued = false;
  function update() {
    queued = false;
    const line = topbarHeight() + 24;
    let index = -1;
    for (let i = 0; i < targets.length; i++) {
      if (targets[i] && targets[i].getBoundingClientRect().top <= line) { index = i; } else if (index >= 0) { break; }
    }
    const link = index >= 0 ? links[index] : null;
    if (link === active) { return; }
    if (active) { active.removeAttribute("aria-current"); }
    active = link;
    if (!link) { return; }
    link.setAttribute("aria-current", "location");
    const box = nav.getBoundingClientRect();
    const at = link.getBoundingClientRect();
    if (at.top < box.top || at.bottom > box.bottom) {
      nav.scrollTop += at.top - box.top - box.height / 3;
    }
  }
  window.addEventListener("scroll", () => {
    if (!queued) { queued = true; window.requestAnimationFrame(update); }
  }, { passive: true });
  update();
}
