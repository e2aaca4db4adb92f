/**
 * A stateful fake of the Stripe v1 API, good enough for the real `stripe` SDK (23.1.0) to talk to:
 *
 *   new Stripe(key, { httpClient: Stripe.createFetchHttpClient(), host: "127.0.0.1", port,
 *                     protocol: "http", maxNetworkRetries: 0 })
 *
 * Endpoints (the `route(...)` calls below): balance; customers create/retrieve/update and their
 * payment_methods; setup_intents create/retrieve/confirm; payment_methods retrieve/attach/detach/list;
 * payment_intents create/retrieve/confirm/capture/cancel; refunds create/retrieve; charges retrieve;
 * events list/retrieve (every state change above records an event). Top-level `expand[]` works.
 * Idempotency-Key: per API key; same key and params replay the stored answer (header
 * `Idempotent-Replayed: true`), other params → 400 idempotency_error, a concurrent duplicate → 409.
 * Not modelled: webhooks delivery, subscriptions/invoices, amounts per currency minimums.
 *
 * Behaviour follows Stripe's documented test tokens, keyed by the PaymentMethod a request uses:
 *
 * | token                                  | card       | attach / setup         | charge                                   |
 * |----------------------------------------|------------|------------------------|------------------------------------------|
 * | pm_card_visa / _mastercard / _amex     | 4242/4444/8431 | ok             | ok                                       |
 * | pm_card_chargeDeclined                 | 0002       | 402 card_declined      | 402 generic_decline                      |
 * | pm_card_chargeDeclinedInsufficientFunds| 9995       | 402 card_declined      | 402 insufficient_funds                   |
 * | pm_card_chargeCustomerFail             | 0341       | ok                     | 402 generic_decline (every charge)       |
 * | pm_card_authenticationRequired         | 3184       | requires_action        | on-session: requires_action; off-session: 402 authentication_required |
 * | pm_card_authenticationRequiredOnSetup  | 3155       | requires_action        | like 3184 unless the card was set up through a SetupIntent |
 *
 * As on Stripe, using a token (`pm_card_visa`) creates a new PaymentMethod with its own `pm_…` id;
 * the new id keeps the token's behaviour and a fingerprint that is stable per token. Declining cards
 * fail already at attach (Stripe checks the card then); use pm_card_chargeCustomerFail, or
 * `POST /__control/script`, for a card that attaches and fails later.
 *
 * Control API (not Stripe's): everything under /__control/, no auth:
 *   POST /__control/reset                 forget all objects, requests, faults, scripts
 *   POST /__control/faults {latencyMs, fail500, fail429, dropAfterCommit, match}
 *        fail500/fail429/dropAfterCommit count down per matching request. `match` (default: every
 *        request) is a substring of "METHOD /v1/path <decoded params>", so a test can aim at its own traffic,
 *        e.g. "POST /v1/payment_intents" or "metadata[test]=t42". A POST replaces all faults; {} clears them.
 *   GET  /__control/faults                current faults
 *   GET  /__control/requests              every /v1 request received: method, path, params, headers of interest, status
 *   POST /__control/script {payment_method, outcome}   change what a stored PaymentMethod does from now on:
 *        outcome = succeed | generic_decline | insufficient_funds | authentication_required
 *   POST /__control/complete_action {intent, outcome?: "succeed" | "fail"}  play the customer's part of
 *        3-D Secure for a SetupIntent or PaymentIntent in requires_action
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes } from "node:crypto";

type Params = Record<string, unknown>;
type Obj = Record<string, unknown> & { id: string; object: string };
type Outcome = "succeed" | "generic_decline" | "insufficient_funds" | "authentication_required" | "authentication_required_unless_setup";

interface CardTemplate {
  brand: string;
  last4: string;
  outcome: Outcome;
  /** Declined already when attached / set up (Stripe validates the card then). */
  declineOnAttach?: boolean;
}

