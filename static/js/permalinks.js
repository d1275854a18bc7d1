/* Permalinks: beside each ¶ / #, buttons to copy the link, a citation (both languages, or
   the passage selected in the pair; the issuer, title, speaker, date, session, section
   path in both languages, the paragraph id, the translator and the URL), or the same as
   BibTeX or CSL-JSON for reference managers (Zotero imports both). */
import { announce } from "./util.js";

export function start() {
  const article = document.querySelector(".report");
  if (!article) { return; }
  article.querySelectorAll("[data-pair], .heading").forEach((block) => {
    const link = block.querySelector(".permalink");
    if (!link) { return; }
    const anchor = document.createElement("span");
    anchor.className = "anchor";
    anchor.setAttribute("lang", "en");
    link.before(anchor);
    const tools = document.createElement("span");
    tools.className = "cite-tools";
    tools.append(tool("Copy link", () => url(blockId(block))),
                 tool("Copy citation", () => cite().then((c) => c.citation(block, article, blockId(block), url))),
                 tool("BibTeX", () => cite().then((c) => c.bibtex(block, article, blockId(block), url))),
                 tool("CSL-JSON", () => cite().then((c) => c.cslJson(block, article, blockId(block), url))));
    anchor.addEventListener("pointerenter", cite, { once: true });
    anchor.addEventListener("focusin", cite, { once: true });
    const confidence = block.getAttribute("data-confidence");
    if (confidence !== null) {  // how sure the sentence alignment is (its least sure bead)
      const note = document.createElement("span");
      note.className = "confidence";
      note.textContent = "Alignment " + Math.round(Number(confidence) * 100) + "% sure";
      tools.append(note);
    }
    anchor.append(link, tools);
  });
}

/* The citation formats load when a reader first reaches the tools, not with the page. */
let citing = null;
const cite = () => (citing = citing || import("./cite.js"));

const blockId = (block) => block.id || block.querySelector("[data-heading]").id;

function tool(name, text) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = name;
  button.addEventListener("click", () => {
    Promise.resolve(text()).then(copy).then((done) => {
      button.textContent = done ? "Copied ✓" : "Copy failed";
      announce(done ? name.replace("Copy", "Copied") : name + " failed: your browser blocked the clipboard");
      window.setTimeout(() => { button.textContent = name; }, 1600);
    });
  });
  return button;
}

/* The public address where the site has one (its canonical link), else the address the
   reader is on. */
function url(id) {
  const canonical = document.querySelector('link[rel="canonical"]');
  const base = canonical ? canonical.href : location.href;
  return base.split("#")[0] + "#" + id;
}

/* The Clipboard API where it is allowed (a secure context); else a hidden textarea. */
function copy(text) {
  const focused = document.activeElement;
  const fallback = () => {
    const done = fallbackCopy(text);
    if (focused && focused.focus) { focused.focus(); }
    return done;
  };
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).then(() => true, fallback);
  }
  return Promise.resolve(fallback());
}

function fallbackCopy(text) {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "visually-hidden";
  document.body.append(area);
  area.select();
  let done = false;
  try { done = document.execCommand("copy"); } catch (e) { done = false; }
  area.remove();
  return done;
}
