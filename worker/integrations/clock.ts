/**
 * The one source of "now" for domain code, the DO and queue consumers. Tests pass a movable clock
 * (`fixedClock`) to exercise expiry, throttling windows and billing periods without sleeping.
 *
 * Outside production the whole application can run on a shifted clock: `CLOCK_OFFSET_MS` (a Worker var,
 * milliseconds added to the real time) moves every "now" the Worker sees — requests, queue consumers, cron.
 * The test suite uses it to prove that it passes on any date (`TEST_NOW` in scripts/test.sh); production
 * refuses the variable at start-up (worker/env.ts), so a deployed Worker always runs on real time.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface MovableClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function fixedClock(start: number): MovableClock {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Real time moved by a constant offset (development and tests only; see the module comment). */
export function shiftedClock(offsetMs: number): Clock {
  return offsetMs === 0 ? systemClock : { now: () => Date.now() + offsetMs };
}

/**
 * The development clock (docs/decisions/018a-dunning-extensions-and-dev-clock.md): with `DEV_CLOCK=true` (refused in
 * production, like CLOCK_OFFSET_MS) a Cloud-Admin moves the application's time forward from a running portal. The
 * offset lives in D1 (`dev_clock`), so the Worker, the Durable Objects and the queue consumers see the same time:
 * every invocation loads it first (worker/domain/dev-clock/sync.ts) into this isolate-wide value, and the clocks
 * `clockFor` makes read it on every `now()`. Without DEV_CLOCK nothing reads or adds it.
 */
let devOffsetMs = 0;

export function setDevClockOffset(ms: number): void {
  devOffsetMs = ms;
}

export interface ClockConfig {
  APP_ENV: string;
  CLOCK_OFFSET_MS?: number;
  DEV_CLOCK?: "true" | "false";
}

export const devClockEnabled = (config: ClockConfig): boolean => config.APP_ENV !== "production" && config.DEV_CLOCK === "true";

/** The application clock for this environment: real time, shifted by `CLOCK_OFFSET_MS` (and the dev clock) where allowed. */
export function clockFor(config: ClockConfig): Clock {
  if (config.APP_ENV === "production") return systemClock;
  const base = config.CLOCK_OFFSET_MS ?? 0;
  if (devClockEnabled(config)) return { now: () => Date.now() + base + devOffsetMs };
  return base ? shiftedClock(base) : systemClock;
}
