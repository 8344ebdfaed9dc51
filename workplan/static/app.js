// Small behaviours that work without inline scripts, so the Content-Security-Policy can forbid them.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Choosing among many (governments, co-chairs): Tom Select, served by the app, turns the native
// select into a searchable one. Without JavaScript the native select still works.
const searchable = document.querySelectorAll("select[data-enhance=search]");
if (searchable.length) {
  const here = document.querySelector("script[src*='app.js']").src.replace(/app\.js.*$/, "");
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = `${here}vendor/tom-select/tom-select.bootstrap5.min.css`;
  document.head.append(style);
  const script = document.createElement("script");
  script.src = `${here}vendor/tom-select/tom-select.complete.min.js`;
  script.addEventListener("load", () => {
    for (const select of searchable) {
      const multiple = select.multiple;
      const enhanced = new window.TomSelect(select, {
        plugins: multiple ? { remove_button: { title: select.dataset.removeLabel } } : {},
        maxOptions: null,
        placeholder: select.dataset.placeholder,
        hidePlaceholder: true,
        allowEmptyOption: !multiple,
        closeAfterSelect: !multiple,
      });
      // Tom Select points the label at its own input; the native select, still read by
      // assistive technology, keeps the label's name too.
      const label = enhanced.control_input.getAttribute("aria-labelledby");
      if (label) select.setAttribute("aria-labelledby", label);
    }
  });
  document.head.append(script);
}

// A part of a form that only one choice calls for (data-shown-when="kind=co_chair") is hidden
// while another is chosen. Without JavaScript every part shows and the server reads only the
// chosen one's.
const dependents = document.querySelectorAll("[data-shown-when]");
if (dependents.length) {
  const follow = () => {
    for (const part of dependents) {
      const [name, value] = part.dataset.shownWhen.split("=");
      const chosen = part.closest("form")?.querySelector(`[name="${name}"]:checked`);
      part.hidden = !chosen || chosen.value !== value;
    }
  };
  document.addEventListener("change", follow);
  follow();
}
