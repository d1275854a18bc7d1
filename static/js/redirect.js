/* A moved page (site/<year>/ → site/<series>/<year>/): go to its new address at once,
   keeping the #fragment, which a meta refresh would drop. Without JavaScript the meta
   refresh and the visible link still lead there. */
const moved = document.querySelector("[data-moved-to]");
if (moved) {
  const target = new URL(moved.getAttribute("data-moved-to"), location.href);
  target.hash = location.hash;
  location.replace(target.href);
}
