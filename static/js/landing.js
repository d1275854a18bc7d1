/* Arriving from a topic chip (report/index.html?topic=elderly-care#p2-s10-5): the terms
   that put the passage under the topic are marked in both languages, so the reader sees
   why it was chosen. The terms come from the passage's own topic chip (data-terms). */

export function start() {
  const topic = new URLSearchParams(location.search).get("topic");
  const pair = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (!topic || !pair || !pair.hasAttribute("data-pair")) { return; }
  const chip = pair.querySelector('.topic-chip[data-topic="' + CSS.escape(topic) + '"]');
  if (!chip) { return; }
  const terms = chip.getAttribute("data-terms").split("|").filter(Boolean);
  const zh = terms.filter((t) => /[\u3400-\u9fff]/.test(t));
  const en = terms.filter((t) => !/[\u3400-\u9fff]/.test(t));
  mark(pair.querySelector(".cell.zh"), zh.length ? new RegExp(zh.map(escape).join("|"), "g") : null);
  mark(pair.querySelector(".cell.en"), en.length ? new RegExp("\\b(?:" + en.map(escape).join("|") + ")\\w*", "gi") : null);
  pair.classList.add("landed");
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");

function mark(cell, pattern) {
  if (!cell || !pattern) { return; }
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement.closest(".pair-topics, .anchor, .noteref, mark")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes = [];
  while (walker.nextNode()) { nodes.push(walker.currentNode); }
  nodes.forEach((node) => {
    const text = node.nodeValue;
    pattern.lastIndex = 0;
    const parts = [];
    let at = 0;
    for (let found = pattern.exec(text); found; found = pattern.exec(text)) {
      if (!found[0]) { pattern.lastIndex += 1; continue; }
      parts.push(text.slice(at, found.index));
      const hit = document.createElement("mark");
      hit.className = "term";
      hit.textContent = found[0];
      parts.push(hit);
      at = found.index + found[0].length;
    }
    if (!parts.length) { return; }
    parts.push(text.slice(at));
    node.replaceWith(...parts);
  });
}
