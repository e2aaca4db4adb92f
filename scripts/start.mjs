#!/usr/bin/env node
/**
 * `npm start`: the whole portal on this machine, from a fresh clone after `npm ci`.
 *
 *   1. create .dev.vars with random local secrets if it is missing
 *   2. vite build (wrangler serves dist/client as static assets)
 *   3. apply D1 migrations to the local database (.wrangler/state)
 *   4. seed demo data (scripts/seed.mjs; idempotent)
 *   5. mail catcher: SMTP 127.0.0.1:2525, inbox http://127.0.0.1:8025
 *   6. local Stripe + ADPAY sandbox on 127.0.0.1:12111 (test/fakes/stripe, ADR 016a/016b): Stripe's API for the
 *      Worker, Stripe.js at http://localhost:12111/v3/, signed webhooks to the Worker. Overridable with
 *      LOCAL_STRIPE_PORT, LOCAL_STRIPE_SECRET_KEY, LOCAL_STRIPE_PUBLISHABLE_KEY, LOCAL_STRIPE_WEBHOOK_URL
 *      ("off" for none), LOCAL_STRIPE_WEBHOOK_SECRET, LOCAL_ADPAY_MERCHANT_ID, LOCAL_ADPAY_API_KEY, LOCAL_ADPAY_SECRET
 *   7. wrangler dev on http://localhost:8787, until Ctrl+C, with its cron triggers reachable (--test-scheduled):
 *      the dunning sweep runs once it is up (so the seeded overdue organizations enter dunning through the real
 *      path, docs/decisions/018a-dunning-extensions-and-dev-clock.md) and then every 5 minutes, as deployed
 *
 * Tool output is shown only when a step fails. wrangler dev runs in its own process group and
 * the whole group is killed on exit: killing only its Node parent leaves workerd running.
 */
import { spawn, execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runnerImport } from "vite";
import { startMailCatcher } from "./mail-catcher.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PORT = 8787;
const SMTP_PORT = 2525;
const INBOX_PORT = 8025;
const STRIPE_PORT = Number(process.env.LOCAL_STRIPE_PORT ?? 12111);
const bin = (pkg, path) => join(ROOT, "node_modules", pkg, path);
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };

const say = (msg) => console.log(`• ${msg}`);

function die(msg, output = "") {
  if (output.trim()) console.error(output.trimEnd());
  console.error(`\n✗ npm start: ${msg}`);
  process.exit(1);
}

/** Runs a tool quietly; on failure prints its output and exits. */
function run(what, file, args) {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) die(`${what} failed (${err.code ?? err.signal ?? err.message})`, `${stdout}${stderr}`);
      resolve();
    });
  });
}

