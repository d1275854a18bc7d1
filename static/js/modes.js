/* Reading modes (both languages, Chinese, English) and the colour theme: the buttons in
   the top bar. prelude.js applied the saved choice before the first paint; it is applied
   here again for pages where the prelude held back (file:, see prelude.js). */
import { announce, html, load, save, topbarHeight } from "./util.js";

const MODES = ["both", "zh", "en"];
const THEMES = ["auto", "dark", "light"];
const MODE_NAMES = { both: "both languages", zh: "Chinese only", en: "English only" };

function setMode(mode) {
  if (!MODES.includes(mode)) { mode = "both"; }
  html.setAttribute("data-mode", mode);
  return mode;
}

function setTheme(theme) {
  if (theme === "light" || theme === "dark") { html.setAttribute("data-theme", theme); }
  else { theme = "auto"; html.removeAttribute("data-theme"); }
  return theme;
}

/* Keep the reader's place when the mode changes the page height. */
function firstVisibleBlock() {
  const top = topbarHeight();
  for (const block of document.querySelectorAll("[data-pair], .heading")) {
    if (block.getBoundingClientRect().bottom > top) { return block; }
  }
  return null;
}

export function start() {
  const mode = setMode(load("duizhao-mode"));
  const theme = setTheme(load("duizhao-theme"));
  const box = document.querySelector(".controls");
  if (!box) { return; }
  const buttons = box.querySelectorAll("[data-set-mode]");
  const press = (now) => buttons.forEach((b) => {
    b.setAttribute("aria-pressed", String(b.getAttribute("data-set-mode") === now));
  });
  press(mode);
  buttons.forEach((button) => button.addEventListener("click", () => {
    const anchor = firstVisibleBlock();
    const now = setMode(button.getAttribute("data-set-mode"));
    save("duizhao-mode", now);
    press(now);
    if (anchor) { anchor.scrollIntoView({ block: "start" }); }
    announce("Showing " + MODE_NAMES[now]);
  }));

  const toggle = box.querySelector("[data-theme-toggle]");
  if (!toggle) { return; }
  const label = (now) => {
    toggle.setAttribute("aria-label", "Colour theme: " + (now === "auto" ? "automatic" : now));
    toggle.textContent = now === "dark" ? "☾" : now === "light" ? "☀" : "◐";
  };
  label(theme);
  toggle.addEventListener("click", () => {
    const now = html.getAttribute("data-theme") || "auto";
    const next = setTheme(THEMES[(THEMES.indexOf(now) + 1) % THEMES.length]);
    save("duizhao-theme", next);
    label(next);
    announce("Theme: " + (next === "auto" ? "follows the system" : next));
  });
}
