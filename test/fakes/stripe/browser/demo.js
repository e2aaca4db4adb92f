/*
 * The local Stripe's demo merchant page (/__demo/setup, /__demo/payment), served from another origin than the
 * Stripe.js it loads, exactly like a portal: the merchant's own fields (cardholder name) are on this page, the
 * card fields are iframes of the local Stripe. The "backend" is /__demo/api (the local Stripe acting as merchant).
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("demo-config").textContent);
  var stripe = Stripe(config.publishableKey);
  var elements = stripe.elements();
  var number = elements.create("cardNumber", { showIcon: true });
  var expiry = elements.create("cardExpiry");
  var cvc = elements.create("cardCvc");
  number.mount("#card-number");
  expiry.mount("#card-expiry");
  cvc.mount("#card-cvc");

  var fieldError = document.getElementById("field-error");
  var result = document.getElementById("result");
  var brandOut = document.getElementById("brand");
  var errors = {};
  [number, expiry, cvc].forEach(function (el, i) {
    el.on("change", function (e) {
      errors[i] = e.error ? e.error.message : "";
      fieldError.textContent = errors[0] || errors[1] || errors[2] || "";
      if (e.brand) brandOut.textContent = e.brand === "unknown" ? "" : e.brand;
    });
  });

  var customer = null;
  function post(path, body) {
    return fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(function (r) { return r.json(); });
  }

  function listCards() {
    if (!customer) return;
    fetch("/__demo/api/customers/" + customer + "/payment_methods").then(function (r) { return r.json(); }).then(function (list) {
      var ul = document.getElementById("cards");
      ul.textContent = "";
      list.data.forEach(function (pm) {
        var li = document.createElement("li");
        li.textContent = pm.card.brand + " ending in " + pm.card.last4 + ", expires " + pm.card.exp_month + "/" + pm.card.exp_year;
        ul.appendChild(li);
      });
    });
  }

  var form = document.getElementById("card-form");
  var submit = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit.disabled = true;
    result.textContent = "Saving…";
    var billing = { name: document.getElementById("name").value };
    var intent = config.mode === "payment" ? post("/__demo/api/payment_intents", { amount: config.amount, currency: config.currency, customer: customer }) : post("/__demo/api/setup_intents", { customer: customer });
    intent
      .then(function (created) {
        customer = created.customer;
        var data = { payment_method: { card: number, billing_details: billing } };
        return config.mode === "payment" ? stripe.confirmCardPayment(created.client_secret, data) : stripe.confirmCardSetup(created.client_secret, data);
      })
      .then(function (r) {
        submit.disabled = false;
        if (r.error) {
          result.textContent = r.error.message;
          result.setAttribute("data-outcome", "error");
          result.setAttribute("data-code", r.error.decline_code || r.error.code || "");
          return;
        }
        var intent = r.setupIntent || r.paymentIntent;
        result.textContent = config.mode === "payment" ? "Payment " + intent.status + "." : "Card saved (" + intent.status + ").";
        result.setAttribute("data-outcome", intent.status);
        result.setAttribute("data-code", "");
        listCards();
      })
      .catch(function (e) {
        submit.disabled = false;
        result.textContent = String(e && e.message ? e.message : e);
        result.setAttribute("data-outcome", "error");
      });
  });
})();
