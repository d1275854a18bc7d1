/* Loaded by 404.html only (GitHub Pages and `serve` answer every missing path with it).
   A topic's passages in one report year once had a page of their own,
   topics/<topic>/<series>/<year>/ (before series: topics/<topic>/<year>/). They are now
   one section of that report year's topics page, <series>/<year>/topics/#<topic>, so
   the site needs no file per old address: this sends such an address there at once.
   No inline script (the CSP forbids it), no other origin; the path before `topics/` is
   kept, so the site works at / and under /<repo>/. Any other missing page stays a 404. */
const OLD = /^(.*\/)topics\/([a-z0-9][a-z0-9-]*)\/(?:([a-z][a-z0-9-]*)\/)?(\d{1,4})(?:\/(?:index\.html)?)?$/;

export function movedTo(path, firstSeries) {
  const found = OLD.exec(path);
  if (!found) { return null; }
  const [, base, topic, series, year] = found;
  if (!series && !firstSeries) { return null; }
  return `${base}${series || firstSeries}/${year}/topics/#${topic}`;
}

const page = document.querySelector("[data-first-series]");
const target = movedTo(location.pathname, page ? page.getAttribute("data-first-series") : "");
if (target) { location.replace(new URL(target, location.origin).href); }
