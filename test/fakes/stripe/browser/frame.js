/*
 * A hosted card field of the local Stripe (runs inside the iframe, on the local Stripe's origin).
 *
 * Types: cardNumber, cardExpiry, cardCvc, or card (all in one). The values stay in this origin: the parent page
 * gets only { complete, empty, error, brand } and, after "tokenize", the PaymentMethod the API returned.
 * Split fields of one elements group find each other on a BroadcastChannel named after the group (same origin
 * only): the number frame asks the expiry and CVC frames for their values when the page confirms.
 */
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var TYPE = params.get("type");
  var GROUP = params.get("group") || "";
  var PARENT_ORIGIN = params.get("origin") || "";
  var LABEL = params.get("label");
  var options = {};
  try {
    options = JSON.parse(decodeURIComponent(location.hash.slice(1)) || "{}");
  } catch (e) {
    options = {};
  }
  var BRANDS = JSON.parse(document.getElementById("brands").textContent);
  var channel = new BroadcastChannel("local-stripe:" + GROUP);
  var siblingBrand = "unknown";

  function toParent(message) {
    message.__localStripe = true;
    if (PARENT_ORIGIN) parent.postMessage(message, PARENT_ORIGIN);
  }

  function digits(s) {
    return String(s).replace(/\D/g, "");
  }

  function ruleFor(d) {
    for (var i = 0; i < BRANDS.length; i++) {
      var rule = BRANDS[i];
      for (var j = 0; j < rule.ranges.length; j++) {
        var from = rule.ranges[j][0];
        var to = rule.ranges[j][1];
        var head = d.slice(0, from.length);
        if (d.length >= from.length && head >= from && head <= to) return rule;
      }
    }
    return null;
  }

  function luhn(d) {
    var sum = 0;
    for (var i = 0; i < d.length; i++) {
      var n = Number(d[d.length - 1 - i]);
      if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
      sum += n;
    }
    return d.length > 0 && sum % 10 === 0;
  }

  function err(code, message) {
    return { type: "validation_error", code: code, message: message };
  }

  // ---------- fields: parse, format and check one input ----------

  var FIELDS = {
    number: {
      label: "Card number",
      placeholder: "1234 1234 1234 1234",
      autocomplete: "cc-number",
      format: function (value) {
        var d = digits(value);
        var rule = ruleFor(d);
        d = d.slice(0, rule ? Math.max.apply(null, rule.lengths) : 19);
        var gaps = rule ? rule.gaps : [4, 4, 4, 4, 3];
        var out = [];
        var pos = 0;
        for (var i = 0; i < gaps.length && pos < d.length; i++) {
          out.push(d.slice(pos, pos + gaps[i]));
          pos += gaps[i];
        }
        return out.join(" ");
      },
      check: function (value, final) {
        var d = digits(value);
        var rule = ruleFor(d);
        if (!d) return { empty: true, complete: false, error: final ? err("incomplete_number", "Your card number is incomplete.") : undefined };
        if (!rule && d.length >= 4) return { complete: false, error: err("invalid_number", "Your card number is invalid.") };
        var max = rule ? Math.max.apply(null, rule.lengths) : 19;
        if (rule && rule.lengths.indexOf(d.length) >= 0 && luhn(d)) return { complete: true };
        // Wrong at a full length: at once from 16 digits (13-digit Visas are rare), else when the field is left.
        var fullLength = rule && rule.lengths.indexOf(d.length) >= 0 && (d.length >= 16 || final);
        if (d.length >= max || fullLength) return { complete: false, error: err("invalid_number", "Your card number is invalid.") };
        return { complete: false, error: final ? err("incomplete_number", "Your card number is incomplete.") : undefined };
      },
    },
    expiry: {
      label: "Expiration date (MM / YY)",
      placeholder: "MM / YY",
      autocomplete: "cc-exp",
      format: function (value, deleting) {
        var d = digits(value);
        if (d.length === 1 && Number(d) > 1) d = "0" + d;
        d = d.slice(0, 4);
        if (d.length > 2 || (d.length === 2 && !deleting)) return d.slice(0, 2) + " / " + d.slice(2);
        return d;
      },
      parse: function (value) {
        var d = digits(value);
        return { month: d.slice(0, 2), year: d.length === 4 ? "20" + d.slice(2) : "" };
      },
      check: function (value, final) {
        var d = digits(value);
        if (!d) return { empty: true, complete: false, error: final ? err("incomplete_expiry", "Your card's expiration date is incomplete.") : undefined };
        var month = Number(d.slice(0, 2));
        if (d.length >= 2 && (month < 1 || month > 12)) return { complete: false, error: err("invalid_expiry_month", "Your card's expiration date is invalid.") };
        if (d.length < 4) return { complete: false, error: final ? err("incomplete_expiry", "Your card's expiration date is incomplete.") : undefined };
        var year = 2000 + Number(d.slice(2, 4));
        var now = new Date();
        if (year < now.getFullYear()) return { complete: false, error: err("invalid_expiry_year_past", "Your card's expiration year is in the past.") };
        if (year > now.getFullYear() + 50) return { complete: false, error: err("invalid_expiry_year", "Your card's expiration year is invalid.") };
        if (year === now.getFullYear() && month < now.getMonth() + 1) return { complete: false, error: err("invalid_expiry_month_past", "Your card's expiration date is in the past.") };
        return { complete: true };
      },
    },
    cvc: {
      label: "Security code (CVC)",
      placeholder: "CVC",
      autocomplete: "cc-csc",
      format: function (value) {
        return digits(value).slice(0, 4);
      },
      check: function (value, final) {
        var d = digits(value);
        var want = cvcLength();
        if (!d) return { empty: true, complete: false, error: final ? err("incomplete_cvc", "Your card's security code is incomplete.") : undefined };
        if (d.length === want) return { complete: true };
        if (d.length > want) return { complete: false, error: err("invalid_cvc", "Your card's security code is invalid.") };
        return { complete: false, error: final ? err("incomplete_cvc", "Your card's security code is incomplete.") : undefined };
      },
    },
    postal: {
      label: "ZIP / postal code",
      placeholder: "ZIP",
      autocomplete: "postal-code",
      format: function (value) {
        return String(value).slice(0, 10);
      },
      check: function (value, final) {
        var v = String(value).trim();
        if (!v) return { empty: true, complete: false, error: final ? err("incomplete_zip", "Your postal code is incomplete.") : undefined };
        return { complete: true };
      },
    },
  };

  var NAMES = { cardNumber: ["number"], cardExpiry: ["expiry"], cardCvc: ["cvc"], card: options.hidePostalCode ? ["number", "expiry", "cvc"] : ["number", "expiry", "cvc", "postal"] }[TYPE] || [];
  var inputs = {};
  var touched = {};

  function brand() {
    if (inputs.number) {
      var rule = ruleFor(digits(inputs.number.value));
      return rule ? rule.brand : "unknown";
    }
    return siblingBrand;
  }

  function cvcLength() {
    var rule = BRANDS.filter(function (r) { return r.brand === brand(); })[0];
    return rule ? rule.cvcLength : 3;
  }

  // ---------- the form ----------

  var root = document.getElementById("root");
  NAMES.forEach(function (name) {
    var f = FIELDS[name];
    var input = document.createElement("input");
    input.id = name;
    input.name = name;
    input.type = "text";
    input.inputMode = name === "postal" ? "text" : "numeric";
    input.autocomplete = f.autocomplete;
    input.spellcheck = false;
    input.placeholder = options.placeholder && TYPE !== "card" ? options.placeholder : f.placeholder;
    // The accessible name: the page's visible label when the field stands alone, else the field's own name.
    input.setAttribute("aria-label", NAMES.length === 1 && LABEL ? LABEL : f.label);
    input.setAttribute("aria-invalid", "false");
    input.disabled = !!options.disabled;
    if (name === "postal" && options.value && options.value.postalCode) input.value = options.value.postalCode;
    input.className = "field field-" + name;
    var lastLength = 0;
    input.addEventListener("input", function () {
      var deleting = input.value.length < lastLength;
      input.value = f.format(input.value, deleting);
      lastLength = input.value.length;
      var c = f.check(input.value, false);
      if (c.complete && NAMES.indexOf(name) < NAMES.length - 1) inputs[NAMES[NAMES.indexOf(name) + 1]].focus(); // card: jump to the next part
      update();
    });
    input.addEventListener("focus", function () { toParent({ type: "focus" }); });
    input.addEventListener("blur", function () {
      touched[name] = true;
      update();
      setTimeout(function () {
        if (!document.hasFocus() || document.activeElement === document.body) toParent({ type: "blur" });
      }, 0);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") toParent({ type: "escape" });
    });
    root.appendChild(input);
    inputs[name] = input;
  });

  function applyStyle() {
    var style = options.style || {};
    var base = style.base || {};
    var css = [];
    var map = { color: "color", fontSize: "font-size", fontFamily: "font-family", fontWeight: "font-weight", lineHeight: "line-height", letterSpacing: "letter-spacing", textAlign: "text-align", backgroundColor: "background-color" };
    function rules(o) {
      return Object.keys(o).filter(function (k) { return map[k] && /^[\w\s.,#%()'"-]+$/.test(String(o[k])); }).map(function (k) { return map[k] + ":" + o[k]; }).join(";");
    }
    css.push(".field{" + rules(base) + "}");
    if (base["::placeholder"]) css.push(".field::placeholder{" + rules(base["::placeholder"]) + "}");
    if (style.invalid) css.push(".field[aria-invalid=true]{" + rules(style.invalid) + "}");
    if (style.complete) css.push(".complete .field{" + rules(style.complete) + "}");
    document.getElementById("custom").textContent = css.join("\n");
    toParent({ type: "resize", height: Math.ceil(document.documentElement.getBoundingClientRect().height) });
  }

  var last = "";
  function state(final) {
    var out = { complete: true, empty: true, error: undefined };
    NAMES.forEach(function (name) {
      var c = FIELDS[name].check(inputs[name].value, final || !!touched[name]);
      inputs[name].setAttribute("aria-invalid", c.error ? "true" : "false");
      if (!c.complete) out.complete = false;
      if (!c.empty) out.empty = false;
      if (c.error && !out.error) out.error = c.error;
    });
    return out;
  }

  function update() {
    var s = state(false);
    root.classList.toggle("complete", s.complete);
    var message = { type: "change", complete: s.complete, empty: s.empty, error: s.error, brand: brand() };
    if (TYPE === "card") message.value = { postalCode: inputs.postal ? inputs.postal.value : "" };
    var key = JSON.stringify(message);
    if (key !== last) {
      last = key;
      toParent(message);
    }
    if (inputs.number) channel.postMessage({ type: "brand", brand: brand() });
  }

  // ---------- the group channel (same origin only) ----------

  var collecting = new Map();
  channel.addEventListener("message", function (event) {
    var m = event.data || {};
    if (m.type === "brand" && !inputs.number) {
      siblingBrand = m.brand;
      if (inputs.cvc && inputs.cvc.value) update();
    } else if (m.type === "collect") {
      var fields = {};
      NAMES.forEach(function (name) {
        fields[name] = { value: inputs[name].value, check: FIELDS[name].check(inputs[name].value, true) };
      });
      channel.postMessage({ type: "values", rid: m.rid, fields: fields });
    } else if (m.type === "values" && collecting.has(m.rid)) {
      var c = collecting.get(m.rid);
      Object.assign(c.fields, m.fields);
      if (c.wanted.every(function (name) { return c.fields[name]; })) c.done();
    }
  });

  /** This frame's values plus those of the sibling frames the page says are mounted (at most 3 s of waiting). */
  function collect(siblings) {
    var fields = {};
    NAMES.forEach(function (name) {
      fields[name] = { value: inputs[name].value, check: FIELDS[name].check(inputs[name].value, true) };
    });
    var wanted = (siblings || []).filter(function (name) { return !fields[name]; });
    if (!wanted.length) return Promise.resolve(fields);
    var rid = Math.random().toString(36).slice(2);
    return new Promise(function (resolve) {
      var done = function () {
        clearTimeout(timer);
        collecting.delete(rid);
        resolve(fields);
      };
      var timer = setTimeout(done, 3000);
      collecting.set(rid, { fields: fields, wanted: wanted, done: done });
      channel.postMessage({ type: "collect", rid: rid });
    });
  }

  function form(params, prefix) {
    return Object.keys(params).filter(function (k) { return params[k] !== undefined && params[k] !== null && params[k] !== ""; }).map(function (k) {
      var key = prefix ? prefix + "[" + k + "]" : k;
      return typeof params[k] === "object" ? form(params[k], key) : encodeURIComponent(key) + "=" + encodeURIComponent(String(params[k]));
    }).filter(Boolean).join("&");
  }

  function tokenize(m) {
    return collect(m.siblings).then(function (fields) {
      var order = [["number", "incomplete_number", "Your card number is incomplete."], ["expiry", "incomplete_expiry", "Your card's expiration date is incomplete."], ["cvc", "incomplete_cvc", "Your card's security code is incomplete."]];
      if (inputs.postal) order.push(["postal", "incomplete_zip", "Your postal code is incomplete."]);
      for (var i = 0; i < order.length; i++) {
        var f = fields[order[i][0]];
        if (!f) return { error: err(order[i][1], order[i][2]) };
        if (f.check.error) return { error: f.check.error };
        if (!f.check.complete) return { error: err(order[i][1], order[i][2]) };
      }
      var exp = FIELDS.expiry.parse(fields.expiry.value);
      var billing = m.billing_details && typeof m.billing_details === "object" ? JSON.parse(JSON.stringify(m.billing_details)) : {};
      if (fields.postal) billing.address = Object.assign({}, billing.address || {}, { postal_code: fields.postal.value.trim() });
      var body = form({
        type: "card",
        card: { number: digits(fields.number.value), exp_month: exp.month, exp_year: exp.year, cvc: digits(fields.cvc.value) },
        billing_details: billing,
        key: m.key,
        payment_user_agent: "local-stripe.js/v3",
      });
      return fetch("/v1/payment_methods", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body, credentials: "omit" }).then(
        function (res) {
          return res.json().then(function (json) {
            return res.ok ? { paymentMethod: json } : { error: json.error };
          });
        },
        function () {
          return { error: { type: "api_connection_error", message: "We could not connect to the Stripe API." } };
        },
      );
    });
  }

  // ---------- messages from the page ----------

  window.addEventListener("message", function (event) {
    if (event.source !== parent || event.origin !== PARENT_ORIGIN) return;
    var m = event.data || {};
    if (m.__localStripe !== true) return;
    if (m.type === "focus") inputs[NAMES[0]] && inputs[NAMES[0]].focus();
    else if (m.type === "blur") document.activeElement && document.activeElement.blur();
    else if (m.type === "clear") {
      NAMES.forEach(function (name) { inputs[name].value = ""; touched[name] = false; });
      update();
    } else if (m.type === "update") {
      options = Object.assign(options, m.options || {});
      NAMES.forEach(function (name) { inputs[name].disabled = !!options.disabled; });
      applyStyle();
    } else if (m.type === "tokenize" && inputs.number) {
      NAMES.forEach(function (name) { touched[name] = true; });
      update();
      tokenize(m).then(function (result) {
        toParent({ type: "tokenized", rid: m.rid, result: result });
      });
    }
  });

  applyStyle();
  update();
  toParent({ type: "ready" });
})();
