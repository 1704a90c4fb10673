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
