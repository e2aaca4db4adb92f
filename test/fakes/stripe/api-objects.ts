/**
 * /v1 endpoints of the local Stripe for account, balance, customers, payment methods, webhook endpoints and
 * events. PaymentMethods come from Stripe.js (raw card data, publishable key only) or from Stripe's test tokens
 * (`pm_card_visa`, secret key); both carry the test card's behaviour (cards.ts).
 */
import { cardBrand, cardForToken, checkCard, type CardBehaviour, type ValidCard } from "./cards";
import { bool, inRange, matchesType, mergeMetadata, paginate, str, type Obj, type Params } from "./form";
import type { Router } from "./router";
import { ApiError, cardError, invalid, type RequestInfo, type StripeStore } from "./store";

/** What the webhook module offers the API: endpoint CRUD and delivery status of events. */
export interface WebhookApi {
  createEndpoint(input: { url: string; enabledEvents: string[]; description: string | null; metadata: Record<string, string>; secret?: string }): Obj & { secret: string };
  endpoints(): Obj[];
  endpoint(id: string): Obj | undefined;
  updateEndpoint(id: string, patch: { url?: string; enabledEvents?: string[]; disabled?: boolean }): Obj | undefined;
  deleteEndpoint(id: string): boolean;
  /** true: some endpoint answered 2xx; false: none did yet (or no endpoint). */
  delivered(eventId: string): boolean;
}

export const ACCOUNT_ID = "acct_1LocalCumulusStripe";

// ---------- PaymentMethods ----------

function billingDetails(p: unknown, current?: Record<string, unknown>): Record<string, unknown> {
  const b = (p && typeof p === "object" ? p : {}) as Params;
  const a = (b.address && typeof b.address === "object" ? b.address : {}) as Params;
  const cur = current ?? { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null };
  const curAddress = (cur.address ?? {}) as Record<string, unknown>;
  const pick = (src: Params, k: string, fallback: unknown) => (src[k] === undefined ? fallback : str(src[k]));
  return {
    address: Object.fromEntries(["city", "country", "line1", "line2", "postal_code", "state"].map((k) => [k, pick(a, k, curAddress[k] ?? null)])),
    email: pick(b, "email", cur.email ?? null),
    name: pick(b, "name", cur.name ?? null),
    phone: pick(b, "phone", cur.phone ?? null),
  };
}

export function newCardPm(store: StripeStore, card: Omit<ValidCard, "digits"> & { fingerprint: string }, p: Params): Obj {
  const pm = store.put({
    id: store.newId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: billingDetails(p.billing_details),
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: "US",
      display_brand: card.brand,
      exp_month: card.expMonth,
      exp_year: card.expYear,
      fingerprint: card.fingerprint,
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: store.now(),
    customer: null,
    livemode: false,
    metadata: mergeMetadata({}, p.metadata),
    type: "card",
  });
  store.cards.set(pm.id, { behaviour: card.behaviour, setUp: false });
  return pm;
}

/** A PaymentMethod from raw card data: the number and CVC are checked, fingerprinted and dropped. */
function pmFromCardData(store: StripeStore, p: Params): Obj {
  const input = (p.card && typeof p.card === "object" ? p.card : {}) as Params;
  if (input.number === undefined) throw invalid("Missing required param: card[number].", { code: "parameter_missing", param: "card[number]" });
  const checked = checkCard({ number: input.number, exp_month: input.exp_month, exp_year: input.exp_year, cvc: input.cvc }, new Date(store.nowMs()));
  if ("error" in checked) {
    const e = checked.error;
    throw new ApiError(402, { type: "card_error", code: e.code, message: e.message, param: `card[${e.param}]`, doc_url: `https://stripe.com/docs/error-codes/${e.code.replace(/_/g, "-")}` });
  }
  const { digits, ...card } = checked.card;
  // A real card in test mode is declined when it is tokenised, so no PaymentMethod ever stands for one.
  if (card.behaviour.kind === "decline" && card.behaviour.decline === "test_mode_live_card") throw cardError("test_mode_live_card");
  return newCardPm(store, { ...card, fingerprint: store.fingerprint(digits) }, p);
}

/** Resolves a PaymentMethod id; a test token (`pm_card_visa`) becomes a fresh stored PaymentMethod, as on Stripe. */
export function resolvePm(store: StripeStore, id: unknown, param = "payment_method"): Obj {
  if (typeof id !== "string" || !id) throw invalid(`Missing required param: ${param}.`, { code: "parameter_missing", param });
  const test = cardForToken(id);
  if (!test) return store.get(id, "payment_method", "PaymentMethod");
  const checked = checkCard({ number: test.number, exp_month: 12, exp_year: new Date(store.nowMs()).getUTCFullYear() + 3, cvc: undefined }, new Date(store.nowMs()));
  if ("error" in checked) throw new Error(`test token ${id} does not pass the card checks`);
  const { digits, ...card } = checked.card;
  return newCardPm(store, { ...card, fingerprint: store.fingerprint(digits) }, {});
}

