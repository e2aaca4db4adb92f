/**
 * Signed, asynchronous event delivery, as Stripe does it: each event is POSTed to every matching endpoint,
 * retried with exponential backoff on anything but a 2xx, and each attempt is signed afresh
 * (`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, what
 * `stripe.webhooks.constructEventAsync` verifies). `Deliverer` is generic (the ADPAY sandbox's callbacks use it
 * too); `StripeWebhooks` adds Stripe's webhook endpoints.
 *
 * Knobs for tests (control API): pause/resume, each event N times, shuffle, delay and jitter, drop the next N,
 * attempts and backoff, a seed for every random choice (reproducible storms).
 */
import { createHmac, randomBytes } from "node:crypto";
import type { WebhookApi } from "./api-objects";
import { matchesType, type Obj } from "./form";
import { prng } from "../../prng";
import { API_VERSION } from "./store";

export interface DeliveryKnobs {
  paused: boolean;
  /** Every event is delivered this many times (independent deliveries). */
  duplicates: number;
  /** Due deliveries are picked in random order instead of oldest first. */
  shuffle: boolean;
  /** Delay before the first attempt, plus a random 0..jitterMs. */
  delayMs: number;
  jitterMs: number;
  /** The next N deliveries are dropped: never attempted (an endpoint that missed them; recover with GET /v1/events). */
  dropNext: number;
  maxAttempts: number;
  /** Retry n waits min(backoffMs * 2^(n-1), backoffMaxMs). */
  backoffMs: number;
  backoffMaxMs: number;
  timeoutMs: number;
  concurrency: number;
  seed: number;
}

export const DEFAULT_KNOBS: DeliveryKnobs = {
  paused: false,
  duplicates: 1,
  shuffle: false,
  delayMs: 0,
  jitterMs: 0,
  dropNext: 0,
  maxAttempts: 8,
  backoffMs: 2_000,
  backoffMaxMs: 10 * 60_000,
  timeoutMs: 10_000,
  concurrency: 4,
  seed: 1,
};

export interface Attempt {
  at: string;
  status: number | null;
  error: string | null;
  ms: number;
}

export interface Delivery {
  id: string;
  event: string;
  type: string;
  /** Webhook endpoint id, or "callback" for ADPAY. */
  target: string;
  url: string;
  copy: number;
  status: "pending" | "delivering" | "succeeded" | "failed" | "dropped";
  attempts: Attempt[];
  nextAttemptAt: number;
  createdAt: string;
}

interface Job {
  delivery: Delivery;
  body: string;
  headers: (body: string, unixSeconds: number) => Record<string, string> | Promise<Record<string, string>>;
}

