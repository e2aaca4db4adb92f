import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** Test-only secrets: never used outside the test pool. */
export const TEST_SECRETS = {
  PASSWORD_PEPPER: "test-pepper-0123456789-abcdefghijklmnopqrstuvwxyz",
  SECRETS_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
};

/**
 * `TEST_NOW=2028-02-29T12:00:00Z` runs the suite on a shifted clock: the Worker under test (CLOCK_OFFSET_MS,
 * worker/integrations/clock.ts) and the tests (test/clock.ts) both see that instant as "now".
 */
function clockOffsetMs(): string {
  const at = process.env.TEST_NOW;
  if (!at) return "0";
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`TEST_NOW is not a date: ${at}`);
  return String(ms - Date.now());
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        main: "./worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            APP_ENV: "test",
            CLOCK_OFFSET_MS: clockOffsetMs(),
            ...TEST_SECRETS,
            SMTP_HOST: "127.0.0.1",
            SMTP_PORT: String(inject("smtpPort")),
            SMTP_ALLOW_LOOPBACK: "true",
            // Size of the throughput measurement in test/worker/queues/email-pipeline.test.ts (scripts/bench.mjs raises it).
            EMAIL_BENCH_N: process.env.EMAIL_BENCH_N ?? "200",
            // Consumer invocations in flight in that measurement (bench/email.bench.mjs passes wrangler.toml's max_concurrency).
            EMAIL_BENCH_CONCURRENCY: process.env.EMAIL_BENCH_CONCURRENCY ?? "10",
            // Card flows of the PCI scan (test/worker/routes/pci-scan.security.test.ts); PCI_FLOWS=1000 for the full run.
            PCI_FLOWS: process.env.PCI_FLOWS ?? "48",
            // Charge attempts of the fault-injection test (test/worker/domain/collection/fault-injection.test.ts);
            // `npm run bench` runs 10,000 (bench/faults.bench.mjs). A seed replays a run's plan and faults.
            FAULT_INJECTION_N: process.env.FAULT_INJECTION_N ?? "150",
            FAULT_INJECTION_SEED: process.env.FAULT_INJECTION_SEED ?? "",
            // Invoices per rate limit in the pacing test (test/worker/domain/collection/pacing.test.ts; bench/pacing.bench.mjs raises it).
            PACING_N: process.env.PACING_N ?? "12",
            SMTP_CONTROL_PORT: String(inject("smtpControlPort")),
            SMTP_AUTH_PORT: String(inject("smtpAuthPort")),
            SMTP_AUTH_CONTROL_PORT: String(inject("smtpAuthControlPort")),
            SMTP_STARTTLS_PORT: String(inject("smtpStarttlsPort")),
            SMTP_STARTTLS_CONTROL_PORT: String(inject("smtpStarttlsControlPort")),
            SMTP_TLS_PORT: String(inject("smtpTlsPort")),
            SMTP_TLS_CONTROL_PORT: String(inject("smtpTlsControlPort")),
            SMTP_TEST_USER: inject("smtpUser"),
            SMTP_TEST_PASS: inject("smtpPass"),
            STRIPE_API_PORT: String(inject("stripePort")),
            STRIPE_API_HOST: "127.0.0.1",
            STRIPE_API_PROTOCOL: "http",
            STRIPE_JS_URL: `http://127.0.0.1:${inject("stripePort")}/v3/`,
            ADPAY_API_URL: `http://127.0.0.1:${inject("stripePort")}/adpay`,
          },
        },
      })),
    ],
    test: {
      include: ["test/worker/**/*.test.ts"],
      // Generous limits: a test that hangs still fails, but a busy 2-core machine (several workerd isolates,
      // first loads of pdf-lib or the WebAuthn library) does not turn slow into red.
      testTimeout: 30_000,
      hookTimeout: 60_000,
      globalSetup: ["./test/global-setup.ts"],
      setupFiles: ["./test/setup.ts"],
    },
  };
});
