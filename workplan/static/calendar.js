// Copy buttons for calendar addresses. Without this script the buttons stay hidden and the
// read-only address fields can still be selected and copied by hand.
for (const field of document.querySelectorAll("[data-select-on-focus]")) {
  field.addEventListener("focus", () => field.select());
}

for (const button of document.querySelectorAll("[data-copy-target]")) {
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field) continue;
  button.hidden = false;
  // The page gives both words in the reader's language.
  const copy = button.textContent;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      button.textContent = button.dataset.copiedLabel;
      setTimeout(() => { button.textContent = copy; }, 2000);
    } catch {
      // The clipboard needs a secure context; selecting lets the person press Ctrl+C instead.
      field.focus();
      field.select();
    }
  });
}
