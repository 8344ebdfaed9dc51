// On a phone a list's table is shown as cards (app.css); each cell is labelled with its column's
// heading, read from the table itself so that no template repeats it. This runs from the page's
// head and labels cells as the parser adds them, before the first paint: labels that appeared
// afterwards would move the page under the reader's eyes.
(() => {
  const headings = new WeakMap();
  const headingsOf = (table) => {
    if (!headings.has(table)) {
      headings.set(table, [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim()));
    }
    return headings.get(table);
  };
  const label = (cell) => {
    const row = cell.parentElement;
    const table = row && row.closest("table.table-cards");
    if (!table || !row.parentElement || row.parentElement.tagName !== "TBODY") return;
    if (cell.hasAttribute("data-label")) return;
    let column = 0;
    for (let before = cell.previousElementSibling; before; before = before.previousElementSibling) {
      column += before.colSpan || 1;
    }
    const heading = headingsOf(table)[column];
    if (column > 0 && heading) cell.setAttribute("data-label", heading);
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        if (node.tagName === "TD" || node.tagName === "TH") label(node);
        else if (node.querySelectorAll) node.querySelectorAll("table.table-cards tbody td, table.table-cards tbody th").forEach(label);
      }
    }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", () => {
    observer.disconnect();
    document.querySelectorAll("table.table-cards tbody td, table.table-cards tbody th").forEach(label);
  });
})();