const TOKENS: Record<string, CardTemplate> = {
  pm_card_visa: { brand: "visa", last4: "4242", outcome: "succeed" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", outcome: "succeed" },
  pm_card_amex: { brand: "amex", last4: "8431", outcome: "succeed" },
  pm_card_chargeDeclined: { brand: "visa", last4: "0002", outcome: "generic_decline", declineOnAttach: true },
  pm_card_chargeDeclinedInsufficientFunds: { brand: "visa", last4: "9995", outcome: "insufficient_funds", declineOnAttach: true },
  pm_card_chargeCustomerFail: { brand: "visa", last4: "0341", outcome: "generic_decline" },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", outcome: "authentication_required" },
  pm_card_authenticationRequiredOnSetup: { brand: "visa", last4: "3155", outcome: "authentication_required_unless_setup" },
};

const DECLINE_MESSAGES: Record<string, string> = {
  generic_decline: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  authentication_required: "Your card was declined. This transaction requires authentication.",
};

/** A Stripe-shaped error; `stored` says whether an idempotent replay should return it again. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly stored = false,
  ) {
    super(String(body.message));
  }
}

const invalid = (message: string, extra: Record<string, unknown> = {}, status = 400) =>
  new ApiError(status, { type: "invalid_request_error", message, ...extra });

interface Faults {
  latencyMs: number;
  fail500: number;
  fail429: number;
  dropAfterCommit: number;
  match: string;
}
const noFaults = (): Faults => ({ latencyMs: 0, fail500: 0, fail429: 0, dropAfterCommit: 0, match: "" });

interface StoredResponse {
  fingerprint: string;
  status: number;
  body: unknown;
}

export interface FakeStripe {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  let objects = new Map<string, Obj>();
  /** Internal per-PaymentMethod state that Stripe does not expose. */
  let pmState = new Map<string, { outcome: Outcome; setUp: boolean; declineOnAttach: boolean }>();
  let events: Obj[] = [];
  let idem = new Map<string, StoredResponse | "in-progress">();
  let requests: Record<string, unknown>[] = [];
  let faults = noFaults();

  // ---------- helpers over the store ----------

  const now = () => Math.floor(Date.now() / 1000);
  const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x").slice(0, 14)}`;
  const put = (o: Obj): Obj => (objects.set(o.id, o), o);

  function get(id: string, object: string, label: string): Obj {
    const o = objects.get(id);
    if (!o || o.object !== object) throw invalid(`No such ${label}: '${id}'`, { code: "resource_missing", param: "id" }, 404);
    return o;
  }

  function emit(type: string, object: Obj, request: { id: string; idempotency_key: string | null }): void {
    events.unshift({
      id: newId("evt"),
      object: "event",
      api_version: "2025-01-01",
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 0,
      request,
      type,
    });
  }

  /** Resolves a PaymentMethod id; a test token becomes a fresh stored PaymentMethod, as on Stripe. */
  function resolvePm(id: unknown, param = "payment_method"): Obj {
    if (typeof id !== "string" || !id) throw invalid(`Missing required param: ${param}.`, { code: "parameter_missing", param });
    const template = TOKENS[id];
    if (!template) return get(id, "payment_method", "PaymentMethod");
    const year = new Date().getUTCFullYear() + 3;
    const pm = put({
      id: newId("pm"),
      object: "payment_method",
      type: "card",
      created: now(),
      customer: null,
      livemode: false,
      metadata: {},
      billing_details: { address: null, email: null, name: null, phone: null },
      card: {
        brand: template.brand,
        last4: template.last4,
        exp_month: 12,
        exp_year: year,
        funding: "credit",
        country: "US",
        // Stable per token, like Stripe's per-card-number fingerprint.
        fingerprint: createHash("sha256").update(id).digest("base64url").replace(/[-_]/g, "x").slice(0, 16),
      },
    });
    pmState.set(pm.id, { outcome: template.outcome, setUp: false, declineOnAttach: !!template.declineOnAttach });
    return pm;
  }

  function cardError(code: string, declineCode: string, extra: Record<string, unknown>): ApiError {
    const body = {
      type: "card_error",
      code,
      decline_code: declineCode,
      message: DECLINE_MESSAGES[declineCode] ?? DECLINE_MESSAGES.generic_decline,
      ...extra,
    };
    return new ApiError(402, body, true);
  }

  function attach(pm: Obj, customerId: string, req: ReqInfo): void {
    const customer = get(customerId, "customer", "customer");
    if (pm.customer && pm.customer !== customer.id) {
      throw invalid("The payment method you provided has already been attached to a customer.", { code: "payment_method_unexpected_state" });
    }
    if (pmState.get(pm.id)?.declineOnAttach) {
      const decline = pmState.get(pm.id)!.outcome;
      throw cardError("card_declined", decline, { param: "", payment_method: pm });
    }
    if (pm.customer !== customer.id) {
      pm.customer = customer.id;
      emit("payment_method.attached", pm, req.eventRequest);
    }
  }

  // ---------- SetupIntents ----------

  function confirmSetup(si: Obj, p: Params, req: ReqInfo): Obj {
    if (!["requires_payment_method", "requires_confirmation"].includes(String(si.status))) {
      throw invalid(`You cannot confirm this SetupIntent because it has a status of ${si.status}.`, { code: "setup_intent_unexpected_state", setup_intent: si });
    }
    const pm = resolvePm(p.payment_method ?? si.payment_method);
    si.payment_method = pm.id;
    const state = pmState.get(pm.id);
    if (state?.declineOnAttach) {
      si.status = "requires_payment_method";
      si.last_setup_error = { type: "card_error", code: "card_declined", decline_code: state.outcome, message: DECLINE_MESSAGES[state.outcome] };
      si.payment_method = null;
      emit("setup_intent.setup_failed", si, req.eventRequest);
      throw cardError("card_declined", state.outcome, { setup_intent: si });
    }
    if (state && (state.outcome === "authentication_required" || state.outcome === "authentication_required_unless_setup")) {
      si.status = "requires_action";
      si.next_action = { type: "use_stripe_sdk", use_stripe_sdk: {} };
      emit("setup_intent.requires_action", si, req.eventRequest);
      return si;
    }
    return succeedSetup(si, pm, req);
  }

  function succeedSetup(si: Obj, pm: Obj, req: ReqInfo): Obj {
    if (typeof si.customer === "string") attach(pm, si.customer, req);
    const state = pmState.get(pm.id);
    if (state) state.setUp = true;
    si.status = "succeeded";
    si.next_action = null;
    si.last_setup_error = null;
    emit("setup_intent.succeeded", si, req.eventRequest);
    return si;
  }

  // ---------- PaymentIntents ----------

  function confirmPayment(pi: Obj, p: Params, req: ReqInfo): Obj {
    if (!["requires_payment_method", "requires_confirmation"].includes(String(pi.status))) {
      throw invalid(`This PaymentIntent's status is ${pi.status}; it cannot be confirmed.`, { code: "payment_intent_unexpected_state", payment_intent: pi });
    }
    const pm = resolvePm(p.payment_method ?? pi.payment_method);
    pi.payment_method = pm.id;
    if (typeof pi.customer === "string" && pm.customer && pm.customer !== pi.customer) {
      throw invalid("The provided PaymentMethod belongs to another customer.", { code: "payment_method_unexpected_state" });
    }
    const offSession = bool(p.off_session) || pi.off_session === true;
    const state = pmState.get(pm.id);
    let outcome: Outcome = state?.outcome ?? "succeed";
    if (outcome === "authentication_required_unless_setup") outcome = state?.setUp ? "succeed" : "authentication_required";

    if (outcome === "authentication_required" && !offSession) {
      pi.status = "requires_action";
      pi.next_action = { type: "use_stripe_sdk", use_stripe_sdk: {} };
      emit("payment_intent.requires_action", pi, req.eventRequest);
      return pi;
    }
    if (outcome !== "succeed") {
      // Off-session, an authentication-required card fails the request (402) and leaves the intent
      // in requires_payment_method; the customer has to come back on-session.
      const decline = outcome === "authentication_required" ? "authentication_required" : outcome;
      const code = decline === "authentication_required" ? "authentication_required" : "card_declined";
      const charge = createCharge(pi, pm, "failed");
      pi.status = "requires_payment_method";
      pi.latest_charge = charge.id;
      pi.last_payment_error = { type: "card_error", code, decline_code: decline, message: DECLINE_MESSAGES[decline], payment_method: pm };
      emit("payment_intent.payment_failed", pi, req.eventRequest);
      throw cardError(code, decline, { charge: charge.id, payment_intent: pi, payment_method: pm });
    }
    return succeedPayment(pi, pm, req);
  }

  function succeedPayment(pi: Obj, pm: Obj, req: ReqInfo): Obj {
    const manual = pi.capture_method === "manual";
    const charge = createCharge(pi, pm, "succeeded");
    pi.latest_charge = charge.id;
    pi.next_action = null;
    pi.last_payment_error = null;
    if (pi.setup_future_usage && typeof pi.customer === "string") {
      attach(pm, pi.customer, req);
      const state = pmState.get(pm.id);
      if (state) state.setUp = true;
    }
    if (manual) {
      pi.status = "requires_capture";
      pi.amount_capturable = pi.amount;
      emit("payment_intent.amount_capturable_updated", pi, req.eventRequest);
    } else {
      pi.status = "succeeded";
      pi.amount_received = pi.amount;
      emit("charge.succeeded", charge, req.eventRequest);
      emit("payment_intent.succeeded", pi, req.eventRequest);
    }
    return pi;
  }

  function createCharge(pi: Obj, pm: Obj, status: "succeeded" | "failed"): Obj {
    const card = pm.card as Record<string, unknown>;
    return put({
      id: newId("ch"),
      object: "charge",
      amount: pi.amount,
      amount_captured: status === "succeeded" && pi.capture_method !== "manual" ? pi.amount : 0,
      amount_refunded: 0,
      captured: status === "succeeded" && pi.capture_method !== "manual",
      created: now(),
      currency: pi.currency,
      customer: pi.customer,
      livemode: false,
      paid: status === "succeeded",
      payment_intent: pi.id,
      payment_method: pm.id,
      payment_method_details: { type: "card", card: { brand: card.brand, last4: card.last4, exp_month: card.exp_month, exp_year: card.exp_year, fingerprint: card.fingerprint } },
      refunded: false,
      status,
    });
  }

  // ---------- routes ----------

  interface ReqInfo {
    params: Params;
    eventRequest: { id: string; idempotency_key: string | null };
  }
  type Handler = (m: string[], req: ReqInfo) => unknown;
  const routes: [string, RegExp, Handler][] = [];
  const route = (method: string, path: string, h: Handler) =>
    routes.push([method, new RegExp(`^${path.replace(/:\w+/g, "([^/]+)")}$`), h]);

  route("GET", "/v1/balance", () => ({
    object: "balance",
    livemode: false,
    available: [{ amount: 0, currency: "usd", source_types: { card: 0 } }],
    pending: [{ amount: 0, currency: "usd", source_types: { card: 0 } }],
  }));

  route("POST", "/v1/customers", (_m, req) => {
    const p = req.params;
    const c = put({
      id: newId("cus"),
      object: "customer",
      created: now(),
      livemode: false,
      email: str(p.email),
      name: str(p.name),
      description: str(p.description),
      metadata: mergeMetadata({}, p.metadata),
      invoice_settings: { default_payment_method: null },
    });
    if (p.payment_method !== undefined) attach(resolvePm(p.payment_method), c.id, req);
    setDefaultPm(c, p);
    emit("customer.created", c, req.eventRequest);
    return c;
  });
  route("GET", "/v1/customers/:id", ([id]) => get(id!, "customer", "customer"));
  route("POST", "/v1/customers/:id", ([id], req) => {
    const c = get(id!, "customer", "customer");
    const p = req.params;
    for (const k of ["email", "name", "description"]) if (p[k] !== undefined) c[k] = str(p[k]);
    c.metadata = mergeMetadata(c.metadata as Record<string, string>, p.metadata);
    setDefaultPm(c, p);
    emit("customer.updated", c, req.eventRequest);
    return c;
  });
  route("GET", "/v1/customers/:id/payment_methods", ([id], req) => listPms(id!, req.params));

  route("POST", "/v1/setup_intents", (_m, req) => {
    const p = req.params;
    if (p.customer !== undefined) get(String(p.customer), "customer", "customer");
    const id = newId("seti");
    const si = put({
      id,
      object: "setup_intent",
      client_secret: `${id}_secret_${randomBytes(12).toString("hex")}`,
      created: now(),
      customer: str(p.customer),
      description: str(p.description),
      last_setup_error: null,
      livemode: false,
      metadata: mergeMetadata({}, p.metadata),
      next_action: null,
      payment_method: null,
      payment_method_types: Array.isArray(p.payment_method_types) ? p.payment_method_types : ["card"],
      status: "requires_payment_method",
      usage: str(p.usage) ?? "off_session",
    });
    if (p.payment_method !== undefined) {
      si.payment_method = resolvePm(p.payment_method).id;
      si.status = "requires_confirmation";
    }
    emit("setup_intent.created", si, req.eventRequest);
    return bool(p.confirm) ? confirmSetup(si, {}, req) : si;
  });
  route("GET", "/v1/setup_intents/:id", ([id]) => get(id!, "setup_intent", "setupintent"));
  route("POST", "/v1/setup_intents/:id/confirm", ([id], req) => confirmSetup(get(id!, "setup_intent", "setupintent"), req.params, req));

  route("GET", "/v1/payment_methods", (_m, req) => listPms(String(req.params.customer ?? ""), req.params));
  route("GET", "/v1/payment_methods/:id", ([id]) => {
    const template = TOKENS[id!];
    // Retrieving a bare token shows what it would become, without storing anything.
    if (template) return { id, object: "payment_method", type: "card", customer: null, card: { brand: template.brand, last4: template.last4 } };
    return get(id!, "payment_method", "PaymentMethod");
  });
  route("POST", "/v1/payment_methods/:id/attach", ([id], req) => {
    const pm = resolvePm(id);
    attach(pm, String(req.params.customer ?? ""), req);
    return pm;
  });
  route("POST", "/v1/payment_methods/:id/detach", ([id], req) => {
    const pm = get(id!, "payment_method", "PaymentMethod");
    if (!pm.customer) throw invalid(`The payment method ${pm.id} is not attached to a customer.`, { code: "payment_method_unexpected_state" });
    pm.customer = null;
    emit("payment_method.detached", pm, req.eventRequest);
    return pm;
  });

  route("POST", "/v1/payment_intents", (_m, req) => {
    const p = req.params;
    const amount = int(p.amount, "amount");
    if (amount < 1) throw invalid("This value must be greater than or equal to 1.", { code: "parameter_invalid_integer", param: "amount" });
    const currency = str(p.currency);
    if (!currency) throw invalid("Missing required param: currency.", { code: "parameter_missing", param: "currency" });
    if (p.customer !== undefined) get(String(p.customer), "customer", "customer");
    if (bool(p.off_session) && !bool(p.confirm)) {
      throw invalid("off_session can only be used when confirm=true.", { param: "off_session" });
    }
    const id = newId("pi");
    const pi = put({
      id,
      object: "payment_intent",
      amount,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: str(p.capture_method) ?? "automatic",
      client_secret: `${id}_secret_${randomBytes(12).toString("hex")}`,
      created: now(),
      currency: currency.toLowerCase(),
      customer: str(p.customer),
      description: str(p.description),
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: mergeMetadata({}, p.metadata),
      next_action: null,
      off_session: bool(p.off_session),
      payment_method: null,
      payment_method_types: Array.isArray(p.payment_method_types) ? p.payment_method_types : ["card"],
      setup_future_usage: str(p.setup_future_usage),
      status: "requires_payment_method",
    });
    if (p.payment_method !== undefined) {
      pi.payment_method = resolvePm(p.payment_method).id;
      pi.status = "requires_confirmation";
    }
    emit("payment_intent.created", pi, req.eventRequest);
    return bool(p.confirm) ? confirmPayment(pi, {}, req) : pi;
  });
  route("GET", "/v1/payment_intents/:id", ([id]) => get(id!, "payment_intent", "payment_intent"));
  route("POST", "/v1/payment_intents/:id/confirm", ([id], req) =>
    confirmPayment(get(id!, "payment_intent", "payment_intent"), req.params, req));
  route("POST", "/v1/payment_intents/:id/capture", ([id], req) => {
    const pi = get(id!, "payment_intent", "payment_intent");
    if (pi.status !== "requires_capture") {
      throw invalid(`This PaymentIntent could not be captured because it has a status of ${pi.status}.`, { code: "payment_intent_unexpected_state", payment_intent: pi });
    }
    const amount = req.params.amount_to_capture === undefined ? Number(pi.amount) : int(req.params.amount_to_capture, "amount_to_capture");
    if (amount > Number(pi.amount)) throw invalid("amount_to_capture must be at most the amount of the PaymentIntent.", { param: "amount_to_capture" });
    pi.status = "succeeded";
    pi.amount_received = amount;
    pi.amount_capturable = 0;
    const charge = objects.get(String(pi.latest_charge));
    if (charge) Object.assign(charge, { captured: true, amount_captured: amount });
    emit("payment_intent.succeeded", pi, req.eventRequest);
    return pi;
  });
  route("POST", "/v1/payment_intents/:id/cancel", ([id], req) => {
    const pi = get(id!, "payment_intent", "payment_intent");
    if (pi.status === "succeeded" || pi.status === "canceled") {
      throw invalid(`You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`, { code: "payment_intent_unexpected_state", payment_intent: pi });
    }
    pi.status = "canceled";
    pi.cancellation_reason = str(req.params.cancellation_reason) ?? "requested_by_customer";
    pi.canceled_at = now();
    emit("payment_intent.canceled", pi, req.eventRequest);
    return pi;
  });

  route("POST", "/v1/refunds", (_m, req) => {
    const p = req.params;
    let charge: Obj;
    if (p.payment_intent !== undefined) {
      const pi = get(String(p.payment_intent), "payment_intent", "payment_intent");
      if (pi.status !== "succeeded") throw invalid(`This PaymentIntent does not have a successful charge to refund.`, { code: "charge_not_refundable" });
      charge = get(String(pi.latest_charge), "charge", "charge");
    } else if (p.charge !== undefined) {
      charge = get(String(p.charge), "charge", "charge");
    } else {
      throw invalid("One of the following params should be provided for this request: payment_intent or charge.", { code: "parameter_missing" });
    }
    const refundable = Number(charge.amount_captured) - Number(charge.amount_refunded);
    if (refundable <= 0) throw invalid(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
    const amount = p.amount === undefined ? refundable : int(p.amount, "amount");
    if (amount < 1 || amount > refundable) {
      throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable})`, { code: "amount_too_large", param: "amount" });
    }
    charge.amount_refunded = Number(charge.amount_refunded) + amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    const refund = put({
      id: newId("re"),
      object: "refund",
      amount,
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      metadata: mergeMetadata({}, p.metadata),
      payment_intent: charge.payment_intent,
      reason: str(p.reason),
      status: "succeeded",
    });
    emit("refund.created", refund, req.eventRequest);
    emit("charge.refunded", charge, req.eventRequest);
    return refund;
  });
  route("GET", "/v1/refunds/:id", ([id]) => get(id!, "refund", "refund"));
  route("GET", "/v1/charges/:id", ([id]) => get(id!, "charge", "charge"));

  route("GET", "/v1/events", (_m, req) => {
    const p = req.params;
    let list = events;
    if (typeof p.type === "string") list = list.filter((e) => matchesType(String(e.type), String(p.type)));
    if (Array.isArray(p.types)) list = list.filter((e) => (p.types as string[]).some((t) => matchesType(String(e.type), t)));
    return paginate(list, p, "/v1/events");
  });
  route("GET", "/v1/events/:id", ([id]) => {
    const e = events.find((x) => x.id === id);
    if (!e) throw invalid(`No such event: '${id}'`, { code: "resource_missing", param: "id" }, 404);
    return e;
  });

  function listPms(customerId: string, p: Params) {
    get(customerId, "customer", "customer");
    const list = [...objects.values()]
      .filter((o) => o.object === "payment_method" && o.customer === customerId)
      .sort((a, b) => Number(b.created) - Number(a.created));
    return paginate(list, p, `/v1/customers/${customerId}/payment_methods`);
  }

  function setDefaultPm(c: Obj, p: Params): void {
    const settings = p.invoice_settings as Params | undefined;
    if (settings?.default_payment_method === undefined) return;
    const value = str(settings.default_payment_method);
    if (value) {
      const pm = get(value, "payment_method", "PaymentMethod");
      if (pm.customer !== c.id) throw invalid(`The customer does not have a payment method with the ID ${value}.`, { param: "invoice_settings[default_payment_method]" });
    }
    c.invoice_settings = { default_payment_method: value };
  }

  // `expand[]=latest_charge` etc: top-level fields holding the id of a stored object are replaced by it.
  function expand(body: unknown, p: Params): unknown {
    if (!Array.isArray(p.expand) || !body || typeof body !== "object") return body;
    const out = { ...(body as Record<string, unknown>) };
    for (const field of p.expand) {
      const v = out[String(field)];
      if (typeof v === "string" && objects.has(v)) out[String(field)] = objects.get(v);
    }
    return out;
  }

  // ---------- HTTP plumbing ----------

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { type: "api_error", message: `fake-stripe bug: ${String(err)}` } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake-stripe");
    const method = req.method ?? "GET";
    const rawBody = await readBody(req);
    if (url.pathname.startsWith("/__control/")) return control(method, url.pathname, rawBody, res);

    const params = method === "GET" || method === "DELETE" ? parseForm(url.search.slice(1)) : parseForm(rawBody);
    const idemKey = header(req, "idempotency-key");
    const requestId = `req_${randomBytes(8).toString("hex")}`;
    const log: Record<string, unknown> = {
      at: new Date().toISOString(),
      method,
      path: url.pathname,
      params,
      idempotencyKey: idemKey,
      stripeVersion: header(req, "stripe-version"),
      requestId,
      status: 0,
    };
    requests.push(log);
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      log.status = status;
      send(res, status, body, { "request-id": requestId, ...(idemKey ? { "idempotency-key": idemKey } : {}), ...extra });
    };

    const key = /^Bearer (.+)$/.exec(header(req, "authorization") ?? "")?.[1] ?? "";
    if (!/^(sk|rk)_test_\w+$/.test(key) || /invalid|revoked/.test(key)) {
      // Any well-formed test key works, except ones naming themselves invalid/revoked (for "Verify" tests).
      // Live keys are refused outright so a real key can never be exercised against the fake.
      const message = key ? `Invalid API Key provided: ${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : "You did not provide an API key.";
      return reply(401, { error: { type: "invalid_request_error", message } });
    }

    const found = routes.find(([m, re]) => m === method && re.test(url.pathname));
    if (!found) {
      return reply(404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${url.pathname}).` } });
    }
    const signature = `${method} ${url.pathname}`;
    const faulted = `${signature} ${safeDecode(url.search.slice(1) || rawBody)}`.includes(faults.match);

    // Idempotency applies to POSTs and is scoped per API key, like Stripe's.
    const scope = method === "POST" && idemKey ? `${key}\n${idemKey}` : null;
    const fingerprint = `${signature}\n${canonical(params)}`;
    if (scope) {
      const prior = idem.get(scope);
      if (prior === "in-progress") {
        return reply(409, { error: { type: "idempotency_error", message: `There is currently another in-progress request using this Idempotency-Key: ${idemKey}.` } });
      }
      if (prior && prior.fingerprint !== fingerprint) {
        return reply(400, {
          error: {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`,
          },
        });
      }
      if (prior) {
        log.replayed = true;
        return reply(prior.status, prior.body, { "idempotent-replayed": "true" });
      }
      idem.set(scope, "in-progress");
    }

    // Latency counts as processing time, so a second request with the same key meanwhile gets the 409.
    if (faulted && faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    // Injected 500/429 happen before the endpoint runs, so (as on Stripe) nothing is stored for replay.
    const injected =
      faulted && faults.fail500 > 0
        ? (faults.fail500--, { status: 500, error: { type: "api_error", message: "An unknown error occurred (injected by fake-stripe)." } })
        : faulted && faults.fail429 > 0
          ? (faults.fail429--, { status: 429, error: { type: "invalid_request_error", code: "rate_limit", message: "Request rate limit exceeded (injected by fake-stripe)." } })
          : null;
    if (injected) {
      if (scope) idem.delete(scope);
      return reply(injected.status, { error: injected.error });
    }

    let status = 200;
    let body: unknown;
    let store = true;
    try {
      const m = found[1].exec(url.pathname)!.slice(1).map(decodeURIComponent);
      const result = found[2](m, { params, eventRequest: { id: requestId, idempotency_key: idemKey } });
      body = structuredClone(expand(result, params));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      status = err.status;
      // Cloned: the error embeds live objects (payment_intent, …) that later requests mutate.
      body = structuredClone({ error: { ...err.body, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } });
      // Validation-style errors are not saved (Stripe saves results once the endpoint ran).
      store = err.stored;
    } finally {
      if (scope) idem.delete(scope);
    }
    if (scope && store) idem.set(scope, { fingerprint, status, body });

    if (faulted && faults.dropAfterCommit > 0) {
      // The work is done and stored, but the client never hears back: the case idempotency keys exist for.
      faults.dropAfterCommit--;
      log.status = "dropped";
      req.socket.destroy();
      return;
    }
    reply(status, body);
  }

  function control(method: string, path: string, rawBody: string, res: ServerResponse): void {
    const body = (rawBody.trim() ? JSON.parse(rawBody) : {}) as Record<string, unknown>;
    const route = `${method} ${path}`;
    if (route === "POST /__control/reset") {
      objects = new Map();
      pmState = new Map();
      events = [];
      idem = new Map();
      requests = [];
      faults = noFaults();
      return send(res, 200, { reset: true });
    }
    if (route === "GET /__control/faults") return send(res, 200, faults);
    if (route === "POST /__control/faults") {
      const n = (v: unknown) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Math.floor(Number(v)) : 0);
      faults = { latencyMs: n(body.latencyMs), fail500: n(body.fail500), fail429: n(body.fail429), dropAfterCommit: n(body.dropAfterCommit), match: typeof body.match === "string" ? body.match : "" };
      return send(res, 200, faults);
    }
    if (route === "GET /__control/requests") return send(res, 200, requests);
    if (route === "POST /__control/script") {
      const state = pmState.get(String(body.payment_method));
      const outcomes: Outcome[] = ["succeed", "generic_decline", "insufficient_funds", "authentication_required"];
      if (!state || !outcomes.includes(body.outcome as Outcome)) {
        return send(res, 400, { error: `need a stored payment_method (pm_… id, not a token) and outcome in ${outcomes.join("|")}` });
      }
      state.outcome = body.outcome as Outcome;
      return send(res, 200, { payment_method: body.payment_method, outcome: state.outcome });
    }
    if (route === "POST /__control/complete_action") {
      const intent = objects.get(String(body.intent));
      if (!intent || intent.status !== "requires_action") return send(res, 400, { error: "intent not found or not in requires_action" });
      const req: ReqInfo = { params: {}, eventRequest: { id: "", idempotency_key: null } };
      const pm = get(String(intent.payment_method), "payment_method", "PaymentMethod");
      if (body.outcome === "fail") {
        intent.status = "requires_payment_method";
        intent.next_action = null;
        const error = { type: "card_error", code: "payment_intent_authentication_failure", message: "The provided PaymentMethod has failed authentication." };
        if (intent.object === "setup_intent") {
          intent.last_setup_error = error;
          emit("setup_intent.setup_failed", intent, req.eventRequest);
        } else {
          intent.last_payment_error = error;
          emit("payment_intent.payment_failed", intent, req.eventRequest);
        }
      } else if (intent.object === "setup_intent") {
        succeedSetup(intent, pm, req);
      } else {
        succeedPayment(intent, pm, req);
      }
      return send(res, 200, intent);
    }
    send(res, 404, { error: `no control route ${route}` });
  }

  const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // keep-alive sockets from the SDK would otherwise hold close() open
        server.close(() => resolve());
      }),
  };
}

