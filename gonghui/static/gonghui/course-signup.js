/* The course page's sign-up button on a phone with a bad network (progressive enhancement: without
 * this script the form posts and the page reloads).
 *
 * The form carries the sign-up's idempotency key. The script sends it to the workers' API and, when
 * the answer does not arrive (the network dropped, a timeout, the server busy: 5xx or 429), sends
 * the same key again after a short wait: the server books at most one seat per key and answers a
 * repeat with the first booking, so pressing once is enough however bad the network is.
 * 201 → the page reloads showing the seat; 409 full → reloads offering the waiting list; other
 * refusals (not yet open, limit reached …) are shown under the button, which comes back to life.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-signup-api]");
  if (!form || !window.fetch) return;
  var button = form.querySelector("button"), status = document.getElementById("signup-status");
  var waits = [1000, 2000, 3000, 5000, 8000];  // then give up and say so

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "c-status error" : "c-status";
  }

  function payload() {
    var name = form.querySelector("input[name=name]");
    return JSON.stringify({key: form.elements.key.value, name: name ? name.value : ""});
  }

  function attempt(n) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 15000) : null;
    fetch(form.getAttribute("data-signup-api"), {
      method: "POST", credentials: "same-origin", body: payload(), signal: controller ? controller.signal : undefined,
      headers: {"Content-Type": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value}
    }).then(function (response) {
      clearTimeout(timer);
      if (response.status === 201 || response.status === 409) {
        window.location.replace(form.getAttribute("data-done"));
        return null;
      }
      if (response.status >= 500 || response.status === 429) throw new Error("busy");
      return response.json().then(function (body) {
        say(body.detail || form.getAttribute("data-failed"), true);
        button.disabled = false;
      });
    }).catch(function () {
      clearTimeout(timer);
      if (n >= waits.length) {
        say(form.getAttribute("data-gave-up"), true);
        button.disabled = false;
        return;
      }
      say(form.getAttribute("data-retrying").replace("{n}", n + 1), false);
      setTimeout(function () { attempt(n + 1); }, waits[n]);
    });
  }

  form.addEventListener("submit", function (event) {
    if (!form.checkValidity()) return;
    event.preventDefault();
    button.disabled = true;
    say(form.getAttribute("data-sending"), false);
    attempt(0);
  });
})();
