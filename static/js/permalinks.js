/* Permalinks: beside each ¶ / #, buttons to copy the link or a citation with both
   languages, the report, the section path, the paragraph id and the URL. */
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
                 tool("Copy citation", () => citation(block, article)));
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

const blockId = (block) => block.id || block.querySelector("[data-heading]").id;

function tool(name, text) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = name;
  button.addEventListener("click", () => {
    copy(text()).then((done) => {
      button.textContent = done ? "Copied ✓" : "Copy failed";
      announce(done ? name.replace("Copy", "Copied") : name + " failed: your browser blocked the clipboard");
      window.setTimeout(() => { button.textContent = name; }, 1600);
    });
  });
  return button;
}

/* A local copy (file:, a preview on localhost) cites the public address. */
function url(id) {
  const canonical = document.querySelector('link[rel="canonical"]');
  const local = location.protocol === "file:" || /^(localhost|127\.0\.0\.1|\[::1\])$/.test(location.hostname);
  const base = canonical && local ? canonical.href : location.href;
  return base.split("#")[0] + "#" + id;
}

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

function citation(block, article) {
  const zh = cellText(block.querySelector(".cell.zh"));
  const en = cellText(block.querySelector(".cell.en"));
  const where = [];
  let below = headingLevel(block);
  for (let node = block.previousElementSibling; node; node = node.previousElementSibling) {
    if (node.classList.contains("heading") && headingLevel(node) < below) {
      below = headingLevel(node);
      where.unshift(cellText(node.querySelector(".cell.en")));
    }
  }
  const lines = [];
  if (zh) { lines.push("“" + zh + "”"); }
  if (en) { lines.push("“" + en + "”"); }
  const id = blockId(block);
  lines.push("— " + article.getAttribute("data-cite-title") + (where.length ? ", " + where.join(" › ") : "") +
             " [" + id + "]. " + url(id));
  return lines.join("\n");
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
