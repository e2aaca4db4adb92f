/**
 * "Now" for the workerd test suite. Every test that needs today's date takes it from here, never from
 * `Date.now()` or a literal: `npm test` runs the date-sensitive suite again with `TEST_NOW` set to a
 * month-end, a leap day and a year boundary (scripts/test.sh), and the Worker under test runs on the same
 * shifted clock (`CLOCK_OFFSET_MS`, worker/integrations/clock.ts). A test that hard-codes a date must be about
 * that date (a leap-year rule, a historical rate), not about "today".
 */
import { env } from "cloudflare:workers";

const DAY = 86_400_000;

/** The offset the whole suite runs with (0 unless TEST_NOW is set). */
export const clockOffset = (): number => Number((env as { CLOCK_OFFSET_MS?: string }).CLOCK_OFFSET_MS ?? 0);

/** The current instant as the Worker under test sees it. */
export const testNow = (): number => Date.now() + clockOffset();

/** `YYYY-MM-DD` of an instant (UTC). */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Today (UTC; of `from`, default now) moved by whole days, as `YYYY-MM-DD`. */
export const today = (days = 0, from = testNow()): string => isoDay(from + days * DAY);

/** Midday UTC of today (of `from`) moved by whole days (safe from midnight edges). */
export const noon = (days = 0, from = testNow()): number => Date.parse(`${today(days, from)}T12:00:00Z`);

/** The UTC year of an instant (default now). */
export const yearOf = (from = testNow()): number => new Date(from).getUTCFullYear();

/** First day of the month `months` away from the current one, as `YYYY-MM-DD`. */
export function monthStart(months = 0, from = testNow()): string {
  const d = new Date(from);
  return isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}

/** Last day of the month `months` away from the current one, as `YYYY-MM-DD`. */
export function monthEnd(months = 0, from = testNow()): string {
  const d = new Date(from);
  return isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months + 1, 0));
}

/** `YYYY-MM-DD` moved by whole days. */
export const addDays = (day: string, days: number): string => isoDay(Date.parse(`${day}T00:00:00Z`) + days * DAY);

/** `YYYY-MM-DD` moved by whole months, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return isoDay(Date.UTC(y, m - 1 + months, Math.min(d, last)));
}
