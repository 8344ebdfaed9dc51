// Tell the server the browser's time zone, so the programme can show times in the viewer's clock.
// The server checks the name against the IANA list and falls back to UTC; a time zone in the
// user's profile wins over this cookie.
(() => {
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  // IANA names use letters, digits, "/", "_", "+" and "-"; anything else is not worth sending.
  if (!zone || zone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) return;
  const previous = document.cookie.split("; ").find((part) => part.startsWith("tz="));
  const known = previous ? previous.slice(3) : null;
  if (known === zone) return;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `tz=${zone}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
  // Reload once when a page made of times (the calendar) was drawn in another zone only because
  // the browser had not said its own yet; the cookie is now set, so the next load cannot loop.
  // Pages with forms never reload under the person's hands.
  const shown = document.querySelector("[data-viewer-zone][data-zone-reload]");
  if (shown && shown.dataset.zoneSource !== "profile" && shown.dataset.viewerZone !== zone) {
    window.location.reload();
  }
})();
