/*
 * The 3-D Secure test page of the local Stripe (its own origin). The payer's answer goes to the server; then the
 * Stripe.js modal that framed this page is told (only the challenge id), or, for a redirect-based confirmation,
 * the browser goes on to the merchant's return_url.
 */
(function () {
  "use strict";
  var root = document.getElementById("challenge");
  var id = root.getAttribute("data-challenge");
  var origin = new URLSearchParams(location.search).get("origin");
  var status = document.getElementById("status");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-outcome]"));

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      buttons.forEach(function (b) { b.disabled = true; });
      status.textContent = "Sending…";
      fetch(location.pathname, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ outcome: button.getAttribute("data-outcome") }) })
        .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
        .then(function (r) {
          if (!r.ok) {
            status.textContent = r.body.error || "This authentication cannot be completed.";
            return;
          }
          status.textContent = r.body.status === "succeeded" || r.body.status === "requires_capture" ? "Authentication complete." : "Authentication failed.";
          if (window.parent !== window && origin) window.parent.postMessage({ __localStripe: true, type: "3ds-complete", source: id }, origin);
          else if (r.body.return_url) location.assign(r.body.return_url);
        })
        .catch(function () {
          status.textContent = "Could not reach the local Stripe.";
          buttons.forEach(function (b) { b.disabled = false; });
        });
    });
  });
  if (buttons[0] && !buttons[0].disabled) buttons[0].focus();
})();
