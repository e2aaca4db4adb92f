// Invoice PDF benchmark: the real renderer in workerd with the fonts from the static assets (ASSETS binding),
// driven by bench/invoice-pdf.workerd.ts. Run through `npm run bench -- invoice_pdf` (bench/invoice-pdf.bench.mjs).
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { TEST_SECRETS } from "../vitest.config";

export default defineConfig({
  plugins: [cloudflareTest({ main: "./worker/index.ts", wrangler: { configPath: "./wrangler.toml" }, miniflare: { bindings: { APP_ENV: "test", ...TEST_SECRETS } } })],
  test: { include: ["bench/invoice-pdf.workerd.ts"], testTimeout: 600_000 },
});
