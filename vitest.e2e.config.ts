// E2E suite: plain Node tests that drive `wrangler dev` (started by the globalSetup) over HTTP and
// through Chromium. Reporters are chosen on the command line (scripts/test.sh), not here, so a
// developer's `npx vitest --config vitest.e2e.config.ts` prints only the default reporter.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./test/e2e/global-setup.ts"],
    // One wrangler dev and one shared database: files run one after another.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
