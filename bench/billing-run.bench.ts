/**
 * Billing-run throughput: N Resource Subscriptions (fixed monthly fee, taxable, 10 per organization with a
 * primary contact, so each invoice also writes its tax line, ledger posting and outbox email), billed by one run
 * in pages of PAGE_SIZE exactly as the queue consumer does (here all pages in one process, one after another).
 * Every statement is checked against production D1's limits on the way (test/d1-limits.ts), and the most any
 * page needed is reported. Prints one `BENCH_RESULT {json}` line; bench/billing.bench.mjs stores it.
 */
import { env } from "cloudflare:workers";
import { expect, test } from "vitest";
import { createBillingRun, PAGE_SIZE, processBillingPage } from "../worker/domain/billing/run";
import { D1_LIMITS, limitCheckingD1 } from "../test/d1-limits";
import { systemCtx, type DomainContext } from "../worker/domain/context";
import { shiftedClock } from "../worker/integrations/clock";
import type { EmailMessage } from "../worker/contract/messages";

const N = Number((env as unknown as { BENCH_SUBSCRIPTIONS: string }).BENCH_SUBSCRIPTIONS);
const PAGE = Number((env as unknown as { BENCH_PAGE_SIZE?: string }).BENCH_PAGE_SIZE || PAGE_SIZE);
const WARMUP = 2000;
const AS_OF = "2026-11-22";
const pad = (n: number) => String(n).padStart(8, "0");

/** Rows as JSON arrays into one INSERT … SELECT FROM json_each per 2,000 rows (the seed is not what is measured). */
async function bulk(table: string, columns: string[], rows: unknown[][]) {
  const cols = columns.map((_, i) => `j.value->>${i}`).join(", ");
  const statements = [];
  for (let i = 0; i < rows.length; i += 2000) {
    statements.push(env.DB.prepare(`INSERT INTO ${table} (${columns.join(", ")}) SELECT ${cols} FROM json_each(?1) j`).bind(JSON.stringify(rows.slice(i, i + 2000))));
  }
  for (let i = 0; i < statements.length; i += 20) await env.DB.batch(statements.slice(i, i + 20));
}

const now = Date.UTC(2026, 10, 1);

async function seedCatalogue() {
  const stmts: string[] = [
    `INSERT INTO products (id, name, description, model, unit, price_amount, price_scale, taxable, status, created_at, updated_at) VALUES ('prd_bench', 'Cloud VM', NULL, 'fixed', 'month', 4900, 2, 1, 'active', ${now}, ${now})`,
    `INSERT INTO plans (id, name, description, status, created_at, updated_at) VALUES ('pln_bench', 'Bench plan', NULL, 'active', ${now}, ${now})`,
    `INSERT INTO plan_products (plan_id, product_id) VALUES ('pln_bench', 'prd_bench')`,
    `INSERT INTO tax_rules (id, name, country, status, deleted_at, created_at, updated_at) VALUES ('tax_bench', 'VAT', 'GB', 'active', NULL, ${now}, ${now})`,
    `INSERT INTO tax_rule_versions (id, rule_id, rate_ppm, effective_from, created_at) VALUES ('txv_bench', 'tax_bench', 200000, '2026-01-01', ${now})`,
  ];
  await env.DB.batch(stmts.map((s) => env.DB.prepare(s)));
}

/** `n` subscriptions, 10 per organization, ids `<kind>_<tag><8 digits>`. */
async function seed(tag: string, n: number) {
  const orgs = Math.ceil(n / 10);
  const org = (o: number) => `org_${tag}${pad(o)}`;
  // Organizations first with no primary contact (its user does not exist yet), then users, then the link.
  await bulk("organizations", ["id", "kind", "name", "status", "country", "city", "time_zone", "created_at", "updated_at"],
    Array.from({ length: orgs }, (_, o) => [org(o), "customer", `Bench Org ${o}`, "active", "GB", "London", "UTC", now, now]));
  await bulk("users", ["id", "org_id", "email", "first_name", "last_name", "role", "privileges", "status", "password_hash", "password_changed_at", "created_at", "updated_at"],
    Array.from({ length: orgs }, (_, o) => [`usr_${tag}${pad(o)}`, org(o), `bench-${tag}${o}@bench.example`, "Bench", "User", "customer", "[]", "active", "x", now, now, now]));
  await env.DB.prepare(`UPDATE organizations SET primary_user_id = 'usr_' || substr(id, 5) WHERE id LIKE ?`).bind(`org_${tag}%`).run();
  await bulk("contracts", ["id", "org_id", "plan_id", "start_date", "status", "created_at", "updated_at"],
    Array.from({ length: orgs }, (_, o) => [`ctr_${tag}${pad(o)}`, org(o), "pln_bench", "2026-01-01", "active", now, now]));
  await bulk("resource_subscriptions", ["id", "org_id", "contract_id", "name", "model", "billing_interval", "anchor_date", "status", "created_at", "updated_at"],
    Array.from({ length: n }, (_, s) => [`sub_${tag}${pad(s)}`, org(Math.floor(s / 10)), `ctr_${tag}${pad(Math.floor(s / 10))}`, `Bench sub ${s}`, "fixed", "month", "2026-11-01", "live", now, now]));
}

