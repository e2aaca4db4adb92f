import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("OrgBilling durable object", () => {
  it("holds one dunning case per organization, starting in `current`, persisted across calls", async () => {
    const orgId = `org_${crypto.randomUUID()}`;
    const stub = env.ORG_BILLING.getByName(orgId);
    const first = await stub.getStatus(orgId, 1_000);
    expect(first).toEqual({ orgId, state: "current", since: 1_000 });
    const again = await stub.getStatus(orgId, 2_000);
    expect(again.since).toBe(1_000);
    const rows = await runInDurableObject(stub, (_instance, state) => state.storage.sql.exec("SELECT count(*) AS n FROM dunning_case").one());
    expect(rows.n).toBe(1);
    // Organizations are isolated: another org's object has its own case.
    const other = await env.ORG_BILLING.getByName(`org_${crypto.randomUUID()}`).getStatus("other", 5);
    expect(other.since).toBe(5);
    expect(await runDurableObjectAlarm(stub)).toBe(false); // nothing scheduled
  });
});
