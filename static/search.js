/* duizhao search: loaded by js/search-loader.js on first use (the search button or "/").

   Two Pagefind bundles, built from the same pairs: _pagefind/zh/ (Chinese, segmented, so
   养老 finds 养老服务中心) and _pagefind/en/ (English, stemmed). Each runs as its own
   Pagefind instance with its own language analyser; a query goes to both, and the
   results are merged by score, one per paragraph pair. A pair drawn sentence by sentence
   is indexed bead by bead, so a hit shows the matched sentence's own translation beneath
   it, not the start of the other paragraph. Everything is fetched from the site itself
   (no other origin), relative to the site root, so it works under a GitHub Pages
   project path. Keyboard: ↑/↓ move between the box and the results, Enter opens a
   result, Esc closes; the result count is announced through a status region. */

import { siteRoot } from "./js/util.js";

const dialog = document.getElementById("search");
const input = document.getElementById("search-input");
const year = document.getElementById("search-year");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const template = document.getElementById("search-result");
const root = siteRoot();
const PAGE = 20;  // results shown at once; "Show more" adds as many again
const LOOKED = 200;  // reports (Pagefind results) read at most for one query: a bound
let shown = PAGE;
let engines = null;
let asked = 0;

/* Each language's index may come in parts (_pagefind/parts.json lists their folders,
   the first the primary): a large site is indexed part by part, in bounded memory, and
   the parts are merged here into one instance per language. */
const OPTIONS = { excerptLength: 40 };
async function engine(folders) {
  if (!folders || !folders.length) { return null; }  // no text in this language at all
  const pagefind = await import(new URL(`${folders[0]}pagefind.js`, root).href);
  await pagefind.options(OPTIONS);
  await pagefind.init();  // a merged part takes only the options given with it
  await Promise.all(folders.slice(1).map((folder) => pagefind.mergeIndex(new URL(folder, root).href, OPTIONS)));
  return pagefind;
}

function load() {
  if (!engines) {
    engines = fetch(new URL("_pagefind/parts.json", root).href)
      .then((answer) => { if (!answer.ok) { throw new Error(answer.statusText); } return answer.json(); })
      .then((parts) => Promise.all(["zh", "en"].map((lang) => engine(parts[lang]))));
    engines.then(years).catch(() => say("Search could not load · 搜索无法加载"));
  }
  return engines;
}

async function years(engines) {
  const filters = await (engines[0] || engines[1]).filters();
  Object.keys(filters.year || {}).sort().reverse().forEach((value) => {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = value;
    year.append(option);
  });
}

function say(text) {
  status.textContent = text;
}

/* Pagefind's excerpt marks the matched words with <mark>; copy only its text and marks. */
function marked(target, html) {
  const holder = document.createElement("template");
  holder.innerHTML = html;
  holder.content.childNodes.forEach((node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      target.append(mark);
    } else {
      target.append(node.textContent);
    }
  });
}

/* Cut at a word boundary (English) or anywhere (Chinese has none to keep). */
function shorten(text, length) {
  if (text.length <= length) { return text; }
  const cut = text.slice(0, length);
  const space = cut.lastIndexOf(" ");
  return `${(HAN.test(cut.slice(-1)) || space < length / 2 ? cut : cut.slice(0, space)).trimEnd()}…`;
}

/* Which index to ask, and what: Chinese text goes to the Chinese index, Latin text to the
   English one; a number goes to both, written each language's way (26万 ⇄ 260,000). */
const HAN = /[\u3400-\u9fff]/;
function queries(query) {
  const han = HAN.test(query);
  const latin = /[A-Za-z]/.test(query);
  const value = number(query);
  if (value !== null) {  // a phrase: 260,000 is one figure, not the words 260 and 000
    return { zh: `"${chinese(value)}"`, en: `"${value.toLocaleString("en-US")}"` };
  }
  return { zh: han || !latin ? query : null, en: latin || !han ? query : null };
}
function number(query) {
  const zh = /^(\d+(?:\.\d+)?)(万|亿)$/.exec(query);
  if (zh) { return Math.round(parseFloat(zh[1]) * (zh[2] === "万" ? 1e4 : 1e8)); }
  return /^\d{1,3}(,\d{3})+$|^\d+$/.test(query) ? parseInt(query.replace(/,/g, ""), 10) : null;
}
function chinese(value) {
  if (value >= 1e8 && value % 1e6 === 0) { return `${value / 1e8}亿`; }
  return value >= 1e4 && value % 100 === 0 ? `${value / 1e4}万` : String(value);
}

/* A run of two or more Han characters is searched as a phrase first: 老老人 must not rank
   passages that only share 老 (老旧小区) above those that say 老老人. */
function phrase(query) {
  return /^[\u3400-\u9fff]{2,}$/.test(query) ? query : null;
}
const plainText = (html) => html.replace(/<[^>]*>/g, "");

