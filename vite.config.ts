import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { buildFonts } from "./scripts/build-fonts.mjs";

export default defineConfig({
  root: "web",
  // The invoice PDF's fonts are static assets the Worker fetches through ASSETS (docs/decisions/013-invoice-documents.md).
  plugins: [solid(), { name: "invoice-fonts", apply: "build", writeBundle: () => buildFonts() }],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // Modern browsers only: no modulepreload polyfill. Group framework code in one chunk instead of many
    // tiny shared chunks (saves ~1.5 kB gz per cold load; see docs/decisions).
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // Only Solid and its router form the framework chunk every page loads. Other libraries (zod for forms that
      // validate with the shared contract schemas, the WebAuthn browser library, the QR encoder) stay in the lazy
      // chunks of the screens that use them, never in the sign-in page's first paint.
      output: { codeSplitting: { groups: [{ name: "framework", test: /node_modules[\\/](solid-js|@solidjs)[\\/]/ }] } },
    },
  },
  server: {
    port: 5173,
    proxy: {
      "/api": {
        target: "http://127.0.0.1:8787",
        // The Worker accepts state-changing requests only from its PUBLIC_ORIGIN (worker/middleware/csrf.ts):
        // requests from this dev server's own page are presented as coming from it; any other Origin passes as is.
        configure: (proxy) =>
          proxy.on("proxyReq", (req) => {
            if (req.getHeader("origin") === "http://localhost:5173") req.setHeader("origin", "http://localhost:8787");
          }),
      },
    },
  },
});
