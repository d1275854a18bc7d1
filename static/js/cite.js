/* Citations of a paragraph or heading, loaded by permalinks.js when a reader first reaches
   its tools: plain text (both languages, or the selected passage, quotes nested), BibTeX
   and CSL-JSON (Zotero imports both). What they name comes from the report's data-cite-*
   attributes: issuer, title, speaker and role, date, session, translator. */

function cellText(cell) {
  if (!cell) { return ""; }
  const copy = cell.cloneNode(true);
  copy.querySelectorAll(".anchor, .permalink, .noteref, .missing, .pair-topics, .numbers-differ")
    .forEach((n) => n.remove());
  return copy.textContent.replace(/\s+/g, " ").trim();
}

function headingLevel(block) {
  const heading = block.querySelector("[data-heading]");
  return heading ? Number(heading.tagName.slice(1)) : 9;
}

/* The headings above a block, outermost first, in both languages. */
function sections(block) {
  const path = [];
  let below = headingLevel(block);
  for (let node = block.previousElementSibling; node; node = node.previousElementSibling) {
    if (node.classList.contains("heading") && headingLevel(node) < below) {
      below = headingLevel(node);
      path.unshift({ zh: cellText(node.querySelector(".cell.zh")), en: cellText(node.querySelector(".cell.en")) });
    }
  }
  return path;
}

/* What the reader selected inside this block, with its language; else null. */
function selected(block) {
  const selection = window.getSelection ? window.getSelection() : null;
  if (!selection || selection.isCollapsed || !selection.rangeCount) { return null; }
  const range = selection.getRangeAt(0);
  if (!block.contains(range.commonAncestorContainer)) { return null; }
  const text = selection.toString().replace(/\s+/g, " ").trim();
  const node = range.commonAncestorContainer.nodeType === 1 ? range.commonAncestorContainer
    : range.commonAncestorContainer.parentElement;
  const cell = node.closest(".cell");
  return text ? { text, zh: cell ? cell.classList.contains("zh") : /[\u4e00-\u9fff]/.test(text) } : null;
}

/* Quotes inside a quotation: ‘’ in English, 「」 in Chinese, inside the outer “”. */
function quote(text, zh) {
  const inner = zh ? text.replace(/“/g, "「").replace(/”/g, "」") : text.replace(/“/g, "‘").replace(/”/g, "’");
  return "“" + inner + "”";
}

function facts(article) {
  const get = (name) => article.getAttribute("data-cite-" + name) || "";
  return {
    issuer: get("issuer"), issuerZh: get("issuer-zh"), title: get("title"), titleZh: get("title-zh"),
    year: get("year"), speaker: get("speaker"), speakerZh: get("speaker-zh"), role: get("role"),
    roleZh: get("role-zh"), date: get("date"), session: get("session"), sessionZh: get("session-zh"),
    translation: get("translation"), source: get("source"), report: article.getAttribute("data-report") || "",
  };
}

export function citation(block, article, id, url) {
  const f = facts(article);
  const chosen = selected(block);
  const lines = [];
  if (chosen) {
    lines.push(quote(chosen.text, chosen.zh));
  } else {
    const zh = cellText(block.querySelector(".cell.zh"));
    const en = cellText(block.querySelector(".cell.en"));
    if (zh) { lines.push(quote(zh, true)); }
    if (en) { lines.push(quote(en, false)); }
  }
  const who = [f.issuer && f.issuer + (f.issuerZh ? " (" + f.issuerZh + ")" : ""),
               f.title + " (" + f.year + ")" + (f.titleZh ? " · " + f.titleZh : "")].filter(Boolean).join(", ");
  const speaker = f.speaker ? ", delivered by " + f.speaker + (f.role ? ", " + f.role : "") +
    (f.speakerZh ? " (" + [f.roleZh, f.speakerZh].filter(Boolean).join(" ") + ")" : "") : "";
  const occasion = (f.session ? ", at the " + f.session : "") + (f.date ? ", " + f.date : "");
  const path = sections(block);
  const where = path.length ? ". " + path.map((s) => s.en).join(" › ") + " (" + path.map((s) => s.zh).join(" › ") + ")" : "";
  const translated = f.translation ? ". English translation: " + f.translation : "";
  lines.push("— " + who + speaker + occasion + where + translated + " [" + id + "]. " + url(id));
  return lines.join("\n");
}

export function bibtex(block, article, id, url) {
  const f = facts(article);
  const key = (f.report + "-" + id).replace(/[^A-Za-z0-9-]/g, "-");
  const field = (name, value) => (value ? "  " + name + " = {" + value.replace(/[{}]/g, "") + "},\n" : "");
  const path = sections(block).map((s) => s.en).join(" > ");
  return "@misc{" + key + ",\n" + "  author = {{" + (f.issuer || f.speaker).replace(/[{}]/g, "") + "}},\n" +
    field("title", f.title + " (" + f.year + ")" + (f.titleZh ? " / " + f.titleZh : "")) +
    field("howpublished", [f.session && "Delivered at the " + f.session,
                           f.speaker && "by " + f.speaker + (f.role ? ", " + f.role : "")].filter(Boolean).join(", ")) +
    field("year", f.year) + field("date", f.date) +
    field("note", "Paragraph " + id + (path ? ", " + path : "") + (f.translation ? "; English translation: " + f.translation : "")) +
    field("url", url(id)) + "}\n";
}

export function cslJson(block, article, id, url) {
  const f = facts(article);
  const parts = f.date ? f.date.split("-").map(Number) : [Number(f.year)];
  const item = {
    id: f.report + "#" + id, type: "speech", title: f.title + " (" + f.year + ")",
    "original-title": f.titleZh || undefined, author: [{ literal: f.issuer || f.speaker }],
    issued: { "date-parts": [parts] }, event: f.session || undefined,
    section: sections(block).map((s) => s.en).join(" › ") || undefined, locator: id,
    translator: f.translation ? [{ literal: f.translation }] : undefined, URL: url(id), language: "zh-CN",
  };
  return JSON.stringify([item], null, 2);
}

