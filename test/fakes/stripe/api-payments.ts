/**
 * /v1 endpoints of the local Stripe for SetupIntents, PaymentIntents, charges, refunds and disputes, with the
 * test cards' behaviour: declines (at setup or at charge), 3-D Secure (next_action → a challenge page on this
 * server, pages.ts), off-session rules, disputes. `completeChallenge` is the payer's answer to 3-D Secure.
 */
import { DECLINES, type DeclineCode } from "./cards";
import { bool, mergeMetadata, paginate, str, type Obj, type Params } from "./form";
import { attach, behaviourOf, resolvePm } from "./api-objects";
import type { Router } from "./router";
import { cardError, invalid, type ApiRequest, type RequestInfo, type StripeStore } from "./store";

const CONFIRMABLE = ["requires_payment_method", "requires_confirmation"];

export function registerPayments(router: Router, store: StripeStore): PaymentHooks {
  /** An intent by id; Stripe.js (publishable key) must present the intent's client_secret. */
  function intentFor(req: ApiRequest, id: string, object: "setup_intent" | "payment_intent"): Obj {
    const label = object === "setup_intent" ? "setupintent" : "payment_intent";
    const intent = store.get(id, object, label);
    if (req.auth === "publishable") {
      if (typeof req.params.client_secret !== "string") {
        throw invalid("Missing required param: client_secret.", { code: "parameter_missing", param: "client_secret" });
      }
      if (req.params.client_secret !== intent.client_secret) {
        throw invalid(`The client_secret provided does not match the client_secret associated with the ${object === "setup_intent" ? "SetupIntent" : "PaymentIntent"}.`, { param: "client_secret" });
      }
    }
    return intent;
  }

  /** After an intent is created: a given payment_method makes it confirmable; confirm=true confirms it at once. */
  function afterCreate(intent: Obj, p: Params, req: ApiRequest, confirm: (i: Obj, p: Params, r: RequestInfo) => Obj): Obj {
    if (p.payment_method !== undefined) {
      intent.payment_method = resolvePm(store, p.payment_method).id;
      intent.status = "requires_confirmation";
    }
    store.emit(`${intent.object}.created`, intent, req.request);
    return bool(p.confirm) ? confirm(intent, { return_url: p.return_url }, req.request) : intent;
  }

  /** A list endpoint filtered by the given parameters when present (`?customer=cus_…`). */
  const listBy = (object: string, req: ApiRequest, fields: string[]) => {
    const wanted = fields.map((f) => [f, str(req.params[f])] as const).filter(([, v]) => v !== null);
    return paginate(store.list(object, (o) => wanted.every(([f, v]) => o[f] === v)), req.params, `/v1/${object}s`);
  };

  /** 3-D Secure: the intent waits for the payer's answer on a challenge page (next_action). */
  function requireAction(intent: Obj, p: Params, req: RequestInfo): Obj {
    intent.status = "requires_action";
    intent.next_action = store.openChallenge(intent, str(p.return_url));
    store.emit(`${intent.object}.requires_action`, intent, req);
    return intent;
  }

  // ---------- SetupIntents ----------

  function confirmSetup(si: Obj, p: Params, req: RequestInfo): Obj {
    if (!CONFIRMABLE.includes(String(si.status))) {
      throw invalid(`You cannot confirm this SetupIntent because it has a status of ${si.status}.`, { code: "setup_intent_unexpected_state", setup_intent: si });
    }
    const pm = resolvePm(store, p.payment_method ?? si.payment_method);
    if (typeof si.customer === "string" && pm.customer && pm.customer !== si.customer) {
      throw invalid("The provided PaymentMethod belongs to another customer.", { code: "payment_method_unexpected_state", param: "payment_method" });
    }
    si.payment_method = pm.id;
    const behaviour = behaviourOf(store, pm.id);
    if (behaviour.kind === "decline" && behaviour.atSetup) {
      const error = cardError(behaviour.decline, { payment_method: pm });
      si.status = "requires_payment_method";
      si.last_setup_error = error.body;
      si.payment_method = null;
      store.emit("setup_intent.setup_failed", si, req);
      throw cardError(behaviour.decline, { payment_method: pm, setup_intent: si });
    }
    if (behaviour.kind === "authenticate") return requireAction(si, p, req);
    return succeedSetup(si, pm, req);
  }

  function succeedSetup(si: Obj, pm: Obj, req: RequestInfo): Obj {
    if (typeof si.customer === "string") attach(store, pm, si.customer, req);
    const state = store.cards.get(pm.id);
    if (state) state.setUp = true;
    si.status = "succeeded";
    si.next_action = null;
    si.last_setup_error = null;
    store.emit("setup_intent.succeeded", si, req);
    return si;
  }

  router.add("POST", "/v1/setup_intents", (_m, req) => {
    const p = req.params;
    if (p.customer !== undefined) store.get(p.customer, "customer");
    const id = store.newId("seti");
    const si = store.put({
      id,
      object: "setup_intent",
      cancellation_reason: null,
      client_secret: `${id}_secret_${store.newId("x").slice(3)}`,
      created: store.now(),
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
    return afterCreate(si, p, req, confirmSetup);
  });
  router.add("GET", "/v1/setup_intents", (_m, req) => listBy("setup_intent", req, ["customer"]));
  router.add("GET", "/v1/setup_intents/:id", ([id], req) => intentFor(req, id!, "setup_intent"), { publishable: true });
  router.add("POST", "/v1/setup_intents/:id", ([id], req) => {
    const si = store.get(id, "setup_intent", "setupintent");
    const p = req.params;
    if (p.metadata !== undefined) si.metadata = mergeMetadata(si.metadata as Record<string, string>, p.metadata);
    if (p.description !== undefined) si.description = str(p.description);
    return si;
  });
  router.add("POST", "/v1/setup_intents/:id/confirm", ([id], req) => confirmSetup(intentFor(req, id!, "setup_intent"), req.params, req.request), { publishable: true });
  router.add("POST", "/v1/setup_intents/:id/cancel", ([id], req) => {
    const si = store.get(id, "setup_intent", "setupintent");
    if (si.status === "succeeded" || si.status === "canceled") {
      throw invalid(`You cannot cancel this SetupIntent because it has a status of ${si.status}.`, { code: "setup_intent_unexpected_state", setup_intent: si });
    }
    si.status = "canceled";
    si.next_action = null;
    si.cancellation_reason = str(req.params.cancellation_reason) ?? "requested_by_customer";
    store.emit("setup_intent.canceled", si, req.request);
    return si;
  });

  // ---------- PaymentIntents ----------

  function decline(pi: Obj, pm: Obj, code: DeclineCode, req: RequestInfo): never {
    const charge = createCharge(pi, pm, code);
    pi.status = "requires_payment_method";
    pi.latest_charge = charge.id;
    pi.next_action = null;
    pi.last_payment_error = { ...cardError(code, { charge: charge.id, payment_method: pm }).body };
    store.emit("charge.failed", charge, req);
    store.emit("payment_intent.payment_failed", pi, req);
    throw cardError(code, { charge: charge.id, payment_intent: pi, payment_method: pm });
  }

  function confirmPayment(pi: Obj, p: Params, req: RequestInfo): Obj {
    if (!CONFIRMABLE.includes(String(pi.status))) {
      throw invalid(`This PaymentIntent's status is ${pi.status}; it cannot be confirmed.`, { code: "payment_intent_unexpected_state", payment_intent: pi });
    }
    const pm = resolvePm(store, p.payment_method ?? pi.payment_method);
    if (typeof pi.customer === "string" && pm.customer && pm.customer !== pi.customer) {
      throw invalid("The provided PaymentMethod belongs to another customer.", { code: "payment_method_unexpected_state", param: "payment_method" });
    }
    pi.payment_method = pm.id;
    if (p.setup_future_usage !== undefined) pi.setup_future_usage = str(p.setup_future_usage);
    if (p.off_session !== undefined) pi.off_session = bool(p.off_session);
    const offSession = pi.off_session === true;
    const behaviour = behaviourOf(store, pm.id);

    if (behaviour.kind === "decline") decline(pi, pm, behaviour.decline, req);
    if (behaviour.kind === "authenticate") {
      const setUp = store.cards.get(pm.id)?.setUp === true;
      if (offSession && (behaviour.always || !setUp)) decline(pi, pm, "authentication_required", req);
      if (!offSession) return requireAction(pi, p, req);
    }
    return succeedPayment(pi, pm, req);
  }

  function succeedPayment(pi: Obj, pm: Obj, req: RequestInfo): Obj {
    const manual = pi.capture_method === "manual";
    const charge = createCharge(pi, pm, null);
    pi.latest_charge = charge.id;
    pi.next_action = null;
    pi.last_payment_error = null;
    if (pi.setup_future_usage && typeof pi.customer === "string") {
      attach(store, pm, pi.customer, req);
      const state = store.cards.get(pm.id);
      if (state) state.setUp = true;
    }
    if (manual) {
      pi.status = "requires_capture";
      pi.amount_capturable = pi.amount;
      store.emit("charge.succeeded", charge, req);
      store.emit("payment_intent.amount_capturable_updated", pi, req);
      return pi;
    }
    pi.status = "succeeded";
    pi.amount_received = pi.amount;
    store.emit("charge.succeeded", charge, req);
    store.emit("payment_intent.succeeded", pi, req);
    if (behaviourOf(store, pm.id).kind === "dispute") createDispute(charge, "fraudulent", req);
    return pi;
  }

  function createCharge(pi: Obj, pm: Obj, declined: DeclineCode | null): Obj {
    const card = pm.card as Record<string, unknown>;
    const captured = !declined && pi.capture_method !== "manual";
    const d = declined ? DECLINES[declined] : null;
    return store.put({
      id: store.newId("ch"),
      object: "charge",
      amount: pi.amount,
      amount_captured: captured ? pi.amount : 0,
      amount_refunded: 0,
      billing_details: pm.billing_details,
      captured,
      created: store.now(),
      currency: pi.currency,
      customer: pi.customer,
      description: pi.description,
      disputed: false,
      failure_code: d ? d.code : null,
      failure_message: d ? d.message : null,
      livemode: false,
      metadata: pi.metadata,
      outcome: d
        ? { network_status: d.blocked ? "not_sent_to_network" : "declined_by_network", reason: declined, risk_level: d.blocked ? "highest" : "normal", seller_message: d.blocked ? "Stripe blocked this payment as too risky." : "The bank did not return any further details with this decline.", type: d.blocked ? "blocked" : "issuer_declined" }
        : { network_status: "approved_by_network", reason: null, risk_level: "normal", seller_message: "Payment complete.", type: "authorized" },
      paid: !declined,
      payment_intent: pi.id,
      payment_method: pm.id,
      payment_method_details: { type: "card", card: { brand: card.brand, country: card.country, exp_month: card.exp_month, exp_year: card.exp_year, fingerprint: card.fingerprint, funding: card.funding, last4: card.last4 } },
      refunded: false,
      status: declined ? "failed" : "succeeded",
    });
  }

  function createDispute(charge: Obj, reason: string, req: RequestInfo | null): Obj {
    charge.disputed = true;
    const dispute = store.put({
      id: store.newId("dp"),
      object: "dispute",
      amount: charge.amount,
      charge: charge.id,
      created: store.now(),
      currency: charge.currency,
      evidence_details: { due_by: store.now() + 7 * 86400, has_evidence: false, past_due: false, submission_count: 0 },
      is_charge_refundable: false,
      livemode: false,
      metadata: {},
      payment_intent: charge.payment_intent,
      reason,
      status: "needs_response",
    });
    store.emit("charge.dispute.created", dispute, req);
    return dispute;
  }

  router.add("POST", "/v1/payment_intents", (_m, req) => {
    const p = req.params;
    const amount = int(p.amount, "amount");
    if (amount < 1) throw invalid("This value must be greater than or equal to 1.", { code: "parameter_invalid_integer", param: "amount" });
    const currency = str(p.currency);
    if (!currency) throw invalid("Missing required param: currency.", { code: "parameter_missing", param: "currency" });
    if (p.customer !== undefined) store.get(p.customer, "customer");
    if (bool(p.off_session) && !bool(p.confirm)) throw invalid("off_session can only be used when confirm=true.", { param: "off_session" });
    const id = store.newId("pi");
    const pi = store.put({
      id,
      object: "payment_intent",
      amount,
      amount_capturable: 0,
      amount_received: 0,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: str(p.capture_method) ?? "automatic",
      client_secret: `${id}_secret_${store.newId("x").slice(3)}`,
      confirmation_method: "automatic",
      created: store.now(),
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
    return afterCreate(pi, p, req, confirmPayment);
  });
  router.add("GET", "/v1/payment_intents", (_m, req) => listBy("payment_intent", req, ["customer"]));
  router.add("GET", "/v1/payment_intents/:id", ([id], req) => intentFor(req, id!, "payment_intent"), { publishable: true });
  router.add("POST", "/v1/payment_intents/:id/confirm", ([id], req) => confirmPayment(intentFor(req, id!, "payment_intent"), req.params, req.request), { publishable: true });
  router.add("POST", "/v1/payment_intents/:id/capture", ([id], req) => {
    const pi = store.get(id, "payment_intent");
    if (pi.status !== "requires_capture") {
      throw invalid(`This PaymentIntent could not be captured because it has a status of ${pi.status}.`, { code: "payment_intent_unexpected_state", payment_intent: pi });
    }
    const amount = req.params.amount_to_capture === undefined ? Number(pi.amount) : int(req.params.amount_to_capture, "amount_to_capture");
    if (amount > Number(pi.amount)) throw invalid("amount_to_capture must be at most the amount of the PaymentIntent.", { param: "amount_to_capture" });
    pi.status = "succeeded";
    pi.amount_received = amount;
    pi.amount_capturable = 0;
    const charge = store.objects.get(String(pi.latest_charge));
    if (charge) {
      Object.assign(charge, { captured: true, amount_captured: amount });
      store.emit("charge.captured", charge, req.request);
    }
    store.emit("payment_intent.succeeded", pi, req.request);
    return pi;
  });
  router.add("POST", "/v1/payment_intents/:id/cancel", ([id], req) => {
    const pi = store.get(id, "payment_intent");
    if (pi.status === "succeeded" || pi.status === "canceled") {
      throw invalid(`You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`, { code: "payment_intent_unexpected_state", payment_intent: pi });
    }
    pi.status = "canceled";
    pi.next_action = null;
    pi.cancellation_reason = str(req.params.cancellation_reason) ?? "requested_by_customer";
    pi.canceled_at = store.now();
    store.emit("payment_intent.canceled", pi, req.request);
    return pi;
  });

  // ---------- charges, refunds, disputes ----------

  router.add("GET", "/v1/charges", (_m, req) => listBy("charge", req, ["payment_intent", "customer"]));
  router.add("GET", "/v1/charges/:id", ([id]) => store.get(id, "charge"));

  router.add("POST", "/v1/refunds", (_m, req) => {
    const p = req.params;
    let charge: Obj;
    if (p.payment_intent !== undefined) {
      const pi = store.get(p.payment_intent, "payment_intent");
      if (pi.status !== "succeeded") throw invalid("This PaymentIntent does not have a successful charge to refund.", { code: "charge_not_refundable" });
      charge = store.get(pi.latest_charge, "charge");
    } else if (p.charge !== undefined) {
      charge = store.get(p.charge, "charge");
    } else {
      throw invalid("One of the following params should be provided for this request: payment_intent or charge.", { code: "parameter_missing" });
    }
    if (p.reason !== undefined && !["duplicate", "fraudulent", "requested_by_customer"].includes(String(p.reason))) {
      throw invalid(`Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer`, { param: "reason" });
    }
    const refundable = Number(charge.amount_captured) - Number(charge.amount_refunded);
    if (refundable <= 0) throw invalid(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
    const amount = p.amount === undefined ? refundable : int(p.amount, "amount");
    if (amount < 1 || amount > refundable) {
      throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable})`, { code: "amount_too_large", param: "amount" });
    }
    const before = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded = Number(charge.amount_refunded) + amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    const refund = store.put({
      id: store.newId("re"),
      object: "refund",
      amount,
      charge: charge.id,
      created: store.now(),
      currency: charge.currency,
      metadata: mergeMetadata({}, p.metadata),
      payment_intent: charge.payment_intent,
      reason: str(p.reason),
      status: "succeeded",
    });
    store.emit("refund.created", refund, req.request);
    store.emit("charge.refunded", charge, req.request, before);
    return refund;
  });
  router.add("GET", "/v1/refunds", (_m, req) => listBy("refund", req, ["charge", "payment_intent"]));
  router.add("GET", "/v1/refunds/:id", ([id]) => store.get(id, "refund"));
  router.add("GET", "/v1/disputes", (_m, req) => listBy("dispute", req, ["charge", "payment_intent"]));
  router.add("GET", "/v1/disputes/:id", ([id]) => store.get(id, "dispute"));

  // ---------- hooks for the 3-D Secure page and the control API ----------

  return {
    completeAction(intent: Obj, outcome: "succeed" | "fail"): Obj {
      const req: RequestInfo = { id: store.newId("req"), idempotency_key: null };
      const pm = store.get(intent.payment_method, "payment_method", "PaymentMethod");
      intent.next_action = null;
      if (outcome === "fail") {
        const isSetup = intent.object === "setup_intent";
        const code = isSetup ? "setup_intent_authentication_failure" : "payment_intent_authentication_failure";
        const error = {
          type: "invalid_request_error",
          code,
          message: "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
          doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`,
          payment_method: pm,
        };
        intent.status = "requires_payment_method";
        if (isSetup) {
          intent.last_setup_error = error;
          store.emit("setup_intent.setup_failed", intent, req);
        } else {
          intent.last_payment_error = error;
          store.emit("payment_intent.payment_failed", intent, req);
        }
        return intent;
      }
      return intent.object === "setup_intent" ? succeedSetup(intent, pm, req) : succeedPayment(intent, pm, req);
    },
    dispute(charge: Obj, reason: string): Obj {
      return createDispute(charge, reason, null);
    },
  };
}

export interface PaymentHooks {
  /** The payer's answer to a 3-D Secure challenge of an intent in requires_action. */
  completeAction(intent: Obj, outcome: "succeed" | "fail"): Obj;
  dispute(charge: Obj, reason: string): Obj;
}

function int(v: unknown, param: string): number {
  if (v === undefined) throw invalid(`Missing required param: ${param}.`, { code: "parameter_missing", param });
  if (!/^-?\d+$/.test(String(v))) throw invalid(`Invalid integer: ${String(v)}`, { code: "parameter_invalid_integer", param });
  return Number(v);
}
