/* Footnotes: hover, keyboard focus or tap opens the note; Escape, a tap outside or moving
   focus away closes it. Narrow screens get a sheet at the bottom. A note opened by click
   or tap is pinned: it stays while the reader selects its text. The popup is a copy of
   <template id="note-template"> (report.html); without it, or without JavaScript, a
   reference stays a link to its endnote. */
import { announce, topbarHeight } from "./util.js";

export function start() {
  backlinks();
  const refs = document.querySelectorAll('a[role="doc-noteref"]');
  const template = document.getElementById("note-template");
  if (!refs.length || !template) { return; }
  const popup = template.content.firstElementChild.cloneNode(true);
  document.body.append(popup);
  const label = popup.querySelector(".note-label");
  const body = popup.querySelector(".note-body");
  const go = popup.querySelector("[data-note-go]");
  let current = null;
  let pinned = false;
  let refocusing = false;
  let timer = 0;

  /* The note's text without its links back; returns it as plain text, to announce. */
  function fill(ref) {
    const note = document.getElementById(ref.hash.slice(1));
    label.textContent = "Note " + ref.textContent;
    body.setAttribute("lang", (note && note.getAttribute("lang")) || "en");
    body.replaceChildren();
    go.href = ref.hash;
    if (!note) { return ""; }
    const copy = note.cloneNode(true);
    copy.querySelectorAll('[role="doc-backlink"]').forEach((a) => a.remove());
    body.append(...copy.childNodes);
    return note.textContent.replace(/↩/g, "").trim();
  }

  const narrow = () => window.matchMedia("(max-width: 40rem)").matches;

  /* Below the reference (above it if there is no room below), inside the window. */
  function place(ref) {
    popup.classList.toggle("sheet", narrow());
    popup.style.left = "0px";
    popup.style.top = "0px";
    if (narrow()) { popup.style.left = ""; popup.style.top = ""; return; }
    const r = ref.getBoundingClientRect();
    const w = popup.offsetWidth;
    const h = popup.offsetHeight;
    const gap = 8;
    const left = Math.min(Math.max(gap, r.left + r.width / 2 - w / 2), window.innerWidth - w - gap);
    const below = r.bottom + gap;
    const fitsAbove = r.top - h - gap > topbarHeight() + gap;
    const top = below + h > window.innerHeight - gap && fitsAbove ? r.top - h - gap : below;
    popup.style.left = (left + window.scrollX) + "px";
    popup.style.top = (top + window.scrollY) + "px";
  }

  function open(ref, pin) {
    window.clearTimeout(timer);
    if (current && current !== ref) { close(false); }
    const text = fill(ref);
    current = ref;
    pinned = pinned || pin;
    popup.setAttribute("role", pinned ? "dialog" : "tooltip");
    popup.setAttribute("aria-label", "Note " + ref.textContent);
    popup.hidden = false;
    place(ref);
    ref.setAttribute("aria-expanded", "true");
    ref.setAttribute("aria-describedby", popup.id);
    if (pin) { announce("Note " + ref.textContent + ": " + text); }
  }

  function close(returnFocus) {
    window.clearTimeout(timer);
    if (!current) { return; }
    const ref = current;
    current = null;
    pinned = false;
    popup.hidden = true;
    ref.removeAttribute("aria-expanded");
    ref.removeAttribute("aria-describedby");
    if (returnFocus) {
      refocusing = true;  // focusing the reference must not open the note again
      ref.focus();
      refocusing = false;
    }
  }

  const focusInside = () => document.activeElement === current || popup.contains(document.activeElement);
  const later = (fn, ms) => { window.clearTimeout(timer); timer = window.setTimeout(fn, ms); };

  refs.forEach((ref) => {
    ref.setAttribute("aria-haspopup", "true");
    ref.addEventListener("mouseenter", () => { if (!pinned) { later(() => open(ref, false), 120); } });
    ref.addEventListener("mouseleave", () => { if (!pinned) { later(() => close(false), 250); } });
    ref.addEventListener("focus", () => { if (!refocusing && current !== ref) { open(ref, false); } });
    ref.addEventListener("blur", (event) => {
      if (!pinned && !popup.contains(event.relatedTarget)) { later(() => close(false), 150); }
    });
    ref.addEventListener("click", (event) => {
      event.preventDefault();
      open(ref, true);
    });
  });
  popup.querySelector("[data-note-close]").addEventListener("click", () => close(true));
  go.addEventListener("click", () => {
    const note = document.getElementById(go.hash.slice(1));
    close(false);
    if (note) { note.setAttribute("tabindex", "-1"); window.setTimeout(() => note.focus(), 0); }
  });
  popup.addEventListener("mouseenter", () => window.clearTimeout(timer));
  popup.addEventListener("mouseleave", () => { if (!pinned) { later(() => close(false), 250); } });
  popup.addEventListener("focusout", (event) => {
    if (!pinned && !popup.contains(event.relatedTarget) && event.relatedTarget !== current) {
      later(() => close(false), 150);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) { close(focusInside()); }
  });
  document.addEventListener("pointerdown", (event) => {
    if (current && !popup.contains(event.target) && event.target !== current) { close(false); }
  });
  window.addEventListener("resize", () => { if (current) { place(current); } });
}

/* In a one-language mode the reference may sit in a hidden cell: a link back then goes
   to the visible paragraph that holds it. */
function backlinks() {
  document.querySelectorAll('[role="doc-backlink"]').forEach((back) => {
    back.addEventListener("click", (event) => {
      const ref = document.getElementById(back.hash.slice(1));
      if (!ref || ref.getClientRects().length) { return; }
      const block = ref.closest("[data-pair], .heading");
      if (!block) { return; }
      event.preventDefault();
      history.pushState(null, "", back.hash);
      block.scrollIntoView({ block: "start" });
      const link = block.querySelector(".permalink");
      if (link) { link.focus(); }
    });
  });
}
