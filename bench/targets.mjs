/**
 * The bench summary: every figure against its target (README.md, Performance), and the regression check
 * against bench/baseline.json — the Worker bundle and its start-up may not grow more than 10 % over the recorded
 * baseline (start-up as the CPU time of evaluating the bundle's global scope over that of a fixed workload run
 * right after it, so the figure follows the code rather than the machine's load).
 * `npm run bench -- --record-baseline` records a new baseline.
 */

const get = (obj, path) => path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);

/** [label, path in results.benchmarks, comparison, target] */
const TARGETS = [
  ["billing run, 10,000 subscriptions (invoices/s)", "billing.subscriptions_10000.invoicesPerSecond", ">=", 5000],
  ["billing run, 10,000 subscriptions (invoices per CPU-second)", "billing.subscriptions_10000.invoicesPerCpuSecond", ">=", 5000],
  ["billing run, 100,000 subscriptions (invoices/s)", "billing.subscriptions_100000.invoicesPerSecond", ">=", 5000],
  ["billing run, 100,000 subscriptions (invoices per CPU-second)", "billing.subscriptions_100000.invoicesPerCpuSecond", ">=", 5000],
  ["billing run, D1 limit violations", "billing.subscriptions_100000.limitViolations", "<=", 0],
  ["email end to end, 2,000 messages (messages/s)", "email.runs.0.messagesPerSecond", ">=", 1000],
  ["email end to end, 20,000 messages (messages/s)", "email.runs.1.messagesPerSecond", ">=", 1000],
  // Wall-clock messages/s follows the machine's load; CPU per message does not: what one workerd thread could send.
  ["email, one workerd thread's CPU ceiling, 20,000 messages (messages/s)", "email.runs.1.workerdThreadCeilingMessagesPerSecond", ">=", 1000],
  ["email duplicates (by Message-ID)", "email.duplicates", "<=", 0],
  ["email Bcc headers on the wire", "email.bccHeaders", "<=", 0],
  ["fault injection: charge attempts", "faults.attempts", ">=", 10000],
  ["fault injection: double charges", "faults.doubleCharges", "<=", 0],
  ["fault injection: ledger/gateway/invoice mismatches", "faults.mismatches", "<=", 0],
  ["pacing at Stripe's 25/s: charges/s held (pacer 20/s)", "pacing.atStripeLimit.chargesPerSecond", ">=", 15],
  ["pacing at Stripe's 25/s: 429s from the gateway", "pacing.atStripeLimit.gateway429s", "<=", 0],
  ["pacing at 2/s: unhandled 429s", "pacing.belowPacer.unhandled429s", "<=", 0],
  ["pacing: double charges", "pacing.belowPacer.doubleCharges", "<=", 0],
  ["signed-in read / health p50, c=1", "http.ratio_read_vs_health_p50", "<=", 1.5],
  ["signed-in read / health p50, c=10", "http.ratio_read_vs_health_p50_c10", "<=", 1.5],
  ["signed-in read / health, workerd CPU per request", "http.ratio_read_vs_health_cpu", "<=", 1.5],
];

/** Baseline metrics and how much they may grow. */
export const BASELINE_METRICS = ["bundle.worker_kib", "bundle.worker_gzip_kib", "startup.globalScopeToReference"];
const MAX_GROWTH = 0.1;

export function summarize(benchmarks, baseline) {
  const rows = TARGETS.map(([label, path, op, target]) => {
    const value = get(benchmarks, path);
    const pass = value === undefined ? null : op === ">=" ? value >= target : value <= target;
    return { label, value, target: `${op} ${target}`, pass };
  });
  const regressions = [];
  for (const path of BASELINE_METRICS) {
    const now = get(benchmarks, path);
    const base = baseline?.metrics?.[path];
    if (typeof now !== "number" || typeof base !== "number") continue;
    const growth = (now - base) / base;
    rows.push({ label: `${path} vs baseline ${base}`, value: now, target: `≤ +${MAX_GROWTH * 100} %`, pass: growth <= MAX_GROWTH });
    if (growth > MAX_GROWTH) regressions.push(`${path}: ${now} is ${(growth * 100).toFixed(1)} % over the baseline ${base}`);
  }
  return { rows, regressions };
}

export function printSummary({ rows, regressions }, load) {
  console.log(`\nSummary (load average ${load.map((l) => l.toFixed(2)).join(" / ")} on ${load.cpus} cores):`);
  for (const r of rows) {
    const mark = r.pass === null ? "  –  " : r.pass ? " ok  " : " MISS";
    console.log(`${mark} ${r.label}: ${r.value ?? "not measured"} (target ${r.target})`);
  }
  for (const line of regressions) console.error(`REGRESSION ${line}`);
}

export function baselineFrom(benchmarks) {
  return { recordedAt: new Date().toISOString(), metrics: Object.fromEntries(BASELINE_METRICS.map((p) => [p, get(benchmarks, p)]).filter(([, v]) => typeof v === "number")) };
}
