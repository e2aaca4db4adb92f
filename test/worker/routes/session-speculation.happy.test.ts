/**
 * One D1 round trip per signed-in read (docs/decisions/014a-one-round-trip-reads.md): a session this isolate
 * remembers is re-checked in the same batch as the request's first read. That it never outlives the database's
 * word: session-speculation.security.test.ts; the mechanism: db/speculative.test.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { limitCheckingD1 } from "../../d1-limits";
import { createOperatorAdmin } from "../../factories";
import { signedIn, testClient } from "../../helpers";

describe("one round trip per signed-in read", () => {
  it("a remembered session and the organizations page come in ONE statement (the check as its last column)", async () => {
    const counting = limitCheckingD1(env.DB);
    const client = testClient({ env: { DB: counting.d1 as unknown as string } });
    const cookie = await signedIn(client, await createOperatorAdmin());
    expect((await client.request("GET", "/api/organizations?pageSize=5", { cookie })).status).toBe(200); // resolves and remembers
    counting.reset();
    const res = await client.request("GET", "/api/organizations?pageSize=5", { cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: unknown[]; total: number };
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.total).toBeGreaterThanOrEqual(body.items.length);
    expect(counting.usage.trips).toHaveLength(1);
    expect(counting.usage.trips[0]).toMatch(/^raw select /);
    expect(counting.usage.statements).toBe(1);
  });

  it("a read with no D1 query of its own still re-checks the session before answering", async () => {
    const counting = limitCheckingD1(env.DB);
    const client = testClient({ env: { DB: counting.d1 as unknown as string } });
    const cookie = await signedIn(client, await createOperatorAdmin());
    await client.request("GET", "/api/auth/session", { cookie });
    counting.reset();
    expect((await client.request("GET", "/api/auth/session", { cookie })).status).toBe(200);
    expect(counting.usage.trips).toHaveLength(1);
    expect(counting.usage.trips[0]).toMatch(/^first SELECT s\.id AS sessionId/);
  });
});
