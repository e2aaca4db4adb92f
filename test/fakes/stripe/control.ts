/**
 * /__control/: the local Stripe's test knobs (not Stripe's API; no auth, loopback only). JSON in and out.
 *
 *   GET  /__control/config                    URLs, keys, webhook secret, ADPAY credentials
 *   POST /__control/reset                     forget objects, events, idempotency keys, requests, faults, deliveries
 *   GET|POST /__control/faults                {latencyMs, fail500, fail429, dropBeforeCommit, dropAfterCommit, match}
 *   GET|POST /__control/chaos                 {key, seed, p500, p429, pDropAfterCommit, maxLatencyMs, strip} seeded
 *                                             random faults for one API key ({key, off: true} ends them); GET ?key=
 *   GET|POST /__control/rate_limit            {perSecond, burst, key?} per API key (key: only that one); 0 = off;
 *                                             GET shows allowed/limited counts
 *   GET  /__control/requests                  request log (?api=stripe|adpay); card numbers as last 4 only
 *   POST /__control/clock                     {offsetMs}: shifts created/expiry checks (not signatures)
 *   POST /__control/script                    {payment_method, outcome}: what a stored card does from now on
 *   POST /__control/complete_action           {intent, outcome: succeed|fail}: answer 3-D Secure without a browser
 *   POST /__control/payment_methods/:id/automatically_update {exp_month, exp_year, last4?}: card updater
 *   POST /__control/disputes                  {charge | payment_intent, reason?}: charge.dispute.created
 *   GET|POST /__control/webhooks              delivery knobs (webhooks.ts DeliveryKnobs) and endpoints;
 *                                             with {endpoint: "we_…"} the knobs apply to that endpoint only
 *   POST /__control/webhooks/pause | resume | retry_now | drain {timeoutMs}   (each takes {endpoint} too)
 *   POST /__control/webhooks/endpoints        {url, secret?, enabled_events?} → endpoint with its secret
 *   DELETE /__control/webhooks/endpoints/:id
 *   GET  /__control/webhooks/deliveries       ?event=&status=&target=
 *   POST /__control/webhooks/resend           {event, endpoint?}: deliver an event again
 *   POST /__control/webhooks/sign             {event | payload, endpoint? | secret?, timestamp?} → {payload, header}
 *   …/__control/adpay/…                       the ADPAY sandbox's (adpay/sandbox.ts)
 *
 * Sinks, for tests that cannot listen (workerd): point an endpoint or an ADPAY callback_url at
 * http://127.0.0.1:<port>/__sink/<name>; every POST there is recorded with its headers and raw body.
 *   GET  /__control/sinks/<name>              what it received
 *   POST /__control/sinks/<name>              {failNext, status}: answer the next N with that status (default 500)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AdpaySandbox } from "../adpay/sandbox";
import type { PaymentHooks } from "./api-payments";
import { changed } from "./api-objects";
import { DECLINES, type CardBehaviour, type DeclineCode } from "./cards";
import type { Chaos, Faults, RateLimiter } from "./faults";
import type { Obj } from "./form";
import type { LogEntry } from "./index";
import { ApiError, type StripeStore } from "./store";
import { stripeSignature, type StripeWebhooks } from "./webhooks";

export interface ControlContext {
  store: StripeStore;
  webhooks: StripeWebhooks;
  faults: Faults;
  limiter: RateLimiter;
  chaos: Chaos;
  hooks: PaymentHooks;
  adpay: AdpaySandbox | null;
  requests: () => LogEntry[];
  config: () => unknown;
  reset: () => void;
}

type Result = { status: number; body: unknown };

const OUTCOMES: Record<string, CardBehaviour> = {
  succeed: { kind: "succeed" },
  authentication_required: { kind: "authenticate", always: true },
  authentication_required_unless_setup: { kind: "authenticate", always: false },
  dispute: { kind: "dispute" },
};

export function createControl(ctx: ControlContext) {
  const { store, webhooks } = ctx;
  const bad = (error: string): Result => ({ status: 400, body: { error } });
  const sinks = new Map<string, { received: { at: string; headers: Record<string, string>; body: string; answered: number }[]; failNext: number; status: number }>();
  const sinkOf = (name: string) => {
    let s = sinks.get(name);
    if (!s) sinks.set(name, (s = { received: [], failNext: 0, status: 500 }));
    return s;
  };

  async function route(method: string, url: URL, body: Record<string, unknown>): Promise<Result> {
    const path = url.pathname;
    const r = `${method} ${path}`;
    const query = Object.fromEntries(url.searchParams);

    if (r === "GET /__control/config") return { status: 200, body: ctx.config() };
    if (r === "POST /__control/reset") return ctx.reset(), sinks.clear(), { status: 200, body: { reset: true } };
    const sink = /^\/__control\/sinks\/([\w-]+)$/.exec(path);
    if (sink && method === "GET") return { status: 200, body: sinkOf(sink[1]!).received };
    if (sink && method === "POST") {
      const s = sinkOf(sink[1]!);
      s.failNext = Math.max(0, Number(body.failNext) || 0);
      s.status = Number(body.status) || 500;
      return { status: 200, body: { failNext: s.failNext, status: s.status } };
    }
    if (r === "GET /__control/faults") return { status: 200, body: ctx.faults.config };
    if (r === "POST /__control/faults") return { status: 200, body: ctx.faults.set(body) };
    if (r === "GET /__control/chaos") return { status: 200, body: ctx.chaos.state(String(query.key ?? "")) };
    if (r === "POST /__control/chaos") {
      try {
        return { status: 200, body: ctx.chaos.set(body) };
      } catch (err) {
        return bad((err as Error).message);
      }
    }
    if (r === "GET /__control/rate_limit") return { status: 200, body: ctx.limiter.state() };
    if (r === "POST /__control/rate_limit") return { status: 200, body: ctx.limiter.set(body) };
    if (r === "GET /__control/requests") return { status: 200, body: ctx.requests().filter((e) => !query.api || e.api === query.api) };
    if (r === "POST /__control/clock") {
      const offset = Number(body.offsetMs);
      if (!Number.isFinite(offset)) return bad("offsetMs must be a number of milliseconds");
      store.clockOffsetMs = offset;
      return { status: 200, body: { offsetMs: offset, now: new Date(store.nowMs()).toISOString() } };
    }

    if (r === "POST /__control/script") {
      const state = store.cards.get(String(body.payment_method));
      const outcome = String(body.outcome);
      const behaviour: CardBehaviour | undefined = OUTCOMES[outcome] ?? (outcome in DECLINES ? { kind: "decline", decline: outcome as DeclineCode, atSetup: false } : undefined);
      if (!state || !behaviour) {
        return bad(`need a stored payment_method (pm_… id, not a token) and outcome in ${[...Object.keys(OUTCOMES), ...Object.keys(DECLINES)].join("|")}`);
      }
      state.behaviour = behaviour;
      return { status: 200, body: { payment_method: body.payment_method, outcome } };
    }
    if (r === "POST /__control/complete_action") {
      const intent = store.objects.get(String(body.intent));
      if (!intent || intent.status !== "requires_action") return bad("intent not found or not in requires_action");
      for (const [id, c] of store.challenges) if (c.intent === intent.id) store.challenges.delete(id);
      try {
        return { status: 200, body: ctx.hooks.completeAction(intent, body.outcome === "fail" ? "fail" : "succeed") };
      } catch (err) {
        if (err instanceof ApiError) return { status: err.status, body: { error: err.body } };
        throw err;
      }
    }
    const updater = /^\/__control\/payment_methods\/([\w]+)\/automatically_update$/.exec(path);
    if (method === "POST" && updater) {
      const pm = store.objects.get(updater[1]!);
      if (!pm || pm.object !== "payment_method") return bad("no such payment_method");
      const before = structuredClone(pm);
      const card = pm.card as Record<string, unknown>;
      const month = Number(body.exp_month ?? card.exp_month);
      const year = Number(body.exp_year ?? Number(card.exp_year) + 3);
      if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(year)) return bad("exp_month 1–12 and exp_year YYYY");
      Object.assign(card, { exp_month: month, exp_year: year });
      if (typeof body.last4 === "string" && /^\d{4}$/.test(body.last4)) card.last4 = body.last4;
      const event = store.emit("payment_method.automatically_updated", pm, null, changed(before, pm));
      return { status: 200, body: { payment_method: pm, event: event.id } };
    }
    if (r === "POST /__control/disputes") {
      let charge: Obj | undefined;
      if (typeof body.charge === "string") charge = store.objects.get(body.charge);
      else if (typeof body.payment_intent === "string") charge = store.objects.get(String(store.objects.get(body.payment_intent)?.latest_charge));
      if (!charge || charge.object !== "charge" || charge.status !== "succeeded") return bad("need a succeeded charge (charge or payment_intent)");
      return { status: 200, body: ctx.hooks.dispute(charge, typeof body.reason === "string" ? body.reason : "fraudulent") };
    }

    // ----- webhooks -----
    const d = webhooks.deliverer;
    if (r === "GET /__control/webhooks") {
      return { status: 200, body: { knobs: d.knobs, endpoints: webhooks.endpoints().map((e) => ({ ...e, secret: webhooks.secretOf(e.id) })) } };
    }
    // Knobs for everybody, or ({ endpoint: "we_…" }) for one endpoint only: tests sharing the server use their own.
    const endpoint = typeof body.endpoint === "string" ? body.endpoint : undefined;
    const { endpoint: _e, timeoutMs: _t, ...knobs } = body;
    if (endpoint && !webhooks.endpoint(endpoint)) return bad(`no webhook endpoint ${endpoint}`);
    if (r === "POST /__control/webhooks") {
      try {
        return { status: 200, body: d.configure(knobs, endpoint) };
      } catch (err) {
        return bad((err as Error).message);
      }
    }
    if (r === "POST /__control/webhooks/pause") return { status: 200, body: d.configure({ paused: true }, endpoint) };
    if (r === "POST /__control/webhooks/resume") return { status: 200, body: d.configure({ paused: false }, endpoint) };
    if (r === "POST /__control/webhooks/retry_now") return { status: 200, body: { retried: d.retryNow(endpoint) } };
    if (r === "POST /__control/webhooks/drain") {
      const idle = await d.drain(Number(body.timeoutMs) || 5_000, endpoint);
      const all = d.deliveries({ target: endpoint });
      const count = (s: string) => all.filter((x) => x.status === s).length;
      return { status: 200, body: { idle, succeeded: count("succeeded"), failed: count("failed"), pending: count("pending") + count("delivering"), dropped: count("dropped") } };
    }
    if (r === "POST /__control/webhooks/endpoints") {
      if (typeof body.url !== "string" || !/^https?:\/\//.test(body.url)) return bad("url: an http(s) URL");
      const events = Array.isArray(body.enabled_events) ? body.enabled_events.map(String) : ["*"];
      return { status: 200, body: webhooks.createEndpoint({ url: body.url, enabledEvents: events, description: null, metadata: {}, secret: typeof body.secret === "string" ? body.secret : undefined }) };
    }
    const endpointDelete = /^\/__control\/webhooks\/endpoints\/([\w]+)$/.exec(path);
    if (method === "DELETE" && endpointDelete) return webhooks.deleteEndpoint(endpointDelete[1]!) ? { status: 200, body: { deleted: true } } : bad("no such endpoint");
    if (r === "GET /__control/webhooks/deliveries") return { status: 200, body: d.deliveries(query) };
    if (r === "POST /__control/webhooks/resend") {
      const event = store.events.find((e) => e.id === body.event);
      if (!event) return bad("no such event");
      return { status: 200, body: { endpoints: webhooks.send(event, typeof body.endpoint === "string" ? body.endpoint : undefined) } };
    }
    if (r === "POST /__control/webhooks/sign") {
      const payload = typeof body.payload === "string" ? body.payload : JSON.stringify(store.events.find((e) => e.id === body.event) ?? null, null, 2);
      if (payload === "null") return bad("need event (an evt_… id) or payload (a string)");
      const secret = typeof body.secret === "string" ? body.secret : webhooks.secretOf(String(body.endpoint ?? webhooks.endpoints()[0]?.id ?? ""));
      if (!secret) return bad("need secret, or an endpoint to take it from");
      const t = Number.isInteger(body.timestamp) ? Number(body.timestamp) : Math.floor(Date.now() / 1000);
      return { status: 200, body: { payload, header: stripeSignature(secret, payload, t) } };
    }

    if (path.startsWith("/__control/adpay") && ctx.adpay) {
      const out = await ctx.adpay.control(method, path, method === "GET" ? query : body);
      if (out) return out;
    }
    return { status: 404, body: { error: `no control route ${r}` } };
  }

  return {
    /** POST /__sink/<name>: records the request; answers 200, or the configured failure for the next N. */
    sink(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): void {
      const name = /^\/__sink\/([\w-]+)$/.exec(url.pathname)?.[1];
      if (!name || req.method !== "POST") return reply(res, bad("POST /__sink/<name>"));
      const s = sinkOf(name);
      const status = s.failNext > 0 ? (s.failNext--, s.status) : 200;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      s.received.push({ at: new Date().toISOString(), headers, body: rawBody, answered: status });
      reply(res, { status, body: { received: status === 200 } });
    },
    async handle(method: string, url: URL, rawBody: string, res: ServerResponse): Promise<void> {
      let body: Record<string, unknown> = {};
      try {
        body = rawBody.trim() ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
      } catch {
        return reply(res, bad("the body must be JSON"));
      }
      reply(res, await route(method, url, body));
    },
  };
}

function reply(res: ServerResponse, r: Result): void {
  res.writeHead(r.status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(r.body, null, 2));
}
