/**
 * Demo pay-as-you-go usage for the seeded usage subscriptions (Kestrel Model Training, Brightwater Route
 * Analytics): daily vCPU hours per virtual machine and a monthly GB-month reading per volume / object store,
 * from August 2026 to 21 November 2026. Deterministic (values derived from a hash of the key) and idempotent
 * (stable ids and producer keys; ON CONFLICT DO NOTHING), like the rest of the seed.
 *
 * `buildUsageSql(seedId, insert)` returns SQL statements; seed.mjs calls it with its own helpers.
 */
import { createHash } from "node:crypto";

const FROM = "2026-08-01";
const TO = "2026-11-21";

/** A number in [0, 1) derived from `key`: the same every run. */
function unit(key) {
  return createHash("sha256").update(`cumulus-usage:${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

const SOURCES = [
  // subscription key, resource name, product key, kind, scale of the typical reading
  { sub: "kestrel-ml", org: "kestrel", resource: "ka-gpu-01", product: "vcpu", daily: true, base: 16 * 24, spread: 0.35 },
  { sub: "kestrel-ml", org: "kestrel", resource: "ka-datasets", product: "storage", daily: false, base: 2048, spread: 0.25 },
  { sub: "kestrel-ml", org: "kestrel", resource: "ka-artifacts", product: "storage", daily: false, base: 640, spread: 0.4 },
  { sub: "brightwater-analytics", org: "brightwater", resource: "bw-etl-01", product: "vcpu", daily: true, base: 4 * 24, spread: 0.5 },
  { sub: "brightwater-analytics", org: "brightwater", resource: "bw-etl-data", product: "storage", daily: false, base: 500, spread: 0.2 },
];

function* days(from, to) {
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) yield new Date(t).toISOString().slice(0, 10);
}

function lastDayOfMonth(date) {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/**
 * The seeded readings, in the order they are inserted: `{ key, sub, org, resource, product, date, hundredths }`
 * (quantity = hundredths / 100). The seed's billing history (scripts/seed-history.ts) bills these same readings.
 */
export function usageReadings() {
  const readings = [];
  for (const s of SOURCES) {
    for (const date of days(FROM, TO)) {
      // Daily readings every day; monthly GB-month readings on each month's last day (none yet for November).
      if (!s.daily && date !== lastDayOfMonth(date)) continue;
      const key = `seed-usage:${s.sub}:${s.resource}:${s.product}:${date}`;
      const factor = 1 - s.spread + 2 * s.spread * unit(key);
      const hundredths = Math.round(s.base * factor * 100); // quantity with 2 decimals, exact
      readings.push({ key, sub: s.sub, org: s.org, resource: s.resource, product: s.product, date, hundredths });
    }
  }
  return readings;
}

export function buildUsageSql(seedId, insert) {
  return usageReadings().map((r) =>
    insert("usage_records", {
      id: seedId("usg", r.key),
      org_id: seedId("org", r.org),
      subscription_id: seedId("sub", r.sub),
      resource_id: seedId("res", `${r.sub}:${r.resource}`),
      product_id: seedId("prd", r.product),
      quantity_value: r.hundredths,
      quantity_scale: 2,
      usage_date: r.date,
      idempotency_key: r.key,
      created_at: Date.parse(`${r.date}T00:00:00Z`) + 86_400_000 + 3_600_000,
    }),
  );
}
