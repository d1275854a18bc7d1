/* duizhao reader: reading modes, theme, footnote popups, permalink and citation copying,
   contents that follow the scroll, and scroll kept across reloads. Loaded with defer;
   prelude.js has already applied the saved mode and theme before the first paint.
   No inline script: a strict CSP holds. Without JavaScript every feature degrades to
   plain links and both languages. */
(function () {
  "use strict";
  var root = document.documentElement;
  var MODES = ["both", "zh", "en"];
  var THEMES = ["auto", "dark", "light"];
  var MODE_NAMES = { both: "both languages", zh: "Chinese only", en: "English only" };

  function save(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }

  function setMode(mode) {
    if (MODES.indexOf(mode) < 0) { mode = "both"; }
    root.setAttribute("data-mode", mode);
    return mode;
  }
  function setTheme(theme) {
    if (theme === "light" || theme === "dark") { root.setAttribute("data-theme", theme); }
    else { theme = "auto"; root.removeAttribute("data-theme"); }
    return theme;
  }

  var announcer = null;
  function announce(text) {
    if (!announcer) { return; }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 30);
  }

  /* Reading mode and theme buttons in the top bar. */
  function controls() {
    var box = document.querySelector(".controls");
    if (!box) { return; }
    var buttons = box.querySelectorAll("[data-set-mode]");
    function press(mode) {
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-set-mode") === mode));
      });
    }
    press(root.getAttribute("data-mode"));
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var anchor = firstVisibleBlock();
        var mode = setMode(button.getAttribute("data-set-mode"));
        save("duizhao-mode", mode);
        press(mode);
        if (anchor) { anchor.scrollIntoView({ block: "start" }); }
        announce("Showing " + MODE_NAMES[mode]);
      });
    });
    var toggle = box.querySelector("[data-theme-toggle]");
    function label(theme) {
      toggle.setAttribute("aria-label", "Colour theme: " + (theme === "auto" ? "automatic" : theme));
      toggle.textContent = theme === "dark" ? "☾" : theme === "light" ? "☀" : "◐";
    }
    label(root.getAttribute("data-theme") || "auto");
    toggle.addEventListener("click", function () {
      var now = root.getAttribute("data-theme") || "auto";
      var next = setTheme(THEMES[(THEMES.indexOf(now) + 1) % THEMES.length]);
      save("duizhao-theme", next);
      label(next);
      announce("Theme: " + (next === "auto" ? "follows the system" : next));
    });
  }

  /* Keep the reader's place when the mode changes the page height. */
  function firstVisibleBlock() {
    var blocks = document.querySelectorAll("[data-pair], .heading");
    var top = topbarHeight();
    for (var i = 0; i < blocks.length; i++) {
      if (blocks[i].getBoundingClientRect().bottom > top) { return blocks[i]; }
    }
    return null;
  }
  function topbarHeight() {
    var bar = document.querySelector(".topbar");
    return bar ? bar.getBoundingClientRect().height : 0;
  }

  /* Footnotes: hover, keyboard focus or tap opens the note; Escape, a tap outside or
     moving focus away closes it. Narrow screens get a sheet at the bottom. A note opened
     by click or tap is pinned: it stays while the reader selects its text. */
  function notes() {
    var refs = document.querySelectorAll('a[role="doc-noteref"]');
    if (!refs.length) { return; }
    var popup = document.createElement("div");
    popup.id = "note-popup";
    popup.className = "note-popup";
    popup.hidden = true;
    document.body.appendChild(popup);
    var current = null;
    var pinned = false;
    var refocusing = false;
    var timer = 0;

    function fill(ref) {
      var note = document.getElementById(ref.hash.slice(1));
      popup.textContent = "";
      var label = document.createElement("p");
      label.className = "note-label";
      label.textContent = "Note " + ref.textContent;
      popup.appendChild(label);
      var body = document.createElement("p");
      body.setAttribute("lang", note ? note.getAttribute("lang") || "en" : "en");
      if (note) {
        var copy = note.cloneNode(true);
        copy.querySelectorAll('[role="doc-backlink"]').forEach(function (a) { a.remove(); });
        while (copy.firstChild) { body.appendChild(copy.firstChild); }
      }
      popup.appendChild(body);
      var actions = document.createElement("p");
      actions.className = "note-actions";
      var shut = document.createElement("button");
      shut.type = "button";
      shut.textContent = "Close";
      shut.addEventListener("click", function () { close(true); });
      var go = document.createElement("a");
      go.href = ref.hash;
      go.textContent = "Go to note";
      go.addEventListener("click", function () {
        close(false);
        if (note) { note.setAttribute("tabindex", "-1"); window.setTimeout(function () { note.focus(); }, 0); }
      });
      actions.appendChild(shut);
      actions.appendChild(go);
      popup.appendChild(actions);
      return note ? note.textContent.replace(/↩/g, "").trim() : "";
    }

    function narrow() { return window.matchMedia("(max-width: 40rem)").matches; }

    function place(ref) {
      popup.classList.toggle("sheet", narrow());
      popup.style.left = "0px";
      popup.style.top = "0px";
      if (narrow()) { popup.style.left = ""; popup.style.top = ""; return; }
      var r = ref.getBoundingClientRect();
      var w = popup.offsetWidth;
      var h = popup.offsetHeight;
      var gap = 8;
      var left = Math.min(Math.max(gap, r.left + r.width / 2 - w / 2), window.innerWidth - w - gap);
      var below = r.bottom + gap;
      var fitsAbove = r.top - h - gap > topbarHeight() + gap;
      var top = below + h > window.innerHeight - gap && fitsAbove ? r.top - h - gap : below;
      popup.style.left = (left + window.scrollX) + "px";
      popup.style.top = (top + window.scrollY) + "px";
    }

    function open(ref, pin) {
      window.clearTimeout(timer);
      if (current && current !== ref) { close(false); }
      var text = fill(ref);
      current = ref;
      pinned = pinned || pin;
      popup.setAttribute("role", pinned ? "dialog" : "tooltip");
      popup.setAttribute("aria-label", "Note " + ref.textContent);
      popup.hidden = false;
      place(ref);
      ref.setAttribute("aria-expanded", "true");
      ref.setAttribute("aria-describedby", "note-popup");
      if (pin) { announce("Note " + ref.textContent + ": " + text); }
    }

    function close(returnFocus) {
      window.clearTimeout(timer);
      if (!current) { return; }
      var ref = current;
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

    function focusInside() {
      var active = document.activeElement;
      return active === current || popup.contains(active);
    }

    function later(fn, ms) { window.clearTimeout(timer); timer = window.setTimeout(fn, ms); }

    refs.forEach(function (ref) {
      ref.setAttribute("aria-haspopup", "true");
      ref.addEventListener("mouseenter", function () { if (!pinned) { later(function () { open(ref, false); }, 120); } });
      ref.addEventListener("mouseleave", function () { if (!pinned) { later(function () { close(false); }, 250); } });
      ref.addEventListener("focus", function () { if (!refocusing && current !== ref) { open(ref, false); } });
      ref.addEventListener("blur", function (event) {
        if (!pinned && !popup.contains(event.relatedTarget)) { later(function () { close(false); }, 150); }
      });
      ref.addEventListener("click", function (event) {
        event.preventDefault();
        open(ref, true);
      });
    });
    popup.addEventListener("mouseenter", function () { window.clearTimeout(timer); });
    popup.addEventListener("mouseleave", function () { if (!pinned) { later(function () { close(false); }, 250); } });
    popup.addEventListener("focusout", function (event) {
      if (!pinned && !popup.contains(event.relatedTarget) && event.relatedTarget !== current) {
        later(function () { close(false); }, 150);
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && current) { close(focusInside()); }
    });
    document.addEventListener("pointerdown", function (event) {
      if (current && !popup.contains(event.target) && event.target !== current) { close(false); }
    });
    window.addEventListener("resize", function () { if (current) { place(current); } });
    backlinks();
  }

  /* In a one-language mode the reference may sit in a hidden cell: a link back then goes
     to the visible paragraph that holds it. */
  function backlinks() {
    document.querySelectorAll('[role="doc-backlink"]').forEach(function (back) {
      back.addEventListener("click", function (event) {
        var ref = document.getElementById(back.hash.slice(1));
        if (!ref || ref.getClientRects().length) { return; }
        var block = ref.closest("[data-pair], .heading");
        if (!block) { return; }
        event.preventDefault();
        history.pushState(null, "", back.hash);
        block.scrollIntoView({ block: "start" });
        var link = block.querySelector(".permalink");
        if (link) { link.focus(); }
      });
    });
  }

  /* Permalinks: beside each ¶ / #, copy the link or a citation with both languages. */
  function permalinks() {
    var article = document.querySelector(".report");
    if (!article) { return; }
    article.querySelectorAll("[data-pair], .heading").forEach(function (block) {
      var link = block.querySelector(".permalink");
      if (!link) { return; }
      var anchor = document.createElement("span");
      anchor.className = "anchor";
      anchor.setAttribute("lang", "en");
      link.parentNode.insertBefore(anchor, link);
      anchor.appendChild(link);
      var tools = document.createElement("span");
      tools.className = "cite-tools";
      tools.appendChild(tool("Copy link", function () { return url(blockId(block)); }));
      tools.appendChild(tool("Copy citation", function () { return citation(block, article); }));
      anchor.appendChild(tools);
    });
  }

  function blockId(block) {
    return block.id || block.querySelector("[data-heading]").id;
  }

  function tool(name, text) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = name;
    button.addEventListener("click", function () {
      copy(text()).then(function (done) {
        button.textContent = done ? "Copied ✓" : "Copy failed";
        announce(done ? name.replace("Copy", "Copied") : name + " failed: your browser blocked the clipboard");
        window.setTimeout(function () { button.textContent = name; }, 1600);
      });
    });
    return button;
  }

  /* A local copy (file:, a preview on localhost) cites the public address. */
  function url(id) {
    var canonical = document.querySelector('link[rel="canonical"]');
    var local = location.protocol === "file:" || /^(localhost|127\.0\.0\.1|\[::1\])$/.test(location.hostname);
    var base = canonical && local ? canonical.href : location.href;
    return base.split("#")[0] + "#" + id;
  }

  function cellText(cell) {
    if (!cell) { return ""; }
    var copy = cell.cloneNode(true);
    copy.querySelectorAll(".anchor, .permalink, .noteref, .missing, .pair-topics, .numbers-differ")
      .forEach(function (n) { n.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function headingLevel(block) {
    var heading = block.querySelector("[data-heading]");
    return heading ? Number(heading.tagName.slice(1)) : 9;
  }

  function citation(block, article) {
    var zh = cellText(block.querySelector(".cell.zh"));
    var en = cellText(block.querySelector(".cell.en"));
    var where = [];
    var below = headingLevel(block);
    for (var node = block.previousElementSibling; node; node = node.previousElementSibling) {
      if (node.classList.contains("heading") && headingLevel(node) < below) {
        below = headingLevel(node);
        where.unshift(cellText(node.querySelector(".cell.en")));
      }
    }
    var lines = [];
    if (zh) { lines.push("“" + zh + "”"); }
    if (en) { lines.push("“" + en + "”"); }
    var source = article.getAttribute("data-cite-title");
    var id = blockId(block);
    lines.push("— " + source + (where.length ? ", " + where.join(" › ") : "") + " [" + id + "]. " + url(id));
    return lines.join("\n");
  }

  function copy(text) {
    var focused = document.activeElement;
    function fallback() {
      var done = fallbackCopy(text);
      if (focused && focused.focus) { focused.focus(); }
      return done;
    }
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, fallback);
    }
    return Promise.resolve(fallback());
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    area.remove();
    return done;
  }

  /* Sentence alignment: pointing at (or tapping, or focusing into) a sentence lights its
     translation in the other column — every span of the pair with the same data-bead. */
  function beads() {
    var lit = [];
    function light(span) {
      lit.forEach(function (s) { s.classList.remove("bead-lit"); });
      lit = [];
      if (!span) { return; }
      var pair = span.closest("[data-pair]");
      if (!pair) { return; }
      lit = Array.prototype.slice.call(
        pair.querySelectorAll('[data-bead="' + span.getAttribute("data-bead") + '"]'));
      lit.forEach(function (s) { s.classList.add("bead-lit"); });
    }
    function from(event) { return event.target.closest ? event.target.closest("[data-bead]") : null; }
    document.addEventListener("mouseover", function (event) { light(from(event)); });
    document.addEventListener("focusin", function (event) { light(from(event)); });
    document.addEventListener("mouseleave", function () { light(null); });
  }

  /* Contents: mark the section being read and keep it in view inside the sidebar. */
  function toc() {
    var nav = document.querySelector(".toc");
    if (!nav) { return; }
    var details = nav.querySelector("details");
    if (details && !window.matchMedia("(max-width: 60rem)").matches) { details.open = true; }
    var links = Array.prototype.slice.call(nav.querySelectorAll('a[href^="#"]'));
    var targets = links.map(function (a) { return document.getElementById(a.hash.slice(1)); });
    var active = null;
    var queued = false;
    function update() {
      queued = false;
      var line = topbarHeight() + 24;
      var index = -1;
      for (var i = 0; i < targets.length; i++) {
        if (targets[i] && targets[i].getBoundingClientRect().top <= line) { index = i; } else if (index >= 0) { break; }
      }
      var link = index >= 0 ? links[index] : null;
      if (link === active) { return; }
      if (active) { active.removeAttribute("aria-current"); }
      active = link;
      if (!link) { return; }
      link.setAttribute("aria-current", "location");
      var box = nav.getBoundingClientRect();
      var at = link.getBoundingClientRect();
      if (at.top < box.top || at.bottom > box.bottom) {
        nav.scrollTop += at.top - box.top - box.height / 3;
      }
    }
    window.addEventListener("scroll", function () {
      if (!queued) { queued = true; window.requestAnimationFrame(update); }
    }, { passive: true });
    update();
  }

  /* A reload (as "serve" does after every save) returns to the same place. */
  function keepScroll() {
    var key = "duizhao-scroll:" + location.pathname;
    var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    var saved = null;
    try { saved = sessionStorage.getItem(key); } catch (e) { return; }
    if (nav && nav.type === "reload" && saved !== null) {
      window.scrollTo(0, Number(saved));
    }
    window.addEventListener("pagehide", function () {
      try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) { /* ignore */ }
    });
  }

  /* Search: the button and "/" load static/search.js (and Pagefind) on first use only. */
  function search() {
    var button = document.querySelector("[data-search-open]");
    var dialog = document.getElementById("search");
    if (!button || !dialog) { return; }
    var module = null;
    function open() {
      module = module || import(new URL(dialog.getAttribute("data-root") + "static/search.js", location.href).href);
      module.then(function (m) { m.open(); });
    }
    button.hidden = false;
    button.addEventListener("click", open);
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey && !dialog.open) {
        event.preventDefault();
        open();
      }
    });
  }

  function start() {
    announcer = document.getElementById("announce");
    search();
    controls();
    notes();
    permalinks();
    beads();
    toc();
    keepScroll();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