// 1. Local secrets. Random per clone; never used outside this machine.
const devVars = join(ROOT, ".dev.vars");
if (!existsSync(devVars)) {
  writeFileSync(
    devVars,
    [
      "# Local development only (created by npm start). Never commit; production uses `wrangler secret put`.",
      "APP_ENV=development",
      `PASSWORD_PEPPER=${randomBytes(32).toString("base64url")}`,
      `SECRETS_KEY=${randomBytes(32).toString("base64")}`,
      "SMTP_HOST=127.0.0.1",
      `SMTP_PORT=${SMTP_PORT}`,
      "SMTP_ALLOW_LOOPBACK=true",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  say("created .dev.vars with fresh local secrets");
}

if (!existsSync(bin("wrangler", "bin/wrangler.js"))) die("node_modules is missing: run `npm ci` first.");

// 2–4. Build, migrate, seed.
say("building the portal (vite build)");
await run("vite build", process.execPath, [bin("vite", "bin/vite.js"), "build", "--logLevel", "warn"]);
say("applying D1 migrations to the local database");
await run("d1 migrations apply", process.execPath, [bin("wrangler", "bin/wrangler.js"), "d1", "migrations", "apply", "DB", "--local"]);
const seedScript = join(ROOT, "scripts/seed.mjs");
if (!existsSync(seedScript)) die("scripts/seed.mjs does not exist yet, so there is no demo data to sign in with.");
say("seeding demo data");
await run("seed", process.execPath, [seedScript]);
// seed.mjs only seeds when run as a script; importing it just reads the account list.
const { DEMO_ACCOUNTS } = await import(pathToFileURL(seedScript).href);
if (!Array.isArray(DEMO_ACCOUNTS)) die("scripts/seed.mjs does not export DEMO_ACCOUNTS (an array of { role, email, password, org }).");

// 5. Mail catcher, in this process.
let catcher;
try {
  catcher = await startMailCatcher({ smtpPort: SMTP_PORT, httpPort: INBOX_PORT, dir: join(ROOT, ".mail") });
} catch (err) {
  die(`mail catcher could not start (${err.code ?? err.message}); is port ${SMTP_PORT} or ${INBOX_PORT} in use?`);
}
say(`mail catcher listening on SMTP 127.0.0.1:${SMTP_PORT}`);

// 6. Local Stripe and ADPAY sandbox, in this process (TypeScript, loaded through Vite's module runner).
const { module: localStripe } = await runnerImport(join(ROOT, "test/fakes/stripe/index.ts"), { configFile: false, logLevel: "error" });
const { LOCAL_STRIPE_KEYS, LOCAL_ADPAY_CREDENTIALS } = localStripe;
const envOr = (name, fallback) => (process.env[name] ? process.env[name] : fallback);
const webhookUrl = envOr("LOCAL_STRIPE_WEBHOOK_URL", `http://127.0.0.1:${PORT}/api/webhooks/stripe`);
let stripe;
try {
  stripe = await localStripe.startLocalStripe({
    port: STRIPE_PORT,
    secretKeys: [envOr("LOCAL_STRIPE_SECRET_KEY", LOCAL_STRIPE_KEYS.secretKey)],
    publishableKeys: [envOr("LOCAL_STRIPE_PUBLISHABLE_KEY", LOCAL_STRIPE_KEYS.publishableKey)],
    webhook: webhookUrl === "off" ? null : { url: webhookUrl, secret: envOr("LOCAL_STRIPE_WEBHOOK_SECRET", LOCAL_STRIPE_KEYS.webhookSecret) },
    adpay: {
      merchantId: envOr("LOCAL_ADPAY_MERCHANT_ID", LOCAL_ADPAY_CREDENTIALS.merchantId),
      apiKey: envOr("LOCAL_ADPAY_API_KEY", LOCAL_ADPAY_CREDENTIALS.apiKey),
      secret: envOr("LOCAL_ADPAY_SECRET", LOCAL_ADPAY_CREDENTIALS.secret),
      name: LOCAL_ADPAY_CREDENTIALS.name,
    },
  });
} catch (err) {
  await catcher.close();
  die(`local Stripe could not start (${err.code ?? err.message}); is port ${STRIPE_PORT} in use? (LOCAL_STRIPE_PORT moves it)`);
}
say(`local Stripe listening on 127.0.0.1:${stripe.port}`);

// 7. wrangler dev, detached into its own process group.
say("starting wrangler dev");
const dev = spawn(
  process.execPath,
  [bin("wrangler", "bin/wrangler.js"), "dev", "--ip", "127.0.0.1", "--port", String(PORT), "--log-level", "warn", "--show-interactive-dev-session=false",
    // The SMTP Configuration screen may point at the mail catcher (loopback); also for .dev.vars made before this existed.
    "--var", "SMTP_ALLOW_LOOPBACK:true",
    // Where the Worker finds Stripe and ADPAY (production: api.stripe.com:443 https, https://js.stripe.com/v3/).
    "--var", "STRIPE_API_HOST:127.0.0.1", "--var", `STRIPE_API_PORT:${stripe.port}`, "--var", "STRIPE_API_PROTOCOL:http",
    "--var", `STRIPE_JS_URL:${stripe.stripeJsUrl}`, "--var", `ADPAY_API_URL:${stripe.adpay.baseUrl}`,
    // The development clock a Cloud-Admin moves from the portal (refused in production; ADR 018a).
    "--var", "DEV_CLOCK:true",
    // /__scheduled runs the cron triggers (local only: wrangler dev does not fire them by itself).
    "--test-scheduled"],
  { cwd: ROOT, env, detached: true, stdio: ["ignore", "inherit", "inherit"] },
);
let stopping = false;
const killGroup = (signal) => {
  try {
    process.kill(-dev.pid, signal);
  } catch {
    // already gone
  }
};
process.on("exit", () => killGroup("SIGKILL")); // last resort; exit handlers must be synchronous
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  killGroup("SIGTERM");
  await Promise.race([new Promise((r) => dev.once("exit", r)), new Promise((r) => setTimeout(r, 5000))]);
  await catcher.close();
  await stripe.close();
  process.exit(code);
}
process.once("SIGINT", () => shutdown(0));
process.once("SIGTERM", () => shutdown(0));
dev.once("exit", (code, signal) => {
  if (stopping) return;
  console.error(`\n✗ npm start: wrangler dev exited (${signal ?? code}).`);
  void shutdown(1);
});

const deadline = Date.now() + 60_000;
for (;;) {
  const ok = await fetch(`http://127.0.0.1:${PORT}/api/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
  if (ok) break;
  if (stopping) await new Promise(() => {}); // shutdown() is exiting the process
  if (Date.now() > deadline) {
    console.error(`\n✗ npm start: http://127.0.0.1:${PORT}/api/health did not answer within 60 s.`);
    await shutdown(1);
  }
  await new Promise((r) => setTimeout(r, 300));
}

// The dunning sweep (the Worker's own cron handler): now, then on the deployed cadence.
const { DUNNING_CRON } = await runnerImport(join(ROOT, "worker/contract/dunning.ts"), { configFile: false, logLevel: "error" }).then((m) => m.module);
const runDunningCron = () =>
  fetch(`http://127.0.0.1:${PORT}/__scheduled?${new URLSearchParams({ cron: DUNNING_CRON })}`, { signal: AbortSignal.timeout(60_000) }).then(
    (r) => r.ok || console.error(`• dunning sweep answered ${r.status}`),
    (err) => console.error(`• dunning sweep failed: ${err.message}`),
  );
say("running the dunning sweep (overdue organizations enter dunning)");
await runDunningCron();
setInterval(runDunningCron, 5 * 60_000).unref();

console.log(`
Cumulus is running.

  Portal      http://localhost:${PORT}
  Mail inbox  http://127.0.0.1:${INBOX_PORT}   (every email the app sends lands here)

Local Stripe (test mode only; README "A Stripe you can run here"):
  API             ${stripe.url}   (the Worker's STRIPE_API_HOST/PORT/PROTOCOL)
  Stripe.js       ${stripe.stripeJsUrl}
  Secret key      ${stripe.keys.secretKey}
  Publishable key ${stripe.keys.publishableKey}
  Webhooks        ${stripe.webhook ? `${stripe.webhook.url}, signing secret ${stripe.webhook.secret}` : "off"}
  Try a card      ${stripe.url}/__demo/setup   (4242 4242 4242 4242, any future expiry, any CVC)

ADPAY sandbox:
  API             ${stripe.adpay.baseUrl}
  Merchant ID     ${stripe.adpay.merchantId}
  API key         ${stripe.adpay.apiKey}
  Secret          ${stripe.adpay.secret}
  Try a payment   ${stripe.url}/__demo/adpay

Demo accounts:`);
// A plain aligned table: easy to read and to copy an email or password from.
const columns = [["Role", "role"], ["Email", "email"], ["Password", "password"], ["Organization", "org"]];
const widths = columns.map(([title, key]) => Math.max(title.length, ...DEMO_ACCOUNTS.map((a) => String(a[key]).length)));
const row = (cells) => `  ${cells.map((c, i) => String(c).padEnd(widths[i])).join("   ")}`;
console.log(row(columns.map(([title]) => title)));
console.log(row(widths.map((w) => "─".repeat(w))));
for (const account of DEMO_ACCOUNTS) console.log(row(columns.map(([, key]) => account[key])));
console.log("");
console.log("Press Ctrl+C to stop.");
