// Tree browser: children load when a node is opened for the first time.
document.addEventListener("toggle", async (event) => {
  const details = event.target;
  if (!(details instanceof HTMLDetailsElement) || !details.open || details.dataset.loaded) return;
  const box = details.querySelector(":scope > .children");
  if (!box) return;
  details.dataset.loaded = "1";
  const response = await fetch(details.dataset.children, { headers: { "X-Requested-With": "fetch" } });
  box.innerHTML = response.ok ? await response.text() : "";
}, true);

// Behaviour declared in the markup instead of inline handlers (the Content-Security-Policy allows
// no inline script): data-autosubmit sends its form on change, data-confirm asks before a button
// or form goes ahead, data-print opens the print dialog.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.matches("[data-autosubmit]") && field.form) field.form.submit();
});
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  if (target.closest("[data-print]")) { window.print(); return; }
  const button = target.closest("button[data-confirm], input[type=submit][data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A panel that loads after the page's first paint: <div data-fragment="url"> holds a plain link to
// the same URL (which works without JavaScript); here the panel fetched from it takes its place.
document.querySelectorAll("[data-fragment]").forEach(async (box) => {
  const response = await fetch(box.dataset.fragment, { headers: { "X-Requested-With": "fetch" } });
  if (response.ok) box.outerHTML = await response.text();
});
