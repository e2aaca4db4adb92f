/**
 * The one source of "now" for domain code, the DO and queue consumers. Tests pass a movable clock
 * (`fixedClock`) to exercise expiry, throttling windows and billing periods without sleeping.
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