async function run(further = false) {
  shown = further ? shown + PAGE : PAGE;
  const query = input.value.trim();
  const mine = ++asked;
  const within = year.value;
  if (!query) {
    show([], "", query, within);
    return;
  }
  const [zh, en] = await load();
  const options = within ? { filters: { year: within } } : {};
  const asks = queries(query);
  const none = { results: [] };
  const found = await Promise.all([asks.zh && zh ? zh.search(asks.zh, options) : none,
                                   asks.en && en ? en.search(asks.en, options) : none]);
  if (mine !== asked) { return; }  // a newer query is on its way
  const hits = [...found[0].results.map((r) => ["zh", r]), ...found[1].results.map((r) => ["en", r])]
    .sort((a, b) => b[1].score - a[1].score);
  const seen = new Set();
  const exact = phrase(query);
  const best = [];
  let looked = 0;
  for (const [lang, result] of hits) {  // a result is a report; its sub-results, the pairs
    looked += 1;
    const data = await result.data();
    if (mine !== asked) { return; }
    for (const sub of data.sub_results) {  // a section: a pair, or one bead of it (pair.k)
      const anchor = sub.url.split("#")[1];
      const pair = `${data.meta.report}#${anchor?.split(".")[0]}`;
      if (!anchor || !(anchor in data.meta) || seen.has(pair) || !sub.locations?.length) { continue; }
      seen.add(pair);
      best.push([lang, data.meta, anchor, sub.excerpt]);
    }
    // a phrase must look further (its exact hits may rank low), within the bound
    if (best.length > shown && (!exact || looked >= LOOKED)) { break; }
  }
  if (exact) {  // exact hits first, each group still by score
    const has = (hit) => plainText(hit[3]).includes(exact);
    best.splice(0, best.length, ...best.filter(has), ...best.filter((hit) => !has(hit)));
  }
  const count = Math.min(best.length, shown);
  const more = best.length > shown || looked < hits.length;  // not all shown or looked at
  const items = best.slice(0, shown).map((hit) => item(...hit));
  if (more) { items.push(moreButton()); }
  show(items, count ? `${count}${more ? "+" : ""} result${count === 1 ? "" : "s"} · ${count}${more ? "+" : ""} 条结果`
    : "No results · 没有结果", query, within);
}

function moreButton() {
  const li = document.createElement("li");
  li.className = "search-more";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Show more · 更多结果";
  button.addEventListener("click", () => run(true).then(() => {
    const links = list.querySelectorAll("a");
    if (links[shown - PAGE]) { links[shown - PAGE].focus(); }
  }));
  li.append(button);
  return li;
}

/* The list says which query and year it answers (data-query, data-year): a test waits
   for the answer to its own query, not the one before. */
function show(items, text, query, within) {
  list.replaceChildren(...items);
  list.dataset.query = query;
  list.dataset.year = within;
  say(text);
}

function item(lang, meta, anchor, excerpt) {
  const li = template.content.firstElementChild.cloneNode(true);
  const link = li.querySelector("a");
  link.href = new URL(`${meta.report}/index.html#${anchor.split(".")[0]}`, root).href;
  const [section, other] = meta[anchor].split("\u241f");
  li.querySelector(".search-where").textContent = `${meta.title}${section ? ` · ${shorten(section, 80)}` : ""}`;
  const zh = li.querySelector(".search-zh");
  const en = li.querySelector(".search-en");
  const hit = excerpt.replace(/^§\s*/, "");
  if (lang === "zh") { marked(zh, hit); en.textContent = other; }  // cut at build (search.py)
  else { marked(en, hit); zh.textContent = other; }
  link.addEventListener("click", () => dialog.close());  // the pair may be on this page
  return li;
}

function move(step) {
  const stops = [input, ...list.querySelectorAll("a")];
  const at = stops.indexOf(document.activeElement);
  const next = stops[Math.min(Math.max(at + step, 0), stops.length - 1)];
  if (next) { next.focus(); }
}

let waiting = 0;
input.addEventListener("input", () => {
  window.clearTimeout(waiting);
  waiting = window.setTimeout(() => run(), 120);
});
year.addEventListener("change", () => run());
input.addEventListener("keydown", (event) => {
  const first = list.querySelector("a");
  if (event.key === "Enter") {  // not the form's submit (which closes the dialog)
    event.preventDefault();
    if (first) { first.click(); }
  }
  if (event.key === "Escape") {  // closes, as the button says (a search field's Esc only empties it)
    event.preventDefault();
    dialog.close();
  }
});
dialog.addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
  if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
});
dialog.addEventListener("click", (event) => {
  if (event.target === dialog) { dialog.close(); }  // a click on the backdrop
});

const styled = new Promise((done) => {
  const sheet = document.createElement("link");
  sheet.rel = "stylesheet";
  sheet.href = new URL("static/search.css", root).href;
  sheet.addEventListener("load", done);
  sheet.addEventListener("error", done);
  document.head.append(sheet);
});

export async function open() {
  await styled;
  if (!dialog.open) { dialog.showModal(); }
  input.focus();
  input.select();
  load();
}
