// Layout faults a person would see: the page wider than the window, a control lying over text,
// and (where asked) a navigation bar broken onto two rows. Returns a list of readable faults.
(checkNavigation) => {
  const faults = [];
  const width = document.documentElement.clientWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > width + 1) {
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".table-region"))
      .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > width + 1))
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`);
    faults.push(`page is ${scrollWidth} px wide in a ${width} px window (${wide.join(", ")})`);
  }
  // Inside a closed <details>, only the summary is on screen, whatever the boxes say.
  const folded = (e) => {
    const details = e.closest("details");
    return details !== null && !details.open && !e.closest("summary");
  };
  const shown = (e) => {
    if (folded(e)) return false;
    const style = getComputedStyle(e);
    const box = e.getBoundingClientRect();
    return style.visibility !== "hidden" && style.display !== "none" && box.width > 0 && box.height > 0;
  };
  const controls = [...document.querySelectorAll("main a.btn, main button, main input:not([type=hidden]), main select, main textarea")]
    .filter(shown)
    .filter((e) => !e.closest(".dropdown-menu, .ts-wrapper, .table-region"));
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || !node.parentElement || !shown(node.parentElement)) continue;
    if (node.parentElement.closest(".dropdown-menu, .ts-wrapper, .visually-hidden, .table-region, option, select, textarea")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) texts.push({ node, box });
  }
  const overlap = (a, b) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  for (const control of controls) {
    const box = control.getBoundingClientRect();
    for (const text of texts) {
      if (control.contains(text.node) || (control.labels && [...control.labels].some((l) => l.contains(text.node)))) continue;
      if (overlap(box, text.box)) {
        faults.push(`${control.tagName.toLowerCase()} “${(control.innerText || control.value || control.name || "").trim().slice(0, 30)}” covers “${text.node.textContent.trim().slice(0, 30)}”`);
        break;
      }
    }
  }
  if (checkNavigation) {
    const items = [...document.querySelectorAll("#main-nav > ul > li")];
    const tops = new Set(items.map((li) => Math.round(li.getBoundingClientRect().top)));
    if (tops.size > 1) faults.push(`the navigation runs over ${tops.size} rows`);
    const nav = document.querySelector(".wp-navbar .container-fluid");
    if (nav && nav.scrollWidth > nav.clientWidth + 1) faults.push("the navigation is wider than the window");
  }
  return faults;
}
