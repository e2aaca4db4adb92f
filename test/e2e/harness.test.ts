/**
 * The navigation guard (docs/decisions/020-e2e-navigation-stalls.md) against a server that holds requests on
 * purpose: a held document is asked for again and the page loads, also when the page itself navigated (a form's
 * redirect); a POST is never sent twice; a server that holds every attempt still fails the test; an HTTP error is
 * not retried.
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
      if ((req.url === "/held-once" || req.url === "/back-held-once") && count === 1) return; // never answered
      if (req.url === "/held-always" || req.url === "/post-held") return;
      if (req.url === "/form") {
        const form = (action: string, label: string) => `<form method="post" action="${action}"><button>${label}</button></form>`;
        return res.writeHead(200, { "content-type": "text/html" }).end(`${form("/pay", "Pay")}${form("/post-held", "Send")}`);
      }
      if (req.url === "/pay") return res.writeHead(303, { location: "/back-held-once" }).end();
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

  test("a held document the page navigated to itself (a form's redirect) is loaded again, and logged", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const page = guardNavigations(await b.context.newPage(), 1_000);
      await page.goto(`${origin}/form`);
      await page.getByRole("button", { name: "Pay" }).click({ noWaitAfter: true });
      await page.getByRole("heading", { name: "Answered" }).waitFor({ timeout: 5_000 });
      expect(new URL(page.url()).pathname).toBe("/back-held-once");
      expect(seen.filter((u) => u === "/pay")).toHaveLength(1);
      expect(seen.filter((u) => u === "/back-held-once")).toHaveLength(2);
      expect(log.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/navigation to .*\/back-held-once started by the page was held for 1 s; pending: .*\/back-held-once/);
    } finally {
      log.mockRestore();
    }
  });

  test("a POST the page sends is never sent again, however long it is held", async () => {
    const page = guardNavigations(await b.context.newPage(), 500);
    await page.goto(`${origin}/form`);
    await page.getByRole("button", { name: "Send" }).click({ noWaitAfter: true });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(seen.filter((u) => u === "/post-held")).toHaveLength(1);
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
