/**
 * Calendar arithmetic on `YYYY-MM-DD` (UTC, no time zones): billing periods repeat from the subscription's
 * anchor by whole months; a day that does not exist in a month (31 → 30 Apr, 29/30/31 → Feb) clamps to the
 * month's last day, and every period is computed from the anchor itself, so clamping never drifts.
 */
export const INTERVAL_MONTHS = { month: 1, quarter: 3, year: 12 } as const;
export type Interval = keyof typeof INTERVAL_MONTHS;

export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// Isolate cache of pure results: a billing page computes the same few dates for thousands of subscriptions
// (most share anchors). Bounded by clearing; never invalid, since the functions are pure.
const memo = new Map<string, string>();
function memoized(key: string, compute: () => string): string {
  let v = memo.get(key);
  if (v === undefined) {
    if (memo.size >= 50_000) memo.clear();
    memo.set(key, (v = compute()));
  }
  return v;
}

export function addDays(date: string, days: number): string {
  return memoized(`d${date}|${days}`, () => isoDate(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));
}

export function addMonths(date: string, months: number): string {
  return memoized(`m${date}|${months}`, () => computeAddMonths(date, months));
}

function computeAddMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month + 1).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

const UNIT_MONTHS: Record<string, number> = { month: 1, quarter: 3, year: 12 };

/**
 * Fixed fee quantity for period k: interval/unit when the unit is shorter; once every unit otherwise. (Pure, here
 * rather than in plan.ts, so the demo seed's billing history computes it exactly as the run does.)
 */
export function fixedQuantity(unit: string, interval: Interval, k: number): number {
  const unitMonths = UNIT_MONTHS[unit];
  const intervalMonths = INTERVAL_MONTHS[interval];
  if (!unitMonths) return 1;
  if (intervalMonths >= unitMonths) return intervalMonths % unitMonths === 0 ? intervalMonths / unitMonths : 1;
  return (k * intervalMonths) % unitMonths === 0 ? 1 : 0;
}

/** Period k (0-based) from the anchor: [start, end) with `end` exclusive. */
export function periodAt(anchor: string, interval: Interval, k: number): { start: string; end: string } {
  const n = INTERVAL_MONTHS[interval];
  return { start: addMonths(anchor, k * n), end: addMonths(anchor, (k + 1) * n) };
}

/** The index of the period containing `date` (dates before the anchor → 0). */
export function periodIndexOf(anchor: string, interval: Interval, date: string): number {
  if (date <= anchor) return 0;
  const n = INTERVAL_MONTHS[interval];
  const [ay, am] = anchor.split("-").map(Number) as [number, number];
  const [dy, dm] = date.split("-").map(Number) as [number, number];
  let k = Math.max(0, Math.floor(((dy - ay) * 12 + (dm - am)) / n) - 1);
  while (periodAt(anchor, interval, k + 1).start <= date) k++;
  return k;
}