// ---------- pure helpers ----------

/**
 * Parses Stripe's form encoding into nested values: `metadata[order]=42` → { metadata: { order: "42" } },
 * `expand[]=a` and `expand[0]=a` → { expand: ["a"] }. Values stay strings, as on the wire.
 */
export function parseForm(body: string): Params {
  const root: Params = {};
  if (!body) return root;
  for (const pair of body.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawKey = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, " "));
    const value = eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!m) continue;
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
    if (path.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) continue;
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i] === "" ? String(Object.keys(node).length) : path[i]!; // `[]` appends
      if (i === path.length - 1) node[seg] = value;
      else node = (node[seg] ??= {}) as Record<string, unknown>;
    }
  }
  return arrayify(root, "") as Params;
}

/** Objects whose keys are all 0..n-1 become arrays (except under metadata, which is a free-form hash). */
function arrayify(v: unknown, key: string): unknown {
  if (!v || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  for (const k of keys) o[k] = arrayify(o[k], k);
  if (key !== "metadata" && keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => o[k]);
  }
  return o;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Stripe metadata semantics: keys merge; an empty value deletes the key; metadata="" clears all. */
function mergeMetadata(current: Record<string, string>, update: unknown): Record<string, string> {
  if (update === "") return {};
  const out = { ...current };
  if (update && typeof update === "object") {
    for (const [k, v] of Object.entries(update)) {
      if (v === "") delete out[k];
      else out[k] = String(v);
    }
  }
  return out;
}

function matchesType(type: string, pattern: string): boolean {
  return pattern.endsWith(".*") ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

function paginate(list: Obj[], p: Params, url: string) {
  const limit = Math.min(100, Math.max(1, Number(p.limit ?? 10) || 10));
  let start = 0;
  if (typeof p.starting_after === "string") start = list.findIndex((o) => o.id === p.starting_after) + 1;
  const data = list.slice(start, start + limit);
  return { object: "list", url, has_more: start + limit < list.length, data };
}

const str = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));
const bool = (v: unknown): boolean => v === true || v === "true";

function int(v: unknown, param: string): number {
  if (v === undefined) throw invalid(`Missing required param: ${param}.`, { code: "parameter_missing", param });
  if (!/^-?\d+$/.test(String(v))) throw invalid(`Invalid integer: ${String(v)}`, { code: "parameter_invalid_integer", param });
  return Number(v);
}

function safeDecode(form: string): string {
  try {
    return decodeURIComponent(form.replace(/\+/g, " "));
  } catch {
    return form;
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === "string" ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
