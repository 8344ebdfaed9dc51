// The agenda editor: reorder items by dragging a row or with the "Move up" / "Move down" buttons,
// and save the new order at once. Without this script the buttons are plain forms that work on
// their own; with it they reorder in place, keep the keyboard focus, and save in the background.
(() => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }

  const table = document.querySelector("table.agenda[data-order-url]");
  if (!table || !table.tBodies.length) return;
  const body = table.tBodies[0];
  const status = document.getElementById("agenda-status");
  const token = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const rows = () => Array.from(body.querySelectorAll("tr[data-item-id]"));
  const order = () => rows().map((row) => Number(row.dataset.itemId));
  let queue = Promise.resolve();
  let alertBox = null;

  function announce(message) {
    if (status) status.textContent = message;
  }

  function showError(message) {
    if (!alertBox) {
      alertBox = document.createElement("div");
      alertBox.className = "alert alert-danger";
      alertBox.setAttribute("role", "alert");
      table.before(alertBox);
    }
    alertBox.textContent = message;
  }

  function refreshButtons() {
    const all = rows();
    all.forEach((row, index) => {
      const up = row.querySelector('[data-agenda-move="up"] button');
      const down = row.querySelector('[data-agenda-move="down"] button');
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === all.length - 1;
    });
  }

  function putBack(ids) {
    for (const id of ids) {
      const row = body.querySelector(`tr[data-item-id="${id}"]`);
      if (row) body.append(row);
    }
    refreshButtons();
  }

  async function save(before, done) {
    const wanted = order();
    table.dataset.state = "saving";
    try {
      const response = await fetch(table.dataset.orderUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": token,
        },
        body: JSON.stringify({ order: wanted }),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        throw new Error(
          answer.error || answer.message || `The new order was not saved (error ${response.status}).`,
        );
      }
      // Start times are derived on the server, in the venue's clock; show what it computed.
      for (const item of answer.items || []) {
        const time = body.querySelector(`tr[data-item-id="${item.id}"] time[data-start]`);
        if (time) {
          time.textContent = item.start;
          time.dateTime = item.start_iso;
        }
      }
      if (alertBox) alertBox.remove();
      alertBox = null;
      table.dataset.state = "saved";
      announce(`${done} ${answer.message || "Saved."}`);
    } catch (error) {
      // Show the agenda as it is stored, not the order that failed to save.
      putBack(before);
      table.dataset.state = "error";
      // The alert speaks for itself (role="alert"); the green status line is for successes.
      announce("");
      showError(`${error.message} The agenda is shown in its last saved order.`);
    }
  }

  function queueSave(before, done) {
    // One save at a time, in the order the person made the moves.
    queue = queue.then(() => save(before, done));
  }

  function describe(row) {
    const all = rows();
    return `Moved “${row.dataset.itemTitle}” to position ${all.indexOf(row) + 1} of ${all.length}.`;
  }

  // Keyboard and button moves.
  body.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-agenda-move]");
    if (!form) return;
    event.preventDefault();
    const row = form.closest("tr[data-item-id]");
    const direction = form.dataset.agendaMove;
    const before = order();
    if (direction === "up" && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
    } else if (direction === "down" && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
    } else {
      return;
    }
    refreshButtons();
    // Keep the keyboard on the moved item: the same button, or its twin once at an edge.
    let button = form.querySelector("button");
    if (button.disabled) {
      const other = direction === "up" ? "down" : "up";
      button = row.querySelector(`[data-agenda-move="${other}"] button`);
    }
    if (button) button.focus();
    queueSave(before, describe(row));
  });

  // Drag and drop, with the browser's own drag events.
  let dragged = null;
  let dragStart = null;
  for (const row of rows()) {
    row.draggable = true;
    row.classList.add("agenda-draggable");
  }

  body.addEventListener("dragstart", (event) => {
    const row = event.target.closest ? event.target.closest("tr[data-item-id]") : null;
    if (!row) return;
    dragged = row;
    dragStart = order();
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.itemId);
    row.classList.add("table-active", "opacity-50");
  });

  body.addEventListener("dragover", (event) => {
    if (!dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const row = event.target.closest ? event.target.closest("tr[data-item-id]") : null;
    if (!row || row === dragged) return;
    const box = row.getBoundingClientRect();
    const below = event.clientY > box.top + box.height / 2;
    body.insertBefore(dragged, below ? row.nextElementSibling : row);
  });

  body.addEventListener("drop", (event) => {
    if (dragged) event.preventDefault();
  });

  body.addEventListener("dragend", () => {
    if (!dragged) return;
    const row = dragged;
    const before = dragStart;
    dragged = null;
    dragStart = null;
    row.classList.remove("table-active", "opacity-50");
    refreshButtons();
    if (order().join(",") !== before.join(",")) queueSave(before, describe(row));
  });
})();
