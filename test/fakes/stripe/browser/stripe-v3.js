/*
 * Stripe.js (v3) for the local Stripe: the subset of the real API shape a portal uses, so the same page code runs
 * against https://js.stripe.com/v3/ and against this server (ADR 016a).
 *
 *   Stripe(publishableKey) · stripe.elements() · elements.create("card" | "cardNumber" | "cardExpiry" | "cardCvc")
 *   element.mount/unmount/destroy/on/off/once/update/focus/blur/clear
 *   stripe.confirmCardSetup · confirmCardPayment · handleNextAction · handleCardAction · createPaymentMethod
 *   stripe.retrieveSetupIntent · retrievePaymentIntent
 *
 * Card data never touches this page: each field is an iframe of this server's origin; the number, expiry and CVC
 * are typed there, gathered by the number frame (BroadcastChannel, same origin only) and posted by it straight
 * to POST /v1/payment_methods. This page only hears non-sensitive metadata (brand, complete, empty, error) and
 * the resulting PaymentMethod (brand, last4, expiry), as with the real Stripe.js.
 */
(function () {
  "use strict";
  if (window.Stripe && window.Stripe.__localStripe) return;

  var script = document.currentScript;
  var ORIGIN = new URL(script && script.src ? script.src : "/", location.href).origin;
  var ELEMENT_TYPES = ["card", "cardNumber", "cardExpiry", "cardCvc"];
  var DEFAULT_TITLES = {
    card: "Secure card payment input frame",
    cardNumber: "Secure card number input frame",
    cardExpiry: "Secure expiration date input frame",
    cardCvc: "Secure CVC input frame",
  };
  var frameCount = 0;

  function integrationError(message) {
    var e = new Error(message);
    e.name = "IntegrationError";
    return e;
  }

  function randomId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /** Stripe's form encoding of nested values. */
  function toForm(params, prefix) {
    var parts = [];
    Object.keys(params).forEach(function (k) {
      var v = params[k];
      if (v === undefined || v === null) return;
      var key = prefix ? prefix + "[" + k + "]" : k;
      if (typeof v === "object") parts.push(toForm(v, key));
      else parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(String(v)));
    });
    return parts.filter(Boolean).join("&");
  }

  // ---------- messages from our frames ----------

  var frames = new Map(); // contentWindow → handler
  window.addEventListener("message", function (event) {
    if (event.origin !== ORIGIN || !event.data || event.data.__localStripe !== true) return;
    var handler = frames.get(event.source);
    if (handler) handler(event.data);
  });

  // ---------- Elements ----------

  function Element(group, type, options) {
    this._group = group;
    this._type = type;
    this._options = options || {};
    this._handlers = {};
    this._state = { complete: false, empty: true, error: undefined, brand: "unknown" };
    this._pending = new Map(); // tokenize requests by id
    this._frame = null;
    this._wrapper = null;
    this._container = null;
    this._destroyed = false;
    this._labelClick = null;
  }

  Element.prototype._post = function (message) {
    if (!this._frame || !this._frame.contentWindow) return false;
    message.__localStripe = true;
    this._frame.contentWindow.postMessage(message, ORIGIN);
    return true;
  };

  Element.prototype._emit = function (name, payload) {
    (this._handlers[name] || []).slice().forEach(function (h) {
      try {
        h(payload);
      } catch (e) {
        setTimeout(function () { throw e; });
      }
    });
  };

  Element.prototype._checkAlive = function () {
    if (this._destroyed) throw integrationError("This Element has already been destroyed. Please create a new one.");
  };

  function labelFor(container) {
    if (container.getAttribute("aria-label")) return container.getAttribute("aria-label");
    var by = container.getAttribute("aria-labelledby");
    if (by) {
      var text = by.split(/\s+/).map(function (id) { var n = document.getElementById(id); return n ? n.textContent.trim() : ""; }).join(" ").trim();
      if (text) return text;
    }
    if (container.id) {
      var label = document.querySelector('label[for="' + CSS.escape(container.id) + '"]');
      if (label) return label.textContent.trim();
    }
    return null;
  }

  Element.prototype._setClasses = function () {
    var c = this._container;
    if (!c) return;
    var classes = Object.assign({ base: "StripeElement", complete: "StripeElement--complete", empty: "StripeElement--empty", focus: "StripeElement--focus", invalid: "StripeElement--invalid" }, this._options.classes || {});
    c.classList.add(classes.base);
    c.classList.toggle(classes.complete, this._state.complete);
    c.classList.toggle(classes.empty, this._state.empty);
    c.classList.toggle(classes.invalid, !!this._state.error);
    c.classList.toggle(classes.focus, !!this._state.focused);
  };

  Element.prototype.mount = function (target) {
    this._checkAlive();
    var container = typeof target === "string" ? document.querySelector(target) : target;
    if (!container || !(container instanceof HTMLElement)) {
      throw integrationError("The selector you specified (" + String(target) + ") applies to no DOM elements that are currently on the page.\nMake sure the element exists on the page before calling mount().");
    }
    if (this._frame) throw integrationError("This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.");
    var self = this;
    var label = labelFor(container);
    var wrapper = document.createElement("div");
    wrapper.className = "__PrivateStripeElement";
    wrapper.style.cssText = "margin:0;padding:0;border:none;display:block;background:transparent;position:relative;opacity:1";
    var frame = document.createElement("iframe");
    frame.name = "__privateStripeFrame" + ++frameCount;
    frame.setAttribute("frameborder", "0");
    frame.setAttribute("allowtransparency", "true");
    frame.setAttribute("scrolling", "no");
    frame.setAttribute("allow", "payment *");
    frame.title = label || DEFAULT_TITLES[this._type];
    frame.style.cssText = "border:none;margin:0;padding:0;width:1px;min-width:100%;overflow:hidden;display:block;user-select:none;height:24px";
    var query = new URLSearchParams({ type: this._type, group: this._group.id, origin: location.origin });
    if (label) query.set("label", label);
    frame.src = ORIGIN + "/v3/elements/frame.html?" + query.toString() + "#" + encodeURIComponent(JSON.stringify(this._frameOptions()));
    wrapper.appendChild(frame);
    container.appendChild(wrapper);
    this._container = container;
    this._wrapper = wrapper;
    this._frame = frame;
    frames.set(frame.contentWindow, function (data) { self._onFrameMessage(data); });
    if (container.id) {
      var labelNode = document.querySelector('label[for="' + CSS.escape(container.id) + '"]');
      if (labelNode) {
        this._labelClick = { node: labelNode, fn: function (e) { e.preventDefault(); self.focus(); } };
        labelNode.addEventListener("click", this._labelClick.fn);
      }
    }
    this._setClasses();
  };

  Element.prototype._frameOptions = function () {
    var o = this._options;
    return { style: o.style || {}, placeholder: o.placeholder, disabled: !!o.disabled, hidePostalCode: !!o.hidePostalCode, value: o.value, showIcon: !!o.showIcon };
  };

  Element.prototype._onFrameMessage = function (data) {
    var payload = { elementType: this._type };
    switch (data.type) {
      case "ready":
        this._emit("ready", payload);
        break;
      case "resize":
        if (this._frame && data.height > 0) this._frame.style.height = data.height + "px";
        break;
      case "focus":
      case "blur":
        this._state.focused = data.type === "focus";
        this._setClasses();
        this._emit(data.type, payload);
        break;
      case "escape":
        this._emit("escape", payload);
        break;
      case "change":
        this._state = { complete: !!data.complete, empty: !!data.empty, error: data.error || undefined, brand: data.brand, focused: this._state.focused };
        this._setClasses();
        payload.empty = !!data.empty;
        payload.complete = !!data.complete;
        payload.error = data.error || undefined;
        payload.value = data.value;
        if (this._type === "card" || this._type === "cardNumber") payload.brand = data.brand || "unknown";
        this._emit("change", payload);
        break;
      case "tokenized": {
        var pending = this._pending.get(data.rid);
        if (pending) {
          this._pending.delete(data.rid);
          pending(data.result);
        }
        break;
      }
    }
  };

  Element.prototype.on = function (name, handler) {
    this._checkAlive();
    (this._handlers[name] = this._handlers[name] || []).push(handler);
    return this;
  };
  Element.prototype.addEventListener = Element.prototype.on;
  Element.prototype.off = function (name, handler) {
    if (!handler) delete this._handlers[name];
    else this._handlers[name] = (this._handlers[name] || []).filter(function (h) { return h !== handler; });
    return this;
  };
  Element.prototype.removeEventListener = Element.prototype.off;
  Element.prototype.once = function (name, handler) {
    var self = this;
    function wrapped(e) {
      self.off(name, wrapped);
      handler(e);
    }
    return this.on(name, wrapped);
  };

  Element.prototype.update = function (options) {
    this._checkAlive();
    Object.assign(this._options, options || {});
    this._post({ type: "update", options: this._frameOptions() });
  };
  Element.prototype.focus = function () { this._checkAlive(); if (this._frame) this._frame.focus(); this._post({ type: "focus" }); };
  Element.prototype.blur = function () { this._checkAlive(); this._post({ type: "blur" }); };
  Element.prototype.clear = function () { this._checkAlive(); this._post({ type: "clear" }); };

  Element.prototype.unmount = function () {
    this._checkAlive();
    if (!this._frame) return;
    frames.delete(this._frame.contentWindow);
    if (this._labelClick) this._labelClick.node.removeEventListener("click", this._labelClick.fn);
    this._wrapper.remove();
    ["StripeElement", "StripeElement--complete", "StripeElement--empty", "StripeElement--focus", "StripeElement--invalid"].forEach(function (c) { this._container.classList.remove(c); }, this);
    this._frame = this._wrapper = this._container = this._labelClick = null;
    this._state = { complete: false, empty: true, error: undefined, brand: "unknown" };
    this._pending.forEach(function (resolve) { resolve({ error: { type: "validation_error", code: "element_unmounted", message: "The Element was unmounted." } }); });
    this._pending.clear();
  };

  Element.prototype.destroy = function () {
    this._checkAlive();
    this.unmount();
    this._destroyed = true;
    delete this._group.elements[this._type];
  };

  /** Asks the frame holding the card number to create a PaymentMethod; resolves { paymentMethod } or { error }. */
  Element.prototype._tokenize = function (key, billingDetails) {
    var self = this;
    return new Promise(function (resolve) {
      var rid = randomId();
      var timer = setTimeout(function () {
        self._pending.delete(rid);
        resolve({ error: { type: "api_connection_error", message: "The card fields did not answer in time." } });
      }, 30000);
      self._pending.set(rid, function (result) {
        clearTimeout(timer);
        resolve(result);
      });
      // The split fields mounted beside this one, so the number frame knows whose values to wait for.
      var siblings = [["cardExpiry", "expiry"], ["cardCvc", "cvc"]].filter(function (pair) {
        var el = self._group.elements[pair[0]];
        return self._type === "cardNumber" && el && el._frame;
      }).map(function (pair) { return pair[1]; });
      self._post({ type: "tokenize", rid: rid, key: key, billing_details: billingDetails || {}, siblings: siblings });
    });
  };

  function Elements(stripe, options) {
    this._stripe = stripe;
    this._options = options || {};
    this.id = randomId();
    this.elements = {};
  }
  Elements.prototype.create = function (type, options) {
    if (ELEMENT_TYPES.indexOf(type) < 0) {
      throw integrationError("A valid Element name must be provided. Valid Elements are: " + ELEMENT_TYPES.join(", ") + "; you passed: " + type + ".");
    }
    if (this.elements[type]) throw integrationError("Can only create one Element of type " + type + ".");
    if (type === "card" && (this.elements.cardNumber || this.elements.cardExpiry || this.elements.cardCvc)) {
      throw integrationError("Do not mix the card Element with cardNumber, cardExpiry or cardCvc Elements in one elements group.");
    }
    var element = new Element(this, type, options);
    this.elements[type] = element;
    return element;
  };
  Elements.prototype.getElement = function (type) {
    return this.elements[type] || null;
  };
  Elements.prototype.update = function (options) {
    Object.assign(this._options, options || {});
  };

  // ---------- Stripe ----------

  function Stripe(key, options) {
    if (!(this instanceof Stripe)) return new Stripe(key, options);
    if (typeof key !== "string" || !key) throw integrationError("Please call Stripe() with your publishable key. You used an empty string.");
    if (/^(sk|rk)_/.test(key)) throw integrationError("You should not use your secret key with Stripe.js.\nPlease pass a publishable key instead.");
    if (!/^pk_(test|live)_/.test(key)) throw integrationError("Invalid value for Stripe(): apiKey should be a publishable key (pk_test_… or pk_live_…). You specified: " + key + ".");
    this._key = key;
    this._options = options || {};
  }
  Stripe.__localStripe = true;
  Stripe.version = 3;

  Stripe.prototype.elements = function (options) {
    return new Elements(this, options);
  };

  Stripe.prototype._api = function (method, path, params) {
    var body = Object.assign({ key: this._key }, params || {});
    var url = ORIGIN + path;
    var init = { method: method, credentials: "omit" };
    if (method === "GET") url += "?" + toForm(body);
    else {
      init.headers = { "content-type": "application/x-www-form-urlencoded" };
      init.body = toForm(body);
    }
    return fetch(url, init).then(
      function (res) {
        return res.json().then(function (json) {
          return res.ok ? { body: json } : { error: json.error || { type: "api_error", message: "Unexpected response " + res.status } };
        });
      },
      function () {
        return { error: { type: "api_connection_error", message: "We could not connect to the Stripe API (" + ORIGIN + ")." } };
      },
    );
  };

  function intentId(clientSecret, prefix, method) {
    var m = typeof clientSecret === "string" ? /^((?:seti|pi)_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(clientSecret) : null;
    if (!m || m[1].indexOf(prefix + "_") !== 0) {
      throw integrationError("Invalid value for " + method + ": value should be a client_secret string. You specified: " + String(clientSecret) + ".");
    }
    return m[1];
  }

  function resultKey(kind) {
    return kind === "setup" ? "setupIntent" : "paymentIntent";
  }

  function result(kind, intent) {
    var out = {};
    out[resultKey(kind)] = intent;
    return out;
  }

  /** The 3-D Secure challenge: a modal with an iframe of this server; resolves when the payer has answered. */
  function challenge(url) {
    return new Promise(function (resolve) {
      var previous = document.activeElement;
      var overlay = document.createElement("div");
      overlay.setAttribute("data-local-stripe", "3ds");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,0.5);display:flex;align-items:center;justify-content:center";
      var dialog = document.createElement("div");
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-modal", "true");
      dialog.setAttribute("aria-label", "3D Secure authentication");
      dialog.style.cssText = "background:#fff;border-radius:8px;box-shadow:0 8px 32px rgba(0,0,0,.3);width:420px;max-width:95vw;height:420px;max-height:95vh;overflow:hidden";
      var frame = document.createElement("iframe");
      frame.title = "3D Secure authentication challenge";
      frame.src = url + (url.indexOf("?") < 0 ? "?" : "&") + "origin=" + encodeURIComponent(location.origin);
      frame.style.cssText = "border:none;width:100%;height:100%";
      frame.addEventListener("load", function () { frame.focus(); });
      dialog.appendChild(frame);
      overlay.appendChild(dialog);
      document.body.appendChild(overlay);
      frames.set(frame.contentWindow, function (data) {
        if (data.type !== "3ds-complete") return;
        frames.delete(frame.contentWindow);
        overlay.remove();
        if (previous && typeof previous.focus === "function") previous.focus();
        resolve();
      });
    });
  }

  /** After a confirm: runs next actions (3-D Secure) and resolves like Stripe.js. */
  Stripe.prototype._finish = function (kind, intent, handleActions) {
    var self = this;
    if (intent.status !== "requires_action" || handleActions === false) return Promise.resolve(result(kind, intent));
    var next = intent.next_action || {};
    if (next.type === "redirect_to_url") {
      window.location.assign(next.redirect_to_url.url);
      return new Promise(function () {}); // the page is leaving, as with Stripe.js
    }
    if (next.type !== "use_stripe_sdk") return Promise.resolve(result(kind, intent));
    return challenge(next.use_stripe_sdk.stripe_js).then(function () {
      return self._api("GET", (kind === "setup" ? "/v1/setup_intents/" : "/v1/payment_intents/") + intent.id, { client_secret: intent.client_secret });
    }).then(function (res) {
      if (res.error) return { error: res.error };
      var after = res.body;
      var lastError = kind === "setup" ? after.last_setup_error : after.last_payment_error;
      if (after.status === "requires_payment_method" && lastError) {
        var error = Object.assign({}, lastError);
        error[kind === "setup" ? "setup_intent" : "payment_intent"] = after;
        return { error: error };
      }
      return result(kind, after);
    });
  };

  /** payment_method as Stripe.js takes it: "pm_…", { card: element, billing_details }, or nothing. */
  Stripe.prototype._paymentMethodId = function (pm) {
    if (pm === undefined || pm === null) return Promise.resolve({ id: undefined });
    if (typeof pm === "string") return Promise.resolve({ id: pm });
    if (pm.card instanceof Element) {
      return this._cardElementPm(pm.card, pm.billing_details).then(function (r) {
        return r.error ? { error: r.error } : { id: r.paymentMethod.id };
      });
    }
    return Promise.reject(integrationError("Invalid value for payment_method: pass a PaymentMethod id or { card: cardElement }."));
  };

  Stripe.prototype._cardElementPm = function (element, billingDetails) {
    element._checkAlive();
    var primary = element._type === "card" ? element : element._group.elements.cardNumber;
    if (!primary || !primary._frame) {
      return Promise.reject(integrationError("We could not retrieve data from the specified Element.\nPlease make sure the Element you are attempting to use is still mounted."));
    }
    return primary._tokenize(this._key, billingDetails);
  };

  Stripe.prototype._confirm = function (kind, clientSecret, data, options) {
    var self = this;
    var method = kind === "setup" ? "confirmCardSetup" : "confirmCardPayment";
    var id;
    try {
      id = intentId(clientSecret, kind === "setup" ? "seti" : "pi", method);
    } catch (e) {
      return Promise.reject(e);
    }
    data = data || {};
    return this._paymentMethodId(data.payment_method).then(function (pm) {
      if (pm.error) return { error: pm.error };
      var params = { client_secret: clientSecret, payment_method: pm.id, return_url: data.return_url };
      if (kind === "payment") {
        params.setup_future_usage = data.setup_future_usage;
        if (data.save_payment_method) params.setup_future_usage = "off_session";
      }
      return self._api("POST", (kind === "setup" ? "/v1/setup_intents/" : "/v1/payment_intents/") + id + "/confirm", params).then(function (res) {
        if (res.error) return { error: res.error };
        return self._finish(kind, res.body, !(options && options.handleActions === false));
      });
    });
  };

  Stripe.prototype.confirmCardSetup = function (clientSecret, data, options) {
    return this._confirm("setup", clientSecret, data, options);
  };
  Stripe.prototype.confirmCardPayment = function (clientSecret, data, options) {
    return this._confirm("payment", clientSecret, data, options);
  };

  Stripe.prototype._retrieve = function (kind, clientSecret, method) {
    var id;
    try {
      id = intentId(clientSecret, kind === "setup" ? "seti" : "pi", method);
    } catch (e) {
      return Promise.reject(e);
    }
    return this._api("GET", (kind === "setup" ? "/v1/setup_intents/" : "/v1/payment_intents/") + id, { client_secret: clientSecret }).then(function (res) {
      return res.error ? { error: res.error } : result(kind, res.body);
    });
  };
  Stripe.prototype.retrieveSetupIntent = function (clientSecret) {
    return this._retrieve("setup", clientSecret, "retrieveSetupIntent");
  };
  Stripe.prototype.retrievePaymentIntent = function (clientSecret) {
    return this._retrieve("payment", clientSecret, "retrievePaymentIntent");
  };

  Stripe.prototype.handleNextAction = function (options) {
    var self = this;
    var secret = options && options.clientSecret;
    var kind = typeof secret === "string" && secret.indexOf("seti_") === 0 ? "setup" : "payment";
    return this._retrieve(kind, secret, "handleNextAction").then(function (r) {
      return r.error ? r : self._finish(kind, r[resultKey(kind)], true);
    });
  };
  Stripe.prototype.handleCardAction = function (clientSecret) {
    return this.handleNextAction({ clientSecret: clientSecret });
  };

  Stripe.prototype.createPaymentMethod = function (a, b, c) {
    // createPaymentMethod({ type: "card", card, billing_details }) or the older ("card", element, { billing_details }).
    var data = typeof a === "string" ? Object.assign({ type: a, card: b }, c || {}) : a || {};
    if (data.type !== "card") return Promise.reject(integrationError("createPaymentMethod: this local Stripe.js supports type: \"card\"."));
    if (!(data.card instanceof Element)) return Promise.reject(integrationError("createPaymentMethod: `card` must be a card Element."));
    return this._cardElementPm(data.card, data.billing_details);
  };

  window.Stripe = Stripe;
})();
