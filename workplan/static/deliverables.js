// The deliverable form: once a chairmanship is chosen, offer only its roundtables as owners
// (teams span chairmanships and stay). The server checks the same rule; this only saves a trip.
const form = document.querySelector("form.deliverable-form");
const chairmanship = form && form.querySelector("select[name=chairmanship]");
const owner = form && form.querySelector("select[name=owner]");

function narrowOwners() {
  for (const option of owner.querySelectorAll("option[data-chairmanship]")) {
    const other = option.dataset.chairmanship !== chairmanship.value;
    option.hidden = other;
    option.disabled = other;
    if (other && option.selected) {
      owner.value = "";
    }
  }
}

if (chairmanship && owner) {
  chairmanship.addEventListener("change", narrowOwners);
  narrowOwners();
}
