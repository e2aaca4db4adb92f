// Billing-run benchmark: the real worker code in workerd (local SQLite-backed D1), driven by
// bench/billing-run.bench.ts. Run through `npm run bench` (scripts/bench.mjs), which passes the size.
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { TEST_SECRETS } from "../vitest.config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "../migrations"));
  return {
    plugins: [
      cloudflareTest({
        main: "./worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { TEST_MIGRATIONS: migrations, APP_ENV: "test", ...TEST_SECRETS, BENCH_SUBSCRIPTIONS: process.env.BENCH_SUBSCRIPTIONS ?? "10000", BENCH_PAGE_SIZE: process.env.BENCH_PAGE_SIZE ?? "" },
        },
      }),
    ],
    test: {
      include: ["bench/**/*.bench.ts"],
      setupFiles: ["./test/setup.ts"],
      testTimeout: 3_600_000,
      hookTimeout: 3_600_000,
    },
  };
});
