/**
 * State of the local Stripe: stored objects, the hidden per-card behaviour, events, 3-D Secure challenges.
 * The API handlers (api-*.ts) work on one `StripeStore`; the HTTP layer (index.ts) owns auth, idempotency,
 * faults and the request log.
 *
 * Card data: a PaymentMethod keeps what Stripe shows (brand, last4, expiry, an HMAC fingerprint) plus the test
 * card's behaviour. The number and the CVC are never stored: they live only in the request being handled.
 */
import { createHmac, randomBytes } from "node:crypto";
import { DECLINES, type CardBehaviour, type DeclineCode } from "./cards";
import type { Obj, Params } from "./form";

/** Stripe's API version of the pinned SDK (stripe 23.1.0), stamped on events. */
export const API_VERSION = "2026-10-28.endive";

/** A Stripe-shaped error; `stored` says whether an idempotent replay returns it again (Stripe stores results once the endpoint ran). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly stored = false,
  ) {
    super(String(body.message));
  }
}

export const invalid = (message: string, extra: Record<string, unknown> = {}, status = 400) =>
  new ApiError(status, { type: "invalid_request_error", message, ...extra });

export function cardError(decline: DeclineCode, extra: Record<string, unknown> = {}): ApiError {
  const d = DECLINES[decline];
  const body: Record<string, unknown> = { type: "card_error", code: d.code, decline_code: decline, message: d.message, ...extra };
  if (d.advice) body.advice_code = d.advice;
  body.doc_url = `https://stripe.com/docs/error-codes/${d.code.replace(/_/g, "-")}`;
  return new ApiError(402, body, true);
}

export interface CardState {
  behaviour: CardBehaviour;
  /** Set up for future use (SetupIntent succeeded, or setup_future_usage on a payment). */
  setUp: boolean;
}

export interface RequestInfo {
  id: string;
  idempotency_key: string | null;
}

export type AuthKind = "secret" | "restricted" | "publishable" | "internal";

export interface ApiRequest {
  method: string;
  path: string;
  params: Params;
  auth: AuthKind;
  request: RequestInfo;
}

export interface Challenge {
  id: string;
  intent: string;
  /** Where a redirect-based confirmation (return_url) sends the payer afterwards. */
  returnUrl: string | null;
}

export interface StoreOptions {
  /** Key of the card fingerprint HMAC; stable across restarts so a card keeps its fingerprint. */
  fingerprintKey: string;
  /** Origin of this server as browsers see it (3-D Secure challenge URLs). */
  publicUrl: () => string;
  onEvent: (event: Obj) => number;
}

export class StripeStore {
  objects = new Map<string, Obj>();
  cards = new Map<string, CardState>();
  events: Obj[] = [];
  challenges = new Map<string, Challenge>();
  /** Added to Date.now() for objects' timestamps and expiry checks (TEST_NOW runs; never for signatures). */
  clockOffsetMs = 0;

  constructor(readonly options: StoreOptions) {}

  reset(): void {
    this.objects = new Map();
    this.cards = new Map();
    this.events = [];
    this.challenges = new Map();
  }

  nowMs = (): number => Date.now() + this.clockOffsetMs;
  now = (): number => Math.floor(this.nowMs() / 1000);

  newId(prefix: string): string {
    return `${prefix}_1${randomBytes(18).toString("base64url").replace(/[-_]/g, "").slice(0, 23)}`;
  }

  put(o: Obj): Obj {
    this.objects.set(o.id, o);
    return o;
  }

  get(id: unknown, object: string, label = object): Obj {
    const o = typeof id === "string" ? this.objects.get(id) : undefined;
    if (!o || o.object !== object) throw invalid(`No such ${label}: '${String(id)}'`, { code: "resource_missing", param: "id" }, 404);
    return o;
  }

  list(object: string, filter: (o: Obj) => boolean = () => true): Obj[] {
    return [...this.objects.values()].filter((o) => o.object === object && filter(o)).sort((a, b) => Number(b.created) - Number(a.created));
  }

  fingerprint(digits: string): string {
    return createHmac("sha256", this.options.fingerprintKey).update(digits).digest("base64url").replace(/[-_]/g, "").slice(0, 16);
  }

  emit(type: string, object: Obj, request: RequestInfo | null, previous?: Record<string, unknown>): Obj {
    const event: Obj = {
      id: this.newId("evt"),
      object: "event",
      api_version: API_VERSION,
      created: this.now(),
      data: previous ? { object: structuredClone(object), previous_attributes: previous } : { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 0,
      request: request ?? { id: null, idempotency_key: null },
      type,
    };
    this.events.unshift(event);
    event.pending_webhooks = this.options.onEvent(event);
    return event;
  }

  /** Opens a 3-D Secure challenge for an intent in requires_action; the intent's next_action points at it. */
  openChallenge(intent: Obj, returnUrl: string | null): Record<string, unknown> {
    const id = this.newId("src");
    this.challenges.set(id, { id, intent: intent.id, returnUrl });
    const url = `${this.options.publicUrl()}/__3ds/challenge/${id}`;
    if (returnUrl) return { type: "redirect_to_url", redirect_to_url: { url, return_url: returnUrl } };
    return { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: url, source: id } };
  }
}
