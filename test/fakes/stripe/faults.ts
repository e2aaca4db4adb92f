/**
 * Fault knobs and a rate limiter shared by the local Stripe API (/v1) and the ADPAY sandbox API (/adpay/v1).
 *
 * Faults (POST /__control/faults replaces them all; {} clears): `latencyMs` on every matching request;
 * `fail500`, `fail429`, `dropBeforeCommit` (connection closed, nothing done) and `dropAfterCommit` (the work is
 * done and stored, the answer never arrives) count down per matching request. `match` (default: every request)
 * is a substring of "METHOD /path <decoded params>", so a test can aim at its own traffic.
 */

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
