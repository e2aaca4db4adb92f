/**
 * The navigation guard (docs/decisions/020-e2e-navigation-stalls.md) against a server that holds requests on
 * purpose: a held document is asked for again and the page loads; a server that holds every attempt still
 * fails the test; an HTTP error is not retried.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { guardNavigations, useBrowser } from "./harness";

describe("navigation guard", () => {
  const b = useBrowser();
  let server: Server;
  let origin = "";
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url!);
      const count = seen.filter((u) => u === req.url).length;
      if (req.url === "/held-once" && count === 1) return; // never answered
      if (req.url === "/held-always") return;
      if (req.url === "/missing") return res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not here</h1>");
      res.writeHead(200, { "content-type": "text/html" }).end("<h1>Answered</h1>");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test("a held navigation is started again, logged with the pending request, and the page loads", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const page = guardNavigations(await b.context.newPage(), 1_000);
      const res = await page.goto(`${origin}/held-once`);
      expect(res?.status()).toBe(200);
      await expect(page.getByRole("heading", { name: "Answered" }).textContent()).resolves.toBe("Answered");
      expect(seen.filter((u) => u === "/held-once")).toHaveLength(2);
      expect(log.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/navigation to .*\/held-once stalled for 1 s \(attempt 1\)/);
    } finally {
      log.mockRestore();
    }
  });

  test("a server that holds every attempt still fails the navigation, after three attempts", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const page = guardNavigations(await b.context.newPage(), 1_000);
      await expect(page.goto(`${origin}/held-always`)).rejects.toThrow(/Timeout 1000ms exceeded/);
      expect(seen.filter((u) => u === "/held-always")).toHaveLength(3);
    } finally {
      log.mockRestore();
    }
  });

  test("an HTTP error is answered once and not retried", async () => {
    const page = guardNavigations(await b.context.newPage(), 1_000);
    const res = await page.goto(`${origin}/missing`);
    expect(res?.status()).toBe(404);
    expect(seen.filter((u) => u === "/missing")).toHaveLength(1);
  });
});
