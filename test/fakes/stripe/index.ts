/**
 * The local Stripe: a Stripe-compatible server that `npm start` runs on 127.0.0.1:12111 and the tests run on
 * port 0 (ADR 016a). One HTTP server holds
 *
 *   /v1/…            Stripe's API subset (api-objects.ts, api-payments.ts) for stripe-node and Stripe.js
 *   /v3/             a Stripe.js-compatible script, its card-field frames (browser/), /__3ds/ challenges
 *   /adpay/…         the ADPAY sandbox (../adpay, ADR 016b)
 *   /__demo/…        demo merchant pages (demo.ts)
 *   /__control/…     test knobs (control.ts): faults, rate limit, webhooks, clock, scripted cards
 *   /__sink/<name>   a webhook receiver that records what it gets (for tests that cannot listen themselves)
 *
 * Point stripe-node at it with
 *   new Stripe(LOCAL_STRIPE_KEYS.secretKey, { httpClient: Stripe.createFetchHttpClient(), host: "127.0.0.1",
 *                                            port, protocol: "http", maxNetworkRetries: 0 })
 * and a page at `<script src="http://localhost:<port>/v3/">`.
 *
 * API keys: only the configured test keys work; unknown keys get Stripe's 401, live keys a 401 saying this
 * server is test mode only; the publishable key reaches only what Stripe.js calls; the restricted key is
 * read-only. Idempotency-Key: per API key; the same key and parameters replay the stored answer
 * (`Idempotent-Replayed: true`), other parameters → 400 idempotency_error, a concurrent duplicate → 409.
 * Card numbers and CVCs are never logged or kept: the request log shows the last 4 only.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdpaySandbox, type AdpaySandbox } from "../adpay/sandbox";
import { publicView, registerObjects } from "./api-objects";
import { registerPayments } from "./api-payments";
import { createControl } from "./control";
import { createDemo } from "./demo";
import { Chaos, Faults, RateLimiter } from "./faults";
import { canonical, parseForm, type Params } from "./form";
import { LOCAL_ADPAY_CREDENTIALS, LOCAL_STRIPE_KEYS } from "./keys";
import { browserScript, challengePage, esc, FRAME_CSP, framePage, sendHtml, sendScript } from "./pages";
import { Router } from "./router";
import { ApiError, StripeStore, type AuthKind } from "./store";
import { StripeWebhooks, type DeliveryKnobs } from "./webhooks";

export { parseForm } from "./form";
export { LOCAL_ADPAY_CREDENTIALS, LOCAL_STRIPE_DEFAULT_PORT, LOCAL_STRIPE_KEYS } from "./keys";

export interface LocalStripeOptions {
  /** Listening port; 0 (default) picks a free one. */
  port?: number;
  /** Listening address (default 127.0.0.1). */
  host?: string;
  /** Host name browsers use for Stripe.js, frames and hosted pages (default "localhost"). */
  publicHost?: string;
  secretKeys?: string[];
  publishableKeys?: string[];
  /** Read-only keys (GET only), like a restricted key with read rights. */
  restrictedKeys?: string[];
  /** A webhook endpoint created at start (and again after /__control/reset). */
  webhook?: { url: string; secret?: string; events?: string[] } | null;
  /** Delivery knobs of Stripe webhooks and ADPAY callbacks (webhooks.ts); tests shorten the backoff. */
  delivery?: Partial<DeliveryKnobs>;
  /** Key of the card fingerprint HMAC (fingerprints are stable per number for one key). */
  fingerprintKey?: string;
  /** Shifts the clock objects are stamped with and card expiry is checked against (TEST_NOW runs). */
  clockOffsetMs?: number;
  /** The ADPAY sandbox's credentials; false switches it off. */
  adpay?: { merchantId: string; apiKey: string; secret: string; name: string } | false;
}

export interface LocalStripe {
  port: number;
  /** http://127.0.0.1:<port>: for servers (stripe-node host 127.0.0.1, ADPAY base URL). */
  url: string;
  /** http://<publicHost>:<port>: for browsers. */
  publicUrl: string;
  stripeJsUrl: string;
  keys: { secretKey: string; publishableKey: string; restrictedKey: string | null };
  /** The endpoint configured by `options.webhook`, with its signing secret. */
  webhook: { id: string; url: string; secret: string } | null;
  /** `baseUrl` is what ADPAY_API_URL is set to: the API root, under which the adapter calls /v1/… (ADR 016b). */
  adpay: { baseUrl: string; merchantId: string; apiKey: string; secret: string } | null;
  close(): Promise<void>;
}

