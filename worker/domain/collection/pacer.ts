/**
 * Pacing gateway calls (docs/decisions/019-collection.md): a token bucket that holds ≈ 20 requests/s (80 % of
 * Stripe's 25/s per endpoint) and an exponential backoff with jitter after a 429. One pacer per isolate (the
 * collect queue has one consumer at a time, wrangler.toml), so the rate holds across messages too.
 * Time and sleeping are injected: tests and the benchmark drive it without waiting for real.
 */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realPacerClock: PacerClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export const COLLECT_RATE_PER_SECOND = 20;
const MAX_BACKOFF_MS = 8_000;

export class Pacer {
  private tokens: number;
  private last: number;

  constructor(readonly ratePerSecond = COLLECT_RATE_PER_SECOND, readonly clock: PacerClock = realPacerClock, readonly burst = Math.max(1, Math.floor(ratePerSecond / 4))) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Waits until one more request fits in the rate. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond));
    }
  }

  /** After the `attempt`-th 429 in a row: 0.5 s, 1 s, 2 s … up to 8 s, with jitter; the bucket empties too. */
  async backoff(attempt: number): Promise<void> {
    this.tokens = 0;
    const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, attempt - 1));
    await this.clock.sleep(base / 2 + Math.random() * (base / 2));
  }
}

let shared: Pacer | null = null;
/** The isolate's pacer for the collect queue. */
export const isolatePacer = (): Pacer => (shared ??= new Pacer());