export function attach(store: StripeStore, pm: Obj, customerId: unknown, request: RequestInfo): void {
  const customer = store.get(customerId, "customer");
  if (pm.customer && pm.customer !== customer.id) {
    throw invalid("The payment method you provided has already been attached to a customer.", { code: "payment_method_unexpected_state", param: "payment_method" });
  }
  const behaviour = store.cards.get(pm.id)?.behaviour;
  if (behaviour?.kind === "decline" && behaviour.atSetup) throw cardError(behaviour.decline, { param: "", payment_method: pm });
  if (pm.customer !== customer.id) {
    pm.customer = customer.id;
    store.emit("payment_method.attached", pm, request);
  }
}

/** What the publishable key sees of an object: Stripe.js gets no customer, metadata or fingerprint. */
export function publicView(body: unknown): unknown {
  if (!body || typeof body !== "object") return body;
  const o = body as Record<string, unknown>;
  const keep = (fields: string[]) => Object.fromEntries(fields.filter((f) => f in o).map((f) => [f, publicView(o[f])]));
  switch (o.object) {
    case "setup_intent":
      return keep(["id", "object", "cancellation_reason", "client_secret", "created", "description", "last_setup_error", "livemode", "next_action", "payment_method", "payment_method_types", "status", "usage"]);
    case "payment_intent":
      return keep(["id", "object", "amount", "canceled_at", "cancellation_reason", "capture_method", "client_secret", "confirmation_method", "created", "currency", "description", "last_payment_error", "livemode", "next_action", "payment_method", "payment_method_types", "setup_future_usage", "status"]);
    case "payment_method": {
      const card = { ...(o.card as Record<string, unknown>) };
      delete card.fingerprint;
      return { ...keep(["id", "object", "allow_redisplay", "billing_details", "created", "livemode", "type"]), card, customer: null };
    }
    default:
      if ("error" in o) return { error: publicView(o.error) };
      if (o.type && typeof o.message === "string") {
        // An error body: its embedded objects are views too.
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, publicView(v)]));
      }
      return body;
  }
}

export function behaviourOf(store: StripeStore, pmId: string): CardBehaviour {
  return store.cards.get(pmId)?.behaviour ?? { kind: "succeed" };
}

// ---------- routes ----------