export function knobsFrom(input: Record<string, unknown>, current: DeliveryKnobs): DeliveryKnobs {
  const out = { ...current };
  for (const [k, v] of Object.entries(input)) {
    if (!(k in DEFAULT_KNOBS)) throw new Error(`unknown knob ${k}; known: ${Object.keys(DEFAULT_KNOBS).join(", ")}`);
    const key = k as keyof DeliveryKnobs;
    if (typeof DEFAULT_KNOBS[key] === "boolean") (out as Record<string, unknown>)[key] = v === true || v === "true";
    else {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${k} must be a number ≥ 0`);
      (out as Record<string, unknown>)[key] = Math.floor(n);
    }
  }
  out.duplicates = Math.max(1, out.duplicates);
  out.maxAttempts = Math.max(1, out.maxAttempts);
  out.concurrency = Math.max(1, out.concurrency);
  return out;
}

export class Deliverer {
  /** Knobs for every target, unless a target has its own (configure with a target). */
  knobs: DeliveryKnobs;
  private perTarget = new Map<string, DeliveryKnobs>();
  private jobs: Job[] = [];
  private random: () => number;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<AbortController>();
  private idleWaiters: { target?: string; resolve: () => void }[] = [];
  private closed = false;
  /** Knob values restored by clear() (the start-up configuration). */
  defaultsAfterReset: Partial<DeliveryKnobs> = {};

  constructor(
    private readonly userAgent: string,
    knobs: Partial<DeliveryKnobs> = {},
  ) {
    this.knobs = { ...DEFAULT_KNOBS, ...knobs };
    this.random = prng(this.knobs.seed);
  }

  /** The knobs a target's deliveries follow. */
  knobsFor(target: string): DeliveryKnobs {
    return this.perTarget.get(target) ?? this.knobs;
  }

  /**
   * Changes knobs for every target, or for one (`target`, e.g. a webhook endpoint id): tests that share one server
   * give their own endpoint its own knobs and leave everybody else's deliveries alone.
   */
  configure(input: Record<string, unknown>, target?: string): DeliveryKnobs {
    const next = knobsFrom(input, target ? this.knobsFor(target) : this.knobs);
    if (next.seed !== this.knobsFor(target ?? "").seed) this.random = prng(next.seed);
    if (target) this.perTarget.set(target, next);
    else this.knobs = next;
    this.schedule();
    return next;
  }

  enqueue(input: { event: string; type: string; target: string; url: string; body: string; headers: Job["headers"] }): void {
    if (this.closed) return;
    const knobs = this.knobsFor(input.target);
    for (let copy = 1; copy <= knobs.duplicates; copy++) {
      const dropped = knobs.dropNext > 0;
      if (dropped) knobs.dropNext--;
      const delay = knobs.delayMs + Math.floor(this.random() * knobs.jitterMs);
      this.jobs.push({
        delivery: {
          id: `whdel_${randomBytes(9).toString("base64url")}`,
          event: input.event,
          type: input.type,
          target: input.target,
          url: input.url,
          copy,
          status: dropped ? "dropped" : "pending",
          attempts: [],
          nextAttemptAt: Date.now() + delay,
          createdAt: new Date().toISOString(),
        },
        body: input.body,
        headers: input.headers,
      });
    }
    this.schedule();
  }

  deliveries(filter: { event?: string; status?: string; target?: string } = {}): Delivery[] {
    return this.jobs
      .map((j) => j.delivery)
      .filter((d) => (!filter.event || d.event === filter.event) && (!filter.status || d.status === filter.status) && (!filter.target || d.target === filter.target));
  }

  /** Pending deliveries (of one target, or all) become due now: skips the backoff wait. */
  retryNow(target?: string): number {
    const pending = this.jobs.filter((j) => j.delivery.status === "pending" && (!target || j.delivery.target === target));
    for (const j of pending) j.delivery.nextAttemptAt = Date.now();
    this.schedule();
    return pending.length;
  }

  clear(): void {
    this.jobs = [];
    this.perTarget.clear();
    this.knobs = { ...DEFAULT_KNOBS, ...this.defaultsAfterReset };
    this.random = prng(this.knobs.seed);
  }

  private busy(target?: string): boolean {
    return this.jobs.some((j) => (!target || j.delivery.target === target) && (j.delivery.status === "pending" || j.delivery.status === "delivering"));
  }

  /** Resolves once nothing (of `target`) is pending or in flight, or after timeoutMs; false if work remains. */
  async drain(timeoutMs: number, target?: string): Promise<boolean> {
    if (!this.busy(target)) return true;
    if (this.knobsFor(target ?? "").paused) return false;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.idleWaiters.push({ target, resolve })),
      new Promise<void>((resolve) => (timeout = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timeout);
    return !this.busy(target);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.inFlight) c.abort();
    for (const w of this.idleWaiters.splice(0)) w.resolve();
  }

  private wakeIdle(): void {
    this.idleWaiters = this.idleWaiters.filter((w) => {
      if (this.busy(w.target)) return true;
      w.resolve();
      return false;
    });
  }

  /** Pending, not paused, and its target has a free delivery slot. */
  private ready(j: Job): boolean {
    const d = j.delivery;
    if (d.status !== "pending") return false;
    const knobs = this.knobsFor(d.target);
    if (knobs.paused) return false;
    return this.jobs.filter((x) => x.delivery.status === "delivering" && x.delivery.target === d.target).length < knobs.concurrency;
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wakeIdle();
    const ready = this.jobs.filter((j) => this.ready(j));
    if (!ready.length) return; // a finishing attempt, resume() or a new event schedules again
    const next = Math.min(...ready.map((j) => j.delivery.nextAttemptAt));
    this.timer = setTimeout(() => this.pump(), Math.max(0, next - Date.now()));
  }

  private pump(): void {
    this.timer = null;
    if (this.closed) return;
    for (;;) {
      const now = Date.now();
      const due = this.jobs.filter((j) => j.delivery.nextAttemptAt <= now && this.ready(j));
      const first = due[0];
      if (!first) break;
      const mine = due.filter((j) => j.delivery.target === first.delivery.target);
      // attempt() marks the delivery "delivering" before its first await, so the loop moves on.
      void this.attempt(this.knobsFor(first.delivery.target).shuffle ? mine[Math.floor(this.random() * mine.length)]! : first);
    }
    this.schedule();
  }

  private async attempt(job: Job): Promise<void> {
    const d = job.delivery;
    const knobs = this.knobsFor(d.target);
    d.status = "delivering";
    const controller = new AbortController();
    this.inFlight.add(controller);
    const started = Date.now();
    const record: Attempt = { at: new Date(started).toISOString(), status: null, error: null, ms: 0 };
    try {
      const signed = await job.headers(job.body, Math.floor(Date.now() / 1000));
      const timeout = setTimeout(() => controller.abort(), knobs.timeoutMs);
      const res = await fetch(d.url, {
        method: "POST",
        body: job.body,
        redirect: "manual",
        signal: controller.signal,
        headers: { "content-type": "application/json; charset=utf-8", "user-agent": this.userAgent, ...signed },
      }).finally(() => clearTimeout(timeout));
      record.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      record.error = controller.signal.aborted ? "timed out" : String((err as Error).cause ?? (err as Error).message);
    } finally {
      this.inFlight.delete(controller);
    }
    record.ms = Date.now() - started;
    d.attempts.push(record);
    if (this.closed) return;
    if (record.status !== null && record.status >= 200 && record.status < 300) d.status = "succeeded";
    else if (d.attempts.length >= knobs.maxAttempts) d.status = "failed";
    else {
      d.status = "pending";
      d.nextAttemptAt = Date.now() + Math.min(knobs.backoffMs * 2 ** (d.attempts.length - 1), knobs.backoffMaxMs);
    }
    this.pump();
  }
}

// ---------- Stripe's webhook endpoints ----------

export function stripeSignature(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${v1}`;
}

type Endpoint = Obj & { secret: string; url: string; enabled_events: string[]; status: "enabled" | "disabled" };

export class StripeWebhooks implements WebhookApi {
  readonly deliverer: Deliverer;
  private endpointList: Endpoint[] = [];

  constructor(knobs: Partial<DeliveryKnobs> = {}) {
    this.deliverer = new Deliverer("Stripe/1.0 (+https://stripe.com/docs/webhooks)", knobs);
    this.deliverer.defaultsAfterReset = knobs;
  }

  createEndpoint(input: { url: string; enabledEvents: string[]; description: string | null; metadata: Record<string, string>; secret?: string }): Endpoint {
    const endpoint: Endpoint = {
      id: `we_1${randomBytes(15).toString("base64url").replace(/[-_]/g, "")}`,
      object: "webhook_endpoint",
      api_version: API_VERSION,
      application: null,
      created: Math.floor(Date.now() / 1000),
      description: input.description,
      enabled_events: input.enabledEvents,
      livemode: false,
      metadata: input.metadata,
      secret: input.secret ?? `whsec_${randomBytes(24).toString("hex")}`,
      status: "enabled",
      url: input.url,
    };
    this.endpointList.push(endpoint);
    return structuredClone(endpoint);
  }

  /** As Stripe shows them after creation: without the secret. */
  endpoints(): Obj[] {
    return this.endpointList.map(({ secret: _secret, ...e }) => e as Obj).reverse();
  }

  endpoint(id: string): Obj | undefined {
    return this.endpoints().find((e) => e.id === id);
  }

  secretOf(id: string): string | undefined {
    return this.endpointList.find((e) => e.id === id)?.secret;
  }

  updateEndpoint(id: string, patch: { url?: string; enabledEvents?: string[]; disabled?: boolean }): Obj | undefined {
    const e = this.endpointList.find((x) => x.id === id);
    if (!e) return undefined;
    if (patch.url) e.url = patch.url;
    if (patch.enabledEvents) e.enabled_events = patch.enabledEvents;
    if (patch.disabled !== undefined) e.status = patch.disabled ? "disabled" : "enabled";
    return this.endpoint(id);
  }

  deleteEndpoint(id: string): boolean {
    const before = this.endpointList.length;
    this.endpointList = this.endpointList.filter((e) => e.id !== id);
    return this.endpointList.length < before;
  }

  delivered(eventId: string): boolean {
    return this.deliverer.deliveries({ event: eventId, status: "succeeded" }).length > 0;
  }

  /** Queues an event for every matching enabled endpoint; returns how many endpoints it goes to. */
  send(event: Obj, onlyEndpoint?: string): number {
    const targets = this.endpointList.filter(
      (e) => e.status === "enabled" && (!onlyEndpoint || e.id === onlyEndpoint) && e.enabled_events.some((p) => matchesType(String(event.type), p)),
    );
    const body = JSON.stringify(event, null, 2);
    for (const e of targets) {
      this.deliverer.enqueue({
        event: event.id,
        type: String(event.type),
        target: e.id,
        url: e.url,
        body,
        headers: (b, t) => ({ "stripe-signature": stripeSignature(e.secret, b, t) }),
      });
    }
    return targets.length;
  }

  reset(): void {
    this.endpointList = [];
    this.deliverer.clear();
  }
}