export interface LogEntry {
  at: string;
  api: "stripe" | "adpay";
  method: string;
  path: string;
  status: number | string;
  [k: string]: unknown;
}

const MAX_LOG = 5_000;
const MAX_BODY = 1 << 20;

/** Request-log copy of parameters: card numbers shown as their last 4, CVCs never. */
function redact(params: Params): Params {
  const out = structuredClone(params);
  const card = out.card as Record<string, unknown> | undefined;
  if (card && typeof card === "object") {
    if (typeof card.number === "string") card.number = `…${card.number.replace(/\D/g, "").slice(-4)}`;
    if (card.cvc !== undefined) card.cvc = "***";
  }
  delete out.key;
  return out;
}

function maskKey(key: string): string {
  const prefix = /^[a-z]+_(test|live)_/.exec(key)?.[0] ?? key.slice(0, 3);
  return `${prefix}${"*".repeat(Math.max(4, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

export async function startLocalStripe(options: LocalStripeOptions = {}): Promise<LocalStripe> {
  const secretKeys = options.secretKeys ?? [LOCAL_STRIPE_KEYS.secretKey];
  const publishableKeys = options.publishableKeys ?? [LOCAL_STRIPE_KEYS.publishableKey];
  const restrictedKeys = options.restrictedKeys ?? [LOCAL_STRIPE_KEYS.restrictedKey];
  const publicHost = options.publicHost ?? "localhost";
  let port = 0;
  const publicUrl = () => `http://${publicHost}:${port}`;

  const webhooks = new StripeWebhooks(options.delivery);
  const store = new StripeStore({
    fingerprintKey: options.fingerprintKey ?? "local-stripe-fingerprint-v1",
    publicUrl,
    onEvent: (event) => webhooks.send(event),
  });
  store.clockOffsetMs = options.clockOffsetMs ?? 0;
  const router = new Router();
  registerObjects(router, store, webhooks);
  const hooks = registerPayments(router, store);

  const faults = new Faults();
  const limiter = new RateLimiter();
  const chaos = new Chaos();
  let idem = new Map<string, { fingerprint: string; status: number; body: unknown } | "in-progress">();
  let requests: LogEntry[] = [];
  const log = (entry: LogEntry): LogEntry => {
    requests.push(entry);
    if (requests.length > MAX_LOG) requests.splice(0, requests.length - MAX_LOG);
    return entry;
  };

  let startupEndpoint: LocalStripe["webhook"] = null;
  const createStartupEndpoint = () => {
    if (!options.webhook) return;
    const e = webhooks.createEndpoint({ url: options.webhook.url, enabledEvents: options.webhook.events ?? ["*"], description: "configured at start-up", metadata: {}, secret: options.webhook.secret ?? LOCAL_STRIPE_KEYS.webhookSecret });
    startupEndpoint = { id: e.id, url: e.url, secret: e.secret };
  };
  createStartupEndpoint();

  const adpay: AdpaySandbox | null =
    options.adpay === false
      ? null
      : createAdpaySandbox(
          {
            faults,
            publicUrl,
            delivery: options.delivery,
            record: (entry) => {
              const e = log({ at: new Date().toISOString(), api: "adpay", method: String(entry.method), path: String(entry.path), status: 0, ...entry });
              return (status) => void (e.status = status);
            },
          },
          options.adpay ?? LOCAL_ADPAY_CREDENTIALS,
        );

  /** Runs a /v1 handler without HTTP, auth or faults (the demo merchant's backend). */
  function internal(method: string, path: string, params: Params): { status: number; body: unknown } {
    const found = router.find(method, path);
    if (!found) return { status: 404, body: { error: { message: `no route ${method} ${path}` } } };
    try {
      const body = found.route.handler(found.args, { method, path, params, auth: "internal", request: { id: `req_${randomBytes(8).toString("hex")}`, idempotency_key: null } });
      return { status: 200, body: structuredClone(body) };
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status, body: structuredClone({ error: err.body }) };
      throw err;
    }
  }

  const demo = createDemo({ get port() { return port; }, publishableKey: publishableKeys[0]!, internal, adpay });

  const control = createControl({
    store,
    webhooks,
    faults,
    limiter,
    chaos,
    hooks,
    adpay,
    requests: () => requests,
    config: () => ({
      publicUrl: publicUrl(),
      apiUrl: `http://127.0.0.1:${port}`,
      stripeJsUrl: `${publicUrl()}/v3/`,
      keys: { secretKeys, publishableKeys, restrictedKeys, webhookSecret: startupEndpoint?.secret ?? null },
      clockOffsetMs: store.clockOffsetMs,
      adpay: adpay ? { baseUrl: `http://127.0.0.1:${port}/adpay`, ...adpay.credentials } : null,
    }),
    reset: () => {
      store.reset();
      store.clockOffsetMs = options.clockOffsetMs ?? 0;
      idem = new Map();
      requests = [];
      faults.set({});
      limiter.set({});
      chaos.clear();
      webhooks.reset();
      createStartupEndpoint();
      adpay?.reset();
      demo.reset();
    },
  });

  // ---------- /v1 ----------

  const CORS = {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "request-id, idempotency-key, idempotent-replayed, stripe-version",
  };

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<void> {
    const method = req.method ?? "GET";
    const params = method === "GET" || method === "DELETE" ? parseForm(url.search.slice(1)) : { ...parseForm(url.search.slice(1)), ...parseForm(rawBody) };
    const bearer = /^Bearer (.+)$/.exec(header(req, "authorization") ?? "")?.[1];
    const basic = /^Basic (.+)$/.exec(header(req, "authorization") ?? "")?.[1];
    const key = bearer ?? (basic ? Buffer.from(basic, "base64").toString("utf8").replace(/:$/, "") : undefined) ?? (typeof params.key === "string" ? params.key : "");
    delete params.key;
    const idemKey = header(req, "idempotency-key");
    const requestId = `req_${randomBytes(8).toString("hex")}`;
    const entry = log({
      at: new Date().toISOString(),
      api: "stripe",
      method,
      path: url.pathname,
      params: redact(params),
      idempotencyKey: idemKey,
      stripeVersion: header(req, "stripe-version"),
      // Which origin sent it (browsers): a card's POST /v1/payment_methods comes from the card frame, not the page.
      origin: header(req, "origin"),
      requestId,
      auth: null,
      status: 0,
    });
    const reply = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      entry.status = status;
      send(res, status, body, { ...CORS, "request-id": requestId, ...(idemKey ? { "idempotency-key": idemKey } : {}), ...extra });
    };
    const fail = (status: number, error: Record<string, unknown>) => reply(status, { error: { ...error, request_log_url: `${publicUrl()}/__control/requests#${requestId}` } });

    let auth: AuthKind;
    if (!key) {
      return fail(401, { type: "invalid_request_error", message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details." });
    } else if (/^(sk|rk|pk)_live_/.test(key)) {
      return fail(401, { type: "invalid_request_error", message: `Invalid API Key provided: ${maskKey(key)}. This local Stripe runs in test mode only: use one of its test keys (printed by npm start; GET /__control/config).` });
    } else if (secretKeys.includes(key)) auth = "secret";
    else if (restrictedKeys.includes(key)) auth = "restricted";
    else if (publishableKeys.includes(key)) auth = "publishable";
    else return fail(401, { type: "invalid_request_error", message: `Invalid API Key provided: ${maskKey(key)}` });
    entry.auth = auth;

    const found = router.find(method, url.pathname);
    if (!found) return fail(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` });
    if (auth === "publishable" && !found.route.publishable) {
      return fail(401, { type: "invalid_request_error", message: "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys." });
    }
    if (auth === "restricted" && method !== "GET") {
      return fail(403, { type: "invalid_request_error", code: "secret_key_required", message: `The provided key '${maskKey(key)}' does not have the required permissions for this endpoint. Having write permission would allow this request to continue.` });
    }
    if (!limiter.allow(key)) {
      entry.rateLimited = true;
      return fail(429, { type: "invalid_request_error", code: "rate_limit", message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits." });
    }

    // Seeded faults of this key (faults.ts Chaos): like Stripe's own, a 429 or a 500 can meet any request,
    // a replay of a stored key included; an answer can be lost on the way back, a replayed one too.
    const chaotic = chaos.decide(key, idemKey, method, url.pathname);
    if (chaotic.latencyMs > 0) await new Promise((r) => setTimeout(r, chaotic.latencyMs));
    if (chaotic.fault === "fail500") return fail(500, { type: "api_error", message: "An unknown error occurred (injected by the local Stripe)." });
    if (chaotic.fault === "fail429") return fail(429, { type: "invalid_request_error", code: "rate_limit", message: "Request rate limit exceeded (injected by the local Stripe)." });
    const dropAnswer = () => {
      entry.status = "dropped after commit";
      req.socket.destroy();
    };

    const signature = `${method} ${url.pathname} ${canonicalForMatch(redact(params))}`;
    // Idempotency applies to POSTs and is scoped per API key, like Stripe's. Only a hash of the parameters is kept.
    const scope = method === "POST" && idemKey ? `${key}\n${idemKey}` : null;
    const fingerprint = createHash("sha256").update(`${method} ${url.pathname}\n${canonical(params)}`).digest("hex");
    if (scope) {
      const prior = idem.get(scope);
      if (prior === "in-progress") {
        return fail(409, { type: "idempotency_error", code: "idempotency_key_in_use", message: `There is currently another in-progress request using this Idempotency-Key: ${idemKey}. Please try again later.` });
      }
      if (prior && prior.fingerprint !== fingerprint) {
        return fail(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`,
        });
      }
      if (prior) {
        entry.replayed = true;
        if (chaotic.fault === "dropAfterCommit") return dropAnswer();
        return reply(prior.status, prior.body, { "idempotent-replayed": "true" });
      }
      idem.set(scope, "in-progress");
    }

    try {
      // Latency counts as processing time, so a second request with the same key meanwhile gets the 409.
      await faults.delay(signature);
      if (faults.take("dropBeforeCommit", signature)) {
        entry.status = "dropped before commit";
        req.socket.destroy();
        return;
      }
      // Injected 500/429 happen before the endpoint runs, so (as on Stripe) nothing is stored for replay.
      if (faults.take("fail500", signature)) return fail(500, { type: "api_error", message: "An unknown error occurred (injected by the local Stripe)." });
      if (faults.take("fail429", signature)) {
        return fail(429, { type: "invalid_request_error", code: "rate_limit", message: "Request rate limit exceeded (injected by the local Stripe). Learn more about rate limits here https://stripe.com/docs/rate-limits." });
      }

      let status = 200;
      let body: unknown;
      let store_ = true;
      try {
        const result = found.route.handler(found.args, { method, path: url.pathname, params, auth, request: { id: requestId, idempotency_key: idemKey } });
        body = structuredClone(expand(result, params));
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        status = err.status;
        // Cloned: the error embeds live objects (payment_intent, …) that later requests mutate.
        body = structuredClone({ error: { ...err.body, request_log_url: `${publicUrl()}/__control/requests#${requestId}` } });
        store_ = err.stored;
      }
      if (auth === "publishable") body = publicView(body);
      if (scope && store_) idem.set(scope, { fingerprint, status, body });
      if (faults.take("dropAfterCommit", signature) || chaotic.fault === "dropAfterCommit") {
        // The work is done and stored, but the client never hears back: the case idempotency keys exist for.
        return dropAnswer();
      }
      reply(status, body);
    } finally {
      if (scope && idem.get(scope) === "in-progress") idem.delete(scope);
    }
  }

  /** `expand[]=latest_charge` etc: top-level fields holding the id of a stored object are replaced by it. */
  function expand(body: unknown, p: Params): unknown {
    if (!Array.isArray(p.expand) || !body || typeof body !== "object") return body;
    const out = { ...(body as Record<string, unknown>) };
    for (const field of p.expand) {
      const v = out[String(field)];
      if (typeof v === "string" && store.objects.has(v)) out[String(field)] = store.objects.get(v);
    }
    return out;
  }

  // ---------- 3-D Secure challenge pages ----------

  async function threeDs(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<void> {
    if (url.pathname === "/__3ds/challenge.js") return sendScript(res, browserScript("challenge.js"));
    const id = /^\/__3ds\/challenge\/([\w]+)$/.exec(url.pathname)?.[1] ?? "";
    const challenge = store.challenges.get(id);
    const intent = challenge ? store.objects.get(challenge.intent) : undefined;
    const open = !!intent && intent.status === "requires_action";
    if (req.method === "GET") {
      const what = intent?.object === "payment_intent" ? `A payment of ${Number(intent.amount) / 100} ${String(intent.currency).toUpperCase()} needs your confirmation.` : "Saving your card for later payments needs your confirmation.";
      return sendHtml(res, open ? 200 : 404, challengePage(id, open, what), FRAME_CSP);
    }
    if (req.method !== "POST") return send(res, 405, { error: "GET or POST" });
    if (!open || !challenge || !intent) return send(res, 409, { error: "This authentication has already been answered or does not exist." });
    const outcome = (JSON.parse(rawBody || "{}") as { outcome?: string }).outcome === "succeed" ? "succeed" : "fail";
    store.challenges.delete(id);
    let after;
    try {
      after = hooks.completeAction(intent, outcome);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      after = intent; // e.g. a decline when attaching after authentication: the intent records it
    }
    let returnUrl: string | null = null;
    if (challenge.returnUrl) {
      const r = new URL(challenge.returnUrl);
      const kind = intent.object === "setup_intent" ? "setup_intent" : "payment_intent";
      r.searchParams.set(kind, intent.id);
      r.searchParams.set(`${kind}_client_secret`, String(intent.client_secret));
      r.searchParams.set("redirect_status", after.status === "succeeded" || after.status === "requires_capture" ? "succeeded" : "failed");
      returnUrl = r.toString();
    }
    send(res, 200, { status: after.status, return_url: returnUrl });
  }

  // ---------- dispatch ----------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local-stripe");
    const rawBody = await readBody(req);
    const path = url.pathname;
    if (req.method === "OPTIONS" && (path.startsWith("/v1/") || path === "/v3/")) {
      res.writeHead(204, { ...CORS, "access-control-allow-methods": "GET, POST, DELETE", "access-control-allow-headers": "authorization, content-type, idempotency-key, stripe-version, stripe-account", "access-control-max-age": "600" });
      return void res.end();
    }
    if (path.startsWith("/v1/")) return api(req, res, url, rawBody);
    if (path === "/v3" || path === "/v3/" || path === "/v3/stripe.js") return sendScript(res, browserScript("stripe-v3.js"));
    if (path === "/v3/elements/frame.html") return sendHtml(res, 200, framePage(), FRAME_CSP);
    if (path === "/v3/elements/frame.js") return sendScript(res, browserScript("frame.js"));
    if (path.startsWith("/__3ds/")) return threeDs(req, res, url, rawBody);
    if (path.startsWith("/__control/")) return control.handle(req.method ?? "GET", url, rawBody, res);
    if (path.startsWith("/__sink/")) return control.sink(req, res, url, rawBody);
    if (path === "/favicon.ico") return void res.writeHead(204).end();
    if (path.startsWith("/__demo/") && (await demo.handle(req, res, url, rawBody))) return;
    if (adpay?.isApi(path)) return adpay.api(req, res, url, rawBody);
    if (adpay?.isPage(path)) return adpay.page(req, res, url, rawBody);
    if (path === "/") {
      return sendHtml(res, 200, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local Stripe</title></head><body style="font:15px/1.6 system-ui,sans-serif;max-width:640px;margin:32px auto">
<h1>Local Stripe (test mode)</h1><ul>
<li>API: <code>${esc(`http://127.0.0.1:${port}/v1`)}</code> · Stripe.js: <code>${esc(publicUrl())}/v3/</code></li>
<li>Demo: <a href="http://127.0.0.1:${port}/__demo/setup">Add a Card</a> · <a href="http://127.0.0.1:${port}/__demo/payment">Pay</a> · <a href="http://127.0.0.1:${port}/__demo/adpay">ADPAY</a></li>
<li>Knobs and state: <a href="/__control/config">/__control/config</a>, <a href="/__control/requests">requests</a>, <a href="/__control/webhooks/deliveries">webhook deliveries</a></li></ul></body></html>`, "default-src 'none'; style-src 'unsafe-inline'");
    }
    send(res, 404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${path}).` } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Never echo request data here: a card number could be in it.
      if (!res.headersSent) send(res, 500, { error: { type: "api_error", message: `local Stripe bug: ${(err as Error).name}: ${(err as Error).message}`.slice(0, 300) } });
      else res.destroy();
    });
  });

  port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    publicUrl: publicUrl(),
    stripeJsUrl: `${publicUrl()}/v3/`,
    keys: { secretKey: secretKeys[0]!, publishableKey: publishableKeys[0]!, restrictedKey: restrictedKeys[0] ?? null },
    get webhook() {
      return startupEndpoint;
    },
    adpay: adpay ? { baseUrl: `http://127.0.0.1:${port}/adpay`, merchantId: adpay.credentials.merchantId, apiKey: adpay.credentials.apiKey, secret: adpay.credentials.secret } : null,
    close: () =>
      new Promise<void>((resolve) => {
        webhooks.deliverer.close();
        adpay?.close();
        server.closeAllConnections(); // keep-alive sockets from the SDK would otherwise hold close() open
        server.close(() => resolve());
      }),
  };

  function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          reject(new Error("request body too large"));
          req.destroy();
        } else chunks.push(c);
      });
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });
  }
}

/** The pre-idempotency name, kept for the tests that start it. */
export const startFakeStripe = startLocalStripe;
export type FakeStripe = LocalStripe;

/** Decoded, redacted params as text, for fault `match` strings (e.g. "metadata[test]=t42"). */
function canonicalForMatch(params: Params, prefix = ""): string {
  return Object.entries(params)
    .map(([k, v]) => {
      const key = prefix ? `${prefix}[${k}]` : k;
      return v && typeof v === "object" ? canonicalForMatch(v as Params, key) : `${key}=${String(v)}`;
    })
    .join("&");
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === "string" ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