export function registerObjects(router: Router, store: StripeStore, webhooks: WebhookApi): void {
  router.add("GET", "/v1/account", () => ({
    id: ACCOUNT_ID,
    object: "account",
    business_profile: { name: "Local Stripe (Cumulus)", url: null },
    charges_enabled: true,
    country: "US",
    default_currency: "usd",
    details_submitted: true,
    email: null,
    payouts_enabled: true,
    settings: { dashboard: { display_name: "Local Stripe", timezone: "Etc/UTC" } },
    type: "standard",
  }));

  router.add("GET", "/v1/balance", () => ({
    object: "balance",
    livemode: false,
    available: [{ amount: 0, currency: "usd", source_types: { card: 0 } }],
    pending: [{ amount: 0, currency: "usd", source_types: { card: 0 } }],
  }));

  // ----- customers -----
  router.add("POST", "/v1/customers", (_m, req) => {
    const p = req.params;
    const c = store.put({
      id: store.newId("cus"),
      object: "customer",
      created: store.now(),
      description: str(p.description),
      email: str(p.email),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null },
      livemode: false,
      metadata: mergeMetadata({}, p.metadata),
      name: str(p.name),
      phone: str(p.phone),
    });
    if (p.payment_method !== undefined) attach(store, resolvePm(store, p.payment_method), c.id, req.request);
    setDefaultPm(c, p);
    store.emit("customer.created", c, req.request);
    return c;
  });
  router.add("GET", "/v1/customers", (_m, req) => {
    const email = str(req.params.email);
    return paginate(store.list("customer", (c) => !email || c.email === email), req.params, "/v1/customers");
  });
  router.add("GET", "/v1/customers/:id", ([id]) => store.get(id, "customer"));
  router.add("POST", "/v1/customers/:id", ([id], req) => {
    const c = store.get(id, "customer");
    const p = req.params;
    const before = structuredClone(c);
    for (const k of ["email", "name", "description", "phone"]) if (p[k] !== undefined) c[k] = str(p[k]);
    c.metadata = mergeMetadata(c.metadata as Record<string, string>, p.metadata);
    setDefaultPm(c, p);
    store.emit("customer.updated", c, req.request, changed(before, c));
    return c;
  });
  router.add("DELETE", "/v1/customers/:id", ([id], req) => {
    const c = store.get(id, "customer");
    store.objects.delete(c.id);
    for (const pm of store.list("payment_method", (o) => o.customer === c.id)) pm.customer = null;
    store.emit("customer.deleted", c, req.request);
    return { id: c.id, object: "customer", deleted: true };
  });
  router.add("GET", "/v1/customers/:id/payment_methods", ([id], req) => listPms(id!, req.params));
  router.add("GET", "/v1/customers/:id/payment_methods/:pm", ([id, pmId]) => {
    const pm = store.get(pmId, "payment_method", "PaymentMethod");
    if (pm.customer !== store.get(id, "customer").id) throw invalid(`No such PaymentMethod: '${pmId}'`, { code: "resource_missing", param: "payment_method" }, 404);
    return pm;
  });

  function listPms(customerId: string, p: Params) {
    store.get(customerId, "customer");
    return paginate(store.list("payment_method", (o) => o.customer === customerId), p, `/v1/customers/${customerId}/payment_methods`);
  }

  function setDefaultPm(c: Obj, p: Params): void {
    const settings = p.invoice_settings as Params | undefined;
    if (settings?.default_payment_method === undefined) return;
    const value = str(settings.default_payment_method);
    if (value) {
      const pm = store.get(value, "payment_method", "PaymentMethod");
      if (pm.customer !== c.id) throw invalid(`The customer does not have a payment method with the ID ${value}. The payment method must be attached to the customer.`, { param: "invoice_settings[default_payment_method]" });
    }
    c.invoice_settings = { ...(c.invoice_settings as object), default_payment_method: value };
  }

  // ----- payment methods -----
  router.add(
    "POST",
    "/v1/payment_methods",
    (_m, req) => {
      const p = req.params;
      if (p.type !== "card") throw invalid("Invalid payment_method type: this local Stripe supports type=card.", { code: "parameter_invalid_empty", param: "type" });
      const card = (p.card ?? {}) as Params;
      if (req.auth !== "publishable" && card.number !== undefined) {
        // As on Stripe (without the raw card data permission): server-side code uses tokens, never numbers.
        throw invalid(
          "Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest you use test tokens that map to the test card you are using, see https://stripe.com/docs/testing.",
          { code: "raw_card_data_not_allowed", param: "card[number]" },
        );
      }
      if (req.auth !== "publishable" && typeof p.payment_method === "string") return resolvePm(store, p.payment_method);
      const pm = pmFromCardData(store, p);
      return pm;
    },
    { publishable: true },
  );
  router.add("GET", "/v1/payment_methods", (_m, req) => listPms(String(req.params.customer ?? ""), req.params));
  router.add("GET", "/v1/payment_methods/:id", ([id]) => {
    const test = cardForToken(id!);
    // Retrieving a bare token shows what it would become, without storing anything.
    if (test) return { id, object: "payment_method", type: "card", customer: null, card: { brand: cardBrand(test.number), last4: test.number.slice(-4) } };
    return store.get(id, "payment_method", "PaymentMethod");
  });
  router.add("POST", "/v1/payment_methods/:id", ([id], req) => {
    const pm = store.get(id, "payment_method", "PaymentMethod");
    const p = req.params;
    // As on Stripe: only a PaymentMethod saved to a customer can be updated.
    if (!pm.customer) throw invalid("You must save this PaymentMethod to a customer before you can update it.", { code: "payment_method_unexpected_state" });
    const before = structuredClone(pm);
    if (p.billing_details !== undefined) pm.billing_details = billingDetails(p.billing_details, pm.billing_details as Record<string, unknown>);
    if (p.metadata !== undefined) pm.metadata = mergeMetadata(pm.metadata as Record<string, string>, p.metadata);
    if (p.card !== undefined) {
      const c = p.card as Params;
      const card = pm.card as Record<string, unknown>;
      const month = c.exp_month === undefined ? Number(card.exp_month) : Number(c.exp_month);
      const year = c.exp_year === undefined ? Number(card.exp_year) : Number(c.exp_year);
      const now = new Date(store.nowMs());
      if (!Number.isInteger(month) || month < 1 || month > 12) throw new ApiError(402, { type: "card_error", code: "invalid_expiry_month", message: "Your card's expiration month is invalid.", param: "card[exp_month]" });
      if (!Number.isInteger(year) || year < now.getUTCFullYear() || year > now.getUTCFullYear() + 50) throw new ApiError(402, { type: "card_error", code: "invalid_expiry_year", message: "Your card's expiration year is invalid.", param: "card[exp_year]" });
      if (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1) throw new ApiError(402, { type: "card_error", code: "invalid_expiry_month", message: "Your card's expiration month is invalid.", param: "card[exp_month]" });
      Object.assign(card, { exp_month: month, exp_year: year });
    }
    store.emit("payment_method.updated", pm, req.request, changed(before, pm));
    return pm;
  });
  router.add("POST", "/v1/payment_methods/:id/attach", ([id], req) => {
    const pm = resolvePm(store, id);
    attach(store, pm, req.params.customer, req.request);
    return pm;
  });
  router.add("POST", "/v1/payment_methods/:id/detach", ([id], req) => {
    const pm = store.get(id, "payment_method", "PaymentMethod");
    if (!pm.customer) throw invalid(`The payment method ${pm.id} is not attached to a customer.`, { code: "payment_method_unexpected_state" });
    const customer = store.objects.get(String(pm.customer));
    const settings = customer?.invoice_settings as Record<string, unknown> | undefined;
    if (customer && settings?.default_payment_method === pm.id) {
      // Stripe clears the default when its PaymentMethod is detached.
      const before = structuredClone(customer);
      settings.default_payment_method = null;
      store.emit("customer.updated", customer, req.request, changed(before, customer));
    }
    pm.customer = null;
    store.emit("payment_method.detached", pm, req.request, { customer: customer?.id ?? null });
    return pm;
  });

  // ----- webhook endpoints (Stripe's API; the secret is shown only on creation) -----
  router.add("POST", "/v1/webhook_endpoints", (_m, req) => {
    const p = req.params;
    const url = str(p.url);
    if (!url || !/^https?:\/\//.test(url)) throw invalid("Invalid URL: An explicit scheme (such as https) must be provided.", { param: "url" });
    const events = Array.isArray(p.enabled_events) ? p.enabled_events.map(String) : [];
    if (!events.length) throw invalid("Missing required param: enabled_events.", { code: "parameter_missing", param: "enabled_events" });
    return webhooks.createEndpoint({ url, enabledEvents: events, description: str(p.description), metadata: mergeMetadata({}, p.metadata) });
  });
  router.add("GET", "/v1/webhook_endpoints", (_m, req) => paginate(webhooks.endpoints(), req.params, "/v1/webhook_endpoints"));
  router.add("GET", "/v1/webhook_endpoints/:id", ([id]) => {
    const e = webhooks.endpoint(id!);
    if (!e) throw invalid(`No such webhook endpoint: '${id}'`, { code: "resource_missing", param: "id" }, 404);
    return e;
  });
  router.add("POST", "/v1/webhook_endpoints/:id", ([id], req) => {
    const p = req.params;
    const e = webhooks.updateEndpoint(id!, {
      url: str(p.url) ?? undefined,
      enabledEvents: Array.isArray(p.enabled_events) ? p.enabled_events.map(String) : undefined,
      disabled: p.disabled === undefined ? undefined : bool(p.disabled),
    });
    if (!e) throw invalid(`No such webhook endpoint: '${id}'`, { code: "resource_missing", param: "id" }, 404);
    return e;
  });
  router.add("DELETE", "/v1/webhook_endpoints/:id", ([id]) => {
    if (!webhooks.deleteEndpoint(id!)) throw invalid(`No such webhook endpoint: '${id}'`, { code: "resource_missing", param: "id" }, 404);
    return { id, object: "webhook_endpoint", deleted: true };
  });

  // ----- events -----
  router.add("GET", "/v1/events", (_m, req) => {
    const p = req.params;
    let list = store.events;
    if (typeof p.type === "string") list = list.filter((e) => matchesType(String(e.type), String(p.type)));
    if (Array.isArray(p.types)) list = list.filter((e) => (p.types as string[]).some((t) => matchesType(String(e.type), t)));
    if (p.created !== undefined) list = list.filter((e) => inRange(Number(e.created), p.created));
    if (p.delivery_success !== undefined) list = list.filter((e) => webhooks.delivered(e.id) === bool(p.delivery_success));
    return paginate(list, p, "/v1/events");
  });
  router.add("GET", "/v1/events/:id", ([id]) => {
    const e = store.events.find((x) => x.id === id);
    if (!e) throw invalid(`No such event: '${id}'`, { code: "resource_missing", param: "id" }, 404);
    return e;
  });
}

/** previous_attributes of an `*.updated` event: the top-level fields that changed, with their old values. */
export function changed(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(after)) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = before[k] ?? null;
  }
  return out;
}

