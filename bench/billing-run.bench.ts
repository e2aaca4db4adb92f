/**
 * Billing-run throughput: N Resource Subscriptions (fixed monthly fee, taxable, 10 per organization with a
 * primary contact, so each invoice also writes its ledger posting and its outbox email), billed by one run in
 * pages of PAGE_SIZE exactly as the queue consumer does (here all pages in one process, one after another).
 * Prints one `BENCH_RESULT {json}` line; scripts/bench.mjs stores it under bench/results/.
 */
import { env } from "cloudflare:workers";
import { expect, test } from "vitest";
import { createDb } from "../worker/db/client";
import { createBillingRun, PAGE_SIZE, processBillingPage } from "../worker/domain/billing/run";
import type { DomainContext } from "../worker/domain/context";
import { fixedClock } from "../worker/integrations/clock";
import { configFor } from "../worker/middleware/services";
import type { EmailMessage } from "../worker/queues/messages";

const N = Number((env as unknown as { BENCH_SUBSCRIPTIONS: string }).BENCH_SUBSCRIPTIONS);
const AS_OF = "2026-11-22";
const pad = (n: number) => String(n).padStart(8, "0");

async function seed(n: number) {
  const now = Date.UTC(2026, 10, 1);
  const stmts: string[] = [
    `INSERT INTO products (id, name, description, model, unit, price_amount, price_scale, taxable, status, created_at, updated_at) VALUES ('prd_bench', 'Cloud VM', NULL, 'fixed', 'month', 4900, 2, 1, 'active', ${now}, ${now})`,
    `INSERT INTO plans (id, name, description, status, created_at, updated_at) VALUES ('pln_bench', 'Bench plan', NULL, 'active', ${now}, ${now})`,
    `INSERT INTO plan_products (plan_id, product_id) VALUES ('pln_bench', 'prd_bench')`,
    `INSERT INTO tax_rules (id, name, country, status, deleted_at, created_at, updated_at) VALUES ('tax_bench', 'VAT', 'GB', 'active', NULL, ${now}, ${now})`,
    `INSERT INTO tax_rule_versions (id, rule_id, rate_ppm, effective_from, created_at) VALUES ('txv_bench', 'tax_bench', 200000, '2026-01-01', ${now})`,
  ];
  await env.DB.batch(stmts.map((s) => env.DB.prepare(s)));
  const orgs = Math.ceil(n / 10);
  const rows: string[] = [];
  for (let o = 0; o < orgs; o++) {
    rows.push(`INSERT INTO organizations (id, kind, name, reseller_id, status, country, city, phone, email, time_zone, primary_user_id, created_at, updated_at) VALUES ('org_b${pad(o)}', 'customer', 'Bench Org ${o}', NULL, 'active', 'GB', 'London', NULL, NULL, 'UTC', 'usr_b${pad(o)}', ${now}, ${now})`);
    rows.push(`INSERT INTO users (id, org_id, email, first_name, last_name, role, privileges, status, password_hash, password_changed_at, created_at, updated_at) VALUES ('usr_b${pad(o)}', 'org_b${pad(o)}', 'bench${o}@bench.example', 'Bench', 'User', 'customer', '[]', 'active', 'x', ${now}, ${now}, ${now})`);
    rows.push(`INSERT INTO contracts (id, org_id, plan_id, start_date, expiry_date, status, created_at, updated_at) VALUES ('ctr_b${pad(o)}', 'org_b${pad(o)}', 'pln_bench', '2026-01-01', NULL, 'active', ${now}, ${now})`);
  }
  for (let s = 0; s < n; s++) {
    const o = Math.floor(s / 10);
    rows.push(`INSERT INTO resource_subscriptions (id, org_id, contract_id, name, model, billing_interval, anchor_date, status, trial_ends_at, billed_through, created_at, updated_at) VALUES ('sub_b${pad(s)}', 'org_b${pad(o)}', 'ctr_b${pad(o)}', 'Bench sub ${s}', 'fixed', 'month', '2026-11-01', 'live', NULL, NULL, ${now}, ${now})`);
  }
  for (let i = 0; i < rows.length; i += 500) await env.DB.batch(rows.slice(i, i + 500).map((s) => env.DB.prepare(s)));
}

test(`billing run over ${N} subscriptions`, async () => {
  const seedStart = performance.now();
  await seed(N);
  const seedMs = performance.now() - seedStart;
  const config = configFor(env);
  if (!config.ok) throw new Error("bad env");
  let queued = 0;
  const ctx: DomainContext = {
    db: createDb(env.DB), clock: fixedClock(Date.UTC(2026, 10, 22, 3)), config: config.config, requestId: "req_bench", ip: null,
    emailQueue: { send: async () => void queued++, sendBatch: async (ms: Iterable<MessageSendRequest<EmailMessage>>) => void (queued += [...ms].length) } as unknown as Queue<EmailMessage>,
  };
  const run = await createBillingRun(ctx, { trigger: "manual", asOf: AS_OF });
  const start = performance.now();
  let pages = 0;
  let slowestPageMs = 0;
  for (;;) {
    const t = performance.now();
    const { more } = await processBillingPage(ctx, run.id);
    pages++;
    slowestPageMs = Math.max(slowestPageMs, performance.now() - t);
    if (!more) break;
  }
  const ms = performance.now() - start;
  const invoices = (await env.DB.prepare("SELECT COUNT(*) AS n FROM invoices WHERE billing_run_id = ?").bind(run.id).first<{ n: number }>())!.n;
  const numbers = (await env.DB.prepare("SELECT COUNT(DISTINCT number) AS n, MAX(number) AS last FROM invoices WHERE billing_run_id = ?").bind(run.id).first<{ n: number; last: string }>())!;
  expect(invoices).toBe(N);
  expect(numbers.n).toBe(N);
  const result = {
    benchmark: "billing-run", subscriptions: N, invoices, pageSize: PAGE_SIZE, pages, emailsQueued: queued,
    seconds: Number((ms / 1000).toFixed(2)), invoicesPerSecond: Number((invoices / (ms / 1000)).toFixed(1)),
    slowestPageMs: Math.round(slowestPageMs), seedSeconds: Number((seedMs / 1000).toFixed(2)), lastNumber: numbers.last,
    environment: "local workerd (vitest-pool-workers, SQLite-backed D1 in-process); production D1 adds network latency per query",
  };
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
});
