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

/** The application clock for this environment: real time, shifted by `CLOCK_OFFSET_MS` where it is allowed. */
export function clockFor(config: { APP_ENV: string; CLOCK_OFFSET_MS?: number }): Clock {
  if (config.APP_ENV === "production" || !config.CLOCK_OFFSET_MS) return systemClock;
  return shiftedClock(config.CLOCK_OFFSET_MS);
}
