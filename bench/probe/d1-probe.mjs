#!/usr/bin/env node
/**
 * Bench-only cost model of one local D1 call (ADR 014a): workerd CPU per request, from /proc, for the real
 * /api/health and /api/organizations and for probe routes that each make one D1 call with a variant of the
 * organizations read (bench/probe/d1-probe.worker.ts). Interleaved rounds, so a shared machine's load hits every
 * variant alike. Run `npm run bench -- http` once first (it builds dist/client); this keeps its own D1 state.
 *
 *   node bench/probe/d1-probe.mjs [rounds=5] [requests per variant and round=150] [extra organizations=20]
 *   env: PROBE_ONLY=variant,variant (besides empty, health, organizations); PROBE_KEEP_STATE=1 (reuse the D1 state)
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import os from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";
import { workerdCpuMs } from "../../scripts/proc-cpu.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const [ROUNDS = 5, PER = 150, EXTRA = 20] = process.argv.slice(2).map(Number);
const STATE = join(ROOT, ".wrangler/probe-state");
const PEPPER = "bench-only-pepper-not-a-secret-0123456789";
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "true" };
process.chdir(ROOT);
if (!process.env.PROBE_KEEP_STATE) {
  rmSync(STATE, { recursive: true, force: true });
  execFileSync(process.execPath, [join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE], { env, stdio: "ignore" });
  execFileSync(process.execPath, [join(ROOT, "scripts/seed.mjs"), "--persist-to", STATE, "--pepper", PEPPER], { env, stdio: "ignore" });
}

const port = 8864;
const plain = (value) => ({ type: "plain_text", value });
const worker = await unstable_startWorker({
  config: join(ROOT, "wrangler.toml"),
  entrypoint: join(ROOT, "bench/probe/d1-probe.worker.ts"),
  bindings: { PASSWORD_PEPPER: plain(PEPPER), SECRETS_KEY: plain("YmVuY2gtb25seS1zZWNyZXRzLWtleS0zMi1ieXRlcyE="), APP_ENV: plain("test"), PUBLIC_ORIGIN: plain(`http://localhost:${port}`) },
  dev: { server: { hostname: "127.0.0.1", port }, inspector: false, persist: STATE, logLevel: "error", watch: false },
  sendMetrics: false,
});
await worker.ready;
const origin = `http://localhost:${port}`;
try {
  const post = (path, body) => fetch(`${origin}${path}`, { method: "POST", headers: { "content-type": "application/json", origin }, body: JSON.stringify(body) });
  if (EXTRA > 0) {
    const at = Date.UTC(2026, 0, 5, 9);
    await (await post("/api/__probe/exec", Array.from({ length: EXTRA }, (_, i) => ({
      sql: "INSERT OR IGNORE INTO organizations (id, kind, name, status, country, city, phone, email, time_zone, created_at, updated_at) VALUES (?, 'customer', ?, 'active', 'DE', 'Berlin', '+4930555000', 'it@probe.example', 'Europe/Berlin', ?, ?)",
      params: [`org_probe${String(i).padStart(3, "0")}`, `Probe Customer ${String(i).padStart(3, "0")}`, at, at],
    })))).text();
  }
  const login = await post("/api/auth/login", { email: "admin@cumulus.example", password: "Cumulus-Admin-2026" });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  await (await fetch(`${origin}/api/organizations?pageSize=25`, { headers: { cookie } })).text(); // resolves, remembers
  const captured = await (await fetch(`${origin}/api/__probe/capture`, { headers: { cookie } })).json();
  const read = captured.find((s) => /from "organizations"/i.test(s.sql));
  // The check column as the app sends it: `, EXISTS (SELECT 1 FROM sessions …) AS "cN"`, its parameters first
  // (the organizations select list has none of its own).
  const CHECK = /, EXISTS \(SELECT 1 FROM sessions[\s\S]*?\) AS "c\d+"/;
  const checkItem = read?.sql.match(CHECK)?.[0];
  if (!checkItem || /\?/.test(read.sql.slice(0, read.sql.indexOf(checkItem)))) throw new Error(`no speculative read captured: ${JSON.stringify(captured)}`);
  const checkParams = read.params.slice(0, checkItem.split("?").length - 1);
  const sessionId = checkParams[0];
  const noCheck = { sql: read.sql.replace(CHECK, ""), params: read.params.slice(checkParams.length) };
  // The check as it was before (ADR 014a, second pass): the session row as JSON, the id inlined.
  const jsonCheck = `(SELECT json_array(s.id, s.last_seen_at, s.expires_at, s.revoked_at, s.stage, s.auth_at, u.id, u.email, u.first_name, u.last_name, u.role, u.privileges, u.status, o.id, o.kind, o.name)
  FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.org_id WHERE s.id = '${sessionId}')`;
  const lastColumn = Number(checkItem.match(/"c(\d+)"$/)[1]);
  const withJsonCheck = noCheck.sql.replace(/ AS "c(\d+)" from "organizations"/i, (m) => `${m.slice(0, m.indexOf(" from"))}, ${jsonCheck} AS "c${lastColumn}" from "organizations"`);
  const drop = (re) => ({ sql: read.sql.replace(re, ""), params: read.params, mode: "raw" });
  const variants = {
    select1_raw: { sql: "SELECT 1", params: [], mode: "raw" },
    orgs_as_sent: { ...read, mode: "raw" },
    orgs_json_check: { sql: withJsonCheck, params: noCheck.params, mode: "raw" },
    orgs_no_check: { ...noCheck, mode: "raw" },
    orgs_no_window: drop(/, count\(\*\) over \(\) AS "c\d+"/),
    // The total as an uncorrelated subquery instead of a window count (the admin's filter: kind <> 'operator').
    orgs_count_subquery: { sql: read.sql.replace(/count\(\*\) over \(\)/, `(SELECT count(*) FROM "organizations" WHERE "organizations"."kind" <> ?)`), params: ["operator", ...read.params], mode: "raw" },
    orgs_no_usercount: drop(/, \(SELECT COUNT\(\*\) FROM "users"[^)]*\) AS "c\d+"/),
    orgs_extra_cols: { sql: read.sql.replace(/"organizations"\."city" AS "c5"/, `"organizations"."city" AS "c5", "organizations"."phone" AS "x1", "organizations"."email" AS "x2", "organizations"."time_zone" AS "x3"`), params: read.params, mode: "raw" },
    ids_only: { sql: noCheck.sql.replace(/^select [\s\S]*? from "organizations"/i, 'select "organizations"."id" from "organizations"'), params: noCheck.params, mode: "raw" },
  };
  for (const [k, v] of Object.entries(variants)) if (k !== "select1_raw" && k !== "orgs_as_sent" && v.sql === read.sql) throw new Error(`variant ${k} did not change the statement`);
  await (await post("/api/__probe/variants", variants)).text();
  const only = process.env.PROBE_ONLY?.split(",");
  const paths = {
    empty: "/api/__probe/empty",
    health: "/api/health",
    health_signed_in: "/api/health",
    organizations: "/api/organizations?pageSize=25",
    ...Object.fromEntries(Object.keys(variants).map((k) => [k, `/api/__probe/${k}`])),
  };
  if (only) for (const k of Object.keys(paths)) if (!["empty", "health", "organizations", ...only].includes(k)) delete paths[k];
  // /api/health as the benchmark sends it (no cookie); signed in, it checks the session alone (one D1 call).
  const headersOf = (k) => (k === "health" ? {} : { cookie });
  for (const [k, p] of Object.entries(paths)) {
    const res = await fetch(`${origin}${p}`, { headers: headersOf(k) });
    const body = await res.text();
    if (!res.ok) throw new Error(`${k}: ${res.status} ${body.slice(0, 300)}`);
    console.error(`${k}: ${body.length > 40 ? `${body.length} bytes` : `${body} rows`}`);
  }
  const cpu = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  const loadBefore = os.loadavg()[0];
  for (let r = 0; r < ROUNDS; r++) {
    // A different order each round, so no path always follows the same one.
    for (const [k, p] of Object.entries(paths).sort(() => Math.random() - 0.5)) {
      const headers = headersOf(k);
      for (let i = 0; i < 10; i++) await (await fetch(`${origin}${p}`, { headers })).arrayBuffer();
      const before = workerdCpuMs();
      for (let i = 0; i < PER; i++) await (await fetch(`${origin}${p}`, { headers })).arrayBuffer();
      cpu[k].push((workerdCpuMs() - before) / PER);
    }
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const health = median(cpu.health);
  console.log(`rounds ${ROUNDS} × ${PER} requests per path; load average ${loadBefore.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`);
  console.log("| path | workerd CPU ms/request (median of rounds) | × health |");
  console.log("|---|---|---|");
  for (const k of Object.keys(paths)) console.log(`| ${k} | ${median(cpu[k]).toFixed(2)} | ${(median(cpu[k]) / health).toFixed(2)} |`);
  console.error(read.sql);
} finally {
  await worker.dispose();
}
