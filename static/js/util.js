/* What the reader's modules share: the document element, the site root, saved settings,
   the top bar's height and the screen-reader announcer. */

export const html = document.documentElement;

/* The site root, from <html data-root> (relative, like "../"; "" with a <base href>). */
export function siteRoot() {
  return new URL(html.getAttribute("data-root") || "", document.baseURI);
}

/* localStorage (or sessionStorage) that may be refused: private mode, file: pages. */
function store(session) { return session ? sessionStorage : localStorage; }
export function load(key, session) {
  try { return store(session).getItem(key); } catch (e) { return null; }
}
export function save(key, value, session) {
  try { store(session).setItem(key, value); } catch (e) { /* not kept */ }
}

export function topbarHeight() {
  const bar = document.querySelector(".topbar");
  return bar ? bar.getBoundingClientRect().height : 0;
}

/* Tell screen readers through the polite live region (#announce in base.html). */
export function announce(text) {
  const region = document.getElementById("announce");
  if (!region) { return; }
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 30);
}