/**
 * Warm-up (warm and cold never averaged; docs/decisions/014c-startup-and-bench-baseline.md): a run over WARMUP other subscriptions
 * compiles the page's code paths; they are then cancelled, so the measured run walks past them.
 */
async function warmUp(ctx: DomainContext) {
  await seed("w", WARMUP);
  const run = await createBillingRun(ctx, { trigger: "manual", asOf: AS_OF });
  for (let more = true; more; ) more = (await processBillingPage(ctx, run.id, PAGE)).more;
  await env.DB.prepare(`UPDATE resource_subscriptions SET status = 'cancelled' WHERE id LIKE 'sub_w%'`).run();
}

test(`billing run over ${N} subscriptions`, async () => {
  let queued = 0;
  const limits = limitCheckingD1(env.DB);
  const email = { send: async () => void queued++, sendBatch: async (ms: Iterable<MessageSendRequest<EmailMessage>>) => void (queued += [...ms].length) } as unknown as Queue<EmailMessage>;
  // The database behind the limit-checking D1. A clock that runs (from the run date), as in production: ids are
  // time-ordered, so every page appends to the indexes instead of landing at random places all over them (a
  // stopped clock made 100k look 2× slower).
  const ctx = systemCtx({ ...env, DB: limits.d1 } as Env, { clock: shiftedClock(Date.UTC(2026, 10, 22, 3) - Date.now()), queues: { email } });
  await seedCatalogue();
  await warmUp(ctx);
  const seedStart = performance.now();
  await seed("b", N);
  const seedMs = performance.now() - seedStart;
  console.log("BENCH_SEEDED");
  const run = await createBillingRun(ctx, { trigger: "manual", asOf: AS_OF });
  limits.reset();
  const start = performance.now();
  let pages = 0;
  let slowestPageMs = 0;
  const most = { statements: 0, roundTrips: 0, params: 0, sqlBytes: 0, valueBytes: 0, batchBytes: 0 };
  const violations: string[] = [];
  for (;;) {
    limits.reset();
    const t = performance.now();
    const { more } = await processBillingPage(ctx, run.id, PAGE);
    pages++;
    slowestPageMs = Math.max(slowestPageMs, performance.now() - t);
    const u = limits.usage;
    most.statements = Math.max(most.statements, u.statements);
    most.roundTrips = Math.max(most.roundTrips, u.roundTrips);
    most.params = Math.max(most.params, u.maxParams);
    most.sqlBytes = Math.max(most.sqlBytes, u.maxSqlBytes);
    most.valueBytes = Math.max(most.valueBytes, u.maxValueBytes);
    most.batchBytes = Math.max(most.batchBytes, u.maxBatchBytes);
    violations.push(...u.violations);
    if (u.statements > D1_LIMITS.queriesPerInvocation) violations.push(`a page ran ${u.statements} queries`);
    if (!more) break;
  }
  const ms = performance.now() - start;
  const invoices = (await env.DB.prepare("SELECT COUNT(*) AS n FROM invoices WHERE billing_run_id = ?").bind(run.id).first<{ n: number }>())!.n;
  const numbers = (await env.DB.prepare("SELECT COUNT(DISTINCT number) AS n, MIN(number) AS first, MAX(number) AS last FROM invoices WHERE billing_run_id = ?").bind(run.id).first<{ n: number; first: string; last: string }>())!;
  expect(invoices).toBe(N);
  expect(numbers.n).toBe(N);
  expect(violations).toEqual([]);
  const result = {
    benchmark: "billing-run", subscriptions: N, invoices, pageSize: PAGE, pages, warmUpSubscriptions: WARMUP, emailsQueued: queued - WARMUP,
    seconds: Number((ms / 1000).toFixed(2)), invoicesPerSecond: Math.round(invoices / (ms / 1000)),
    slowestPageMs: Math.round(slowestPageMs), seedSeconds: Number((seedMs / 1000).toFixed(2)), numbers: `${numbers.first} … ${numbers.last}`,
    perPageAtMost: { d1Statements: most.statements, roundTrips: most.roundTrips, paramsPerStatement: most.params, sqlBytesPerStatement: most.sqlBytes, bytesPerValue: most.valueBytes, boundBytesPerBatch: most.batchBytes },
    limitViolations: violations.length,
    environment: "local workerd (vitest-pool-workers, SQLite-backed D1 in-process); production D1 adds network latency per round trip",
  };
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
});
