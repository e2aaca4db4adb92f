/**
 * Fault knobs and a rate limiter shared by the local Stripe API (/v1) and the ADPAY sandbox API (/adpay/v1).
 *
 * Faults (POST /__control/faults replaces them all; {} clears): `latencyMs` on every matching request;
 * `fail500`, `fail429`, `dropBeforeCommit` (connection closed, nothing done) and `dropAfterCommit` (the work is
 * done and stored, the answer never arrives) count down per matching request. `match` (default: every request)
 * is a substring of "METHOD /path <decoded params>", so a test can aim at its own traffic.
 */

import { createHash } from "node:crypto";

export interface FaultConfig {
  latencyMs: number;
  fail500: number;
  fail429: number;
  dropBeforeCommit: number;
  dropAfterCommit: number;
  match: string;
}

const COUNTERS = ["fail500", "fail429", "dropBeforeCommit", "dropAfterCommit"] as const;

export const noFaults = (): FaultConfig => ({ latencyMs: 0, fail500: 0, fail429: 0, dropBeforeCommit: 0, dropAfterCommit: 0, match: "" });

export class Faults {
  config = noFaults();

  set(input: Record<string, unknown>): FaultConfig {
    const n = (v: unknown) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Math.floor(Number(v)) : 0);
    this.config = {
      latencyMs: n(input.latencyMs),
      fail500: n(input.fail500),
      fail429: n(input.fail429),
      dropBeforeCommit: n(input.dropBeforeCommit),
      dropAfterCommit: n(input.dropAfterCommit),
      match: typeof input.match === "string" ? input.match : "",
    };
    return this.config;
  }

  matches(signature: string): boolean {
    return signature.includes(this.config.match);
  }

  /** Uses up one of a counter when the request matches; true if this request gets that fault. */
  take(kind: (typeof COUNTERS)[number], signature: string): boolean {
    if (this.config[kind] <= 0 || !this.matches(signature)) return false;
    this.config[kind]--;
    return true;
  }

  async delay(signature: string): Promise<void> {
    if (this.config.latencyMs > 0 && this.matches(signature)) await new Promise((r) => setTimeout(r, this.config.latencyMs));
  }
}

/** Token bucket per API key: `perSecond` sustained, `burst` at once; 0 switches it off. Counts what it refused. */
export class RateLimiter {
  perSecond = 0;
  burst = 0;
  /** Only this API key is limited (tests sharing the server aim at their own key); null: every key. */
  key: string | null = null;
  limited = 0;
  allowed = 0;
  private buckets = new Map<string, { tokens: number; at: number }>();

  set(input: Record<string, unknown>): { perSecond: number; burst: number; key: string | null } {
    this.perSecond = Math.max(0, Number(input.perSecond) || 0);
    this.key = typeof input.key === "string" && input.key ? input.key : null;
    this.burst = Math.max(1, Number(input.burst) || Math.ceil(this.perSecond) || 1);
    this.buckets.clear();
    this.limited = 0;
    this.allowed = 0;
    return { perSecond: this.perSecond, burst: this.burst, key: this.key };
  }

  allow(key: string): boolean {
    if (this.perSecond <= 0 || (this.key !== null && key !== this.key)) return true;
    const now = Date.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) {
      this.limited++;
      return false;
    }
    b.tokens -= 1;
    this.allowed++;
    return true;
  }

  state() {
    return { perSecond: this.perSecond, burst: this.burst, key: this.key, allowed: this.allowed, limited: this.limited };
  }
}

/**
 * Seeded random faults for one API key (`POST /__control/chaos`), for the fault-injection test and benchmark
 * (test/worker/domain/collection/fault-injection.test.ts): a key of their own, so other tests sharing the server
 * (and their `POST /__control/faults {}` resets) neither see nor clear them.
 *
 * What a request gets is a function of the seed, its idempotency key (with `strip`, the run's tag, removed) and how
 * many times that key was seen before, not of arrival order: concurrent lanes get the same faults run after run.
 * A request without a key (a GET) is decided by its method and path in arrival order.
 */
export interface ChaosConfig {
  key: string;
  seed: number;
  /** Probabilities per request, checked in this order: 500 (nothing done), 429, connection dropped after commit. */
  p500: number;
  p429: number;
  pDropAfterCommit: number;
  /** Uniform latency in [0, maxLatencyMs] on every request of the key. */
  maxLatencyMs: number;
  strip: string;
}

export type ChaosFault = "fail500" | "fail429" | "dropAfterCommit" | null;

export class Chaos {
  private profiles = new Map<string, { config: ChaosConfig; seen: Map<string, number>; injected: Record<string, number> }>();

  set(input: Record<string, unknown>): unknown {
    const key = String(input.key ?? "");
    if (!key) throw new Error("chaos needs the API key it applies to");
    if (input.off) {
      const stats = this.profiles.get(key)?.injected ?? null;
      this.profiles.delete(key);
      return { key, off: true, injected: stats };
    }
    const p = (v: unknown) => Math.min(1, Math.max(0, Number(v) || 0));
    const config: ChaosConfig = { key, seed: Math.floor(Number(input.seed) || 0), p500: p(input.p500), p429: p(input.p429), pDropAfterCommit: p(input.pDropAfterCommit), maxLatencyMs: Math.max(0, Number(input.maxLatencyMs) || 0), strip: typeof input.strip === "string" ? input.strip : "" };
    this.profiles.set(key, { config, seen: new Map(), injected: { requests: 0, fail500: 0, fail429: 0, dropAfterCommit: 0 } });
    return config;
  }

  state(key: string): unknown {
    const p = this.profiles.get(key);
    return p ? { ...p.config, injected: p.injected } : null;
  }

  clear(): void {
    this.profiles.clear();
  }

  /** The latency and the fault (or none) this request of `key` gets. */
  decide(key: string, idempotencyKey: string | null, method: string, path: string): { latencyMs: number; fault: ChaosFault } {
    const p = this.profiles.get(key);
    if (!p) return { latencyMs: 0, fault: null };
    const { config } = p;
    const base = idempotencyKey ? `k ${config.strip ? idempotencyKey.split(config.strip).join("") : idempotencyKey}` : `r ${method} ${path}`;
    const n = p.seen.get(base) ?? 0;
    p.seen.set(base, n + 1);
    const digest = createHash("sha256").update(`${config.seed}\n${base}\n${n}`).digest();
    const u = (i: number) => digest.readUInt32BE(i * 4) / 0x1_0000_0000;
    p.injected.requests!++;
    const roll = u(0);
    const fault: ChaosFault = roll < config.p500 ? "fail500" : roll < config.p500 + config.p429 ? "fail429" : roll < config.p500 + config.p429 + config.pDropAfterCommit ? "dropAfterCommit" : null;
    if (fault) p.injected[fault]!++;
    return { latencyMs: Math.round(u(1) * config.maxLatencyMs), fault };
  }
}
