import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** Test-only secrets: never used outside the test pool. */
export const TEST_SECRETS = {
  PASSWORD_PEPPER: "test-pepper-0123456789-abcdefghijklmnopqrstuvwxyz",
  SECRETS_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
};

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
            ...TEST_SECRETS,
            SMTP_HOST: "127.0.0.1",
            SMTP_PORT: String(inject("smtpPort")),
            SMTP_ALLOW_LOOPBACK: "true",
            // Size of the throughput measurement in test/worker/email-pipeline.test.ts (scripts/bench.mjs raises it).
            EMAIL_BENCH_N: process.env.EMAIL_BENCH_N ?? "200",
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
          },
        },
      })),
    ],
    test: {
      include: ["test/worker/**/*.test.ts"],
      globalSetup: ["./test/global-setup.ts"],
      setupFiles: ["./test/setup.ts"],
    },
  };
});
