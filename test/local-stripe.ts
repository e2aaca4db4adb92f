/**
 * Helpers for workerd tests that talk to the local Stripe and ADPAY sandbox (test/fakes/stripe, ADR 016a/016b):
 * the real stripe SDK pointed at it, its control API, and signed ADPAY calls. The server is shared by every
 * test file, so tests never reset it: they aim knobs at their own endpoint, sink, key or `match`.
 */
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { signRequest } from "./fakes/adpay/protocol";
import { LOCAL_ADPAY_CREDENTIALS, LOCAL_STRIPE_KEYS } from "./fakes/stripe/keys";

export { LOCAL_ADPAY_CREDENTIALS, LOCAL_STRIPE_KEYS };

export const localStripeUrl = (): string => `http://127.0.0.1:${env.STRIPE_API_PORT}`;

export function stripeClient(key: string = LOCAL_STRIPE_KEYS.secretKey): Stripe {
  return new Stripe(key, {
    httpClient: Stripe.createFetchHttpClient(),
    host: "127.0.0.1",
    port: Number(env.STRIPE_API_PORT),
    protocol: "http",
    maxNetworkRetries: 0,
  });
}

/** The publishable key's client: what Stripe.js may do (create PaymentMethods from card data, confirm intents). */
export const browserClient = (): Stripe => stripeClient(LOCAL_STRIPE_KEYS.publishableKey);

/** JSON call to /__control/… (POST when a body is given). */
export async function control<T = Record<string, unknown>>(path: string, body?: unknown, method?: string): Promise<T> {
  const res = await fetch(`${localStripeUrl()}${path}`, { method: method ?? (body === undefined ? "GET" : "POST"), body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface SinkRequest {
  at: string;
  headers: Record<string, string>;
  body: string;
  answered: number;
}

/** A recording receiver on the local Stripe (/__sink/<name>) and its URL. */
export function sink(prefix: string) {
  const name = `${prefix}-${crypto.randomUUID()}`;
  return {
    name,
    url: `${localStripeUrl()}/__sink/${name}`,
    received: () => control<SinkRequest[]>(`/__control/sinks/${name}`),
    failNext: (n: number, status = 500) => control(`/__control/sinks/${name}`, { failNext: n, status }),
  };
}

/** A signed ADPAY API request (protocol.ts); `creds` override the sandbox's own. */
export async function adpay(method: string, path: string, body?: unknown, creds: { merchantId: string; apiKey: string; secret: string } = LOCAL_ADPAY_CREDENTIALS, ts?: number): Promise<Response> {
  const text = body === undefined ? "" : JSON.stringify(body);
  const headers = await signRequest(creds, method, path, text, ts);
  return fetch(`${localStripeUrl()}${path}`, { method, headers: { ...headers, "content-type": "application/json" }, body: method === "GET" ? undefined : text });
}
