/**
 * globalSetup for the E2E suite (vitest.e2e.config.ts). Runs once, in Node:
 *
 * 1. a fresh, isolated local state in .wrangler/e2e-state (never the developer's .wrangler/state);
 * 2. D1 migrations and the seed applied to it;
 * 3. an SMTP sink (plain mode) and the local Stripe + ADPAY sandbox for the app to talk to (webhooks to the app);
 * 4. `wrangler dev` in its own process group (it runs one Node and two workerd processes; killing
 *    only the parent leaves workerd behind), polled on /api/health;
 * 5. baseUrl and the fakes' ports handed to the tests with provide().
 *
 * wrangler's output goes to .ci/out/e2e-wrangler.log; its tail is printed if startup fails.
 * Requires dist/client (vite build), which `npm test` builds before this runs.
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { startSmtpSink } from "../fakes/smtp-sink";
import { startFakeStripe } from "../fakes/fake-stripe";

declare module "vitest" {
  export interface ProvidedContext {
    /** http://localhost:<port> (localhost, not 127.0.0.1: WebAuthn's RP ID must be a host name). */
    baseUrl: string;
    /** Control API of the plain SMTP sink the app sends to: GET/DELETE /messages, POST /faults. */
    smtpControlPort: number;
    /** Local Stripe the app is pointed at (ADR 016a): API and ADPAY on http://127.0.0.1:<stripePort>, control
     *  routes under /__control/. Keys: LOCAL_STRIPE_KEYS / LOCAL_ADPAY_CREDENTIALS (test/fakes/stripe/keys.ts). */
    stripePort: number;
    /** Stripe.js for pages: http://localhost:<stripePort>/v3/ (another origin than baseUrl). */
    stripeJsUrl: string;
  }
}

const ROOT = resolve(import.meta.dirname, "../..");
const STATE = ".wrangler/e2e-state";
const LOG = ".ci/out/e2e-wrangler.log";
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
/** Fixed, test-only secrets: E2E state is rebuilt from scratch every run, so nothing depends on them. */
export const E2E_PASSWORD_PEPPER = "e2e-only-pepper-not-a-secret-0123456789";
export const E2E_SECRETS_KEY = "Y3VtdWx1cy1lMmUtc2VjcmV0cy1rZXktMzJieXRlcyE="; // base64 of 32 bytes
const HEALTH_TIMEOUT_MS = 60_000;

const run = promisify(execFile);
const childEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0", CI: "true" };

async function step(what: string, file: string, args: string[]): Promise<void> {
  try {
    await run(file, args, { cwd: ROOT, env: childEnv, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`[e2e setup] ${what} failed:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const probe = createServer();
    probe.once("error", () => fail(new Error(`[e2e setup] port ${port} is in use (npm start running?). Stop it or set E2E_PORT.`)));
    probe.listen(port, "127.0.0.1", () => probe.close(() => ok()));
  });
}

/** Sends a signal to the whole process group; false once the group is gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-child.pid!, signal);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (!signalGroup(child, "SIGTERM")) return;
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && signalGroup(child, 0)) await new Promise((r) => setTimeout(r, 100));
  signalGroup(child, "SIGKILL"); // whatever is left of workerd
}

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const port = Number(process.env.E2E_PORT ?? 8787);
  const cleanups: (() => Promise<void> | void)[] = [];
  const teardown = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => {});
    cleanups.length = 0;
  };

  try {
    if (!existsSync(join(ROOT, "dist/client/index.html"))) {
      throw new Error("[e2e setup] dist/client is missing: run `npx vite build` first (npm test does).");
    }
    if (!existsSync(join(ROOT, "scripts/seed.mjs"))) throw new Error("[e2e setup] scripts/seed.mjs is missing.");
    await assertPortFree(port);

    const state = join(ROOT, STATE);
    rmSync(state, { recursive: true, force: true });
    mkdirSync(state, { recursive: true });
    await step("d1 migrations apply", process.execPath, [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE]);
    await step("seed", process.execPath, ["scripts/seed.mjs", "--persist-to", STATE, "--pepper", E2E_PASSWORD_PEPPER]);

    // Webhooks go to the Worker's endpoint, signed with LOCAL_STRIPE_KEYS.webhookSecret (what the gateway drawer is given).
    const [sink, stripe] = await Promise.all([
      startSmtpSink({ mode: "plain" }),
      startFakeStripe({ webhook: { url: `http://127.0.0.1:${port}/api/webhooks/stripe` }, delivery: { backoffMs: 200, backoffMaxMs: 2_000, maxAttempts: 6 } }),
    ]);
    cleanups.push(() => sink.close(), () => stripe.close());

    // An explicit (comment-only) env file stops wrangler from loading the developer's .dev.vars,
    // so E2E sees exactly the --var values below and nothing else.
    const envFile = join(STATE, "e2e.env");
    writeFileSync(envFile, "# E2E: all bindings come from --var (test/e2e/global-setup.ts)\n");
    const baseUrl = `http://localhost:${port}`;
    const vars = {
      APP_ENV: "test",
      PASSWORD_PEPPER: E2E_PASSWORD_PEPPER,
      SECRETS_KEY: E2E_SECRETS_KEY,
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(sink.smtpPort),
      SMTP_ALLOW_LOOPBACK: "true",
      PUBLIC_ORIGIN: baseUrl,
      STRIPE_API_HOST: "127.0.0.1",
      STRIPE_API_PORT: String(stripe.port),
      STRIPE_API_PROTOCOL: "http",
      STRIPE_JS_URL: stripe.stripeJsUrl,
      ADPAY_API_URL: stripe.adpay!.baseUrl,
      // The development clock (ADR 018a): on, as under `npm start`; only test/e2e/dev-clock.test.ts moves it (and puts it back).
      DEV_CLOCK: "true",
    };
    mkdirSync(join(ROOT, ".ci/out"), { recursive: true });
    const logFd = openSync(join(ROOT, LOG), "w");
    const args = [WRANGLER, "dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", STATE,
      "--env-file", envFile, "--log-level", "warn", "--show-interactive-dev-session=false", "--test-scheduled",
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`])];
    // detached: its own process group (setsid), so the whole tree can be signalled at once.
    const dev = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, detached: true, stdio: ["ignore", logFd, logFd] });
    closeSync(logFd); // the child holds its own copy
    let exited: string | null = null;
    dev.once("exit", (code, signal) => (exited = `exited with ${signal ?? code}`));
    // Safety net if vitest dies without running teardown: never leave workerd running.
    const onExit = () => signalGroup(dev, "SIGKILL");
    process.once("exit", onExit);
    cleanups.push(async () => {
      process.off("exit", onExit);
      await stopGroup(dev);
    });

    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    for (;;) {
      if (exited) throw new Error(`[e2e setup] wrangler dev ${exited}:\n${tail(LOG)}`);
      if (Date.now() > deadline) throw new Error(`[e2e setup] /api/health not ok after ${HEALTH_TIMEOUT_MS / 1000}s:\n${tail(LOG)}`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }

    provide("baseUrl", baseUrl);
    provide("smtpControlPort", sink.controlPort);
    provide("stripePort", stripe.port);
    provide("stripeJsUrl", stripe.stripeJsUrl);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(join(ROOT, file), "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no wrangler output)";
  }
}
