/** Wallet: a replayed submit credits once; tenants see their own wallet only; only billing.write credits. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Wallet } from "../../../worker/contract/wallet";
import { ledgerTransactions, walletGrants } from "../../../worker/db/schema";
import { createOrg, db } from "../../factories";
import { expectError, expectAudit, useWorld } from "../../helpers";
import { as, day, key } from "./wallet-helpers";

const world = useWorld();

describe("wallet top-up and free credit", () => {
  it("a submit sent several times at once credits once (one transaction, one grant, one audit row)", async () => {
    const org = await createOrg();
    const me = await as(world.admin.id);
    const requestKey = key();
    const results = await Promise.all(Array.from({ length: 5 }, () => me.post(`/api/organizations/${org.id}/wallet/free-credits`, { amount: "12.34", expiresAt: day(200), requestKey })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(await db().select().from(ledgerTransactions).where(eq(ledgerTransactions.orgId, org.id))).toHaveLength(1);
    expect(await db().select().from(walletGrants).where(eq(walletGrants.orgId, org.id))).toHaveLength(1);
    await expectAudit({ orgId: org.id });
    const w = (await (await me.get(`/api/organizations/${org.id}/wallet`)).json()) as Wallet;
    expect([w.paidMinor, w.freeMinor]).toEqual([0, 1234]);
  });

  it("customers see their own wallet only; only billing.write credits", async () => {
    const customer = await as(world.customerAUser.id);
    expect((await customer.get(`/api/organizations/${world.customerA.id}/wallet`)).status).toBe(200);
    await expectError(await customer.get(`/api/organizations/${world.customerB.id}/wallet`), 404, "NOT_FOUND");
    await expectError(await customer.post(`/api/organizations/${world.customerA.id}/wallet/top-ups`, { amount: "5", requestKey: key() }), 403, "FORBIDDEN");
    const reseller = await as(world.resellerAUser.id);
    expect((await reseller.get(`/api/organizations/${world.customerA.id}/wallet`)).status).toBe(200);
    await expectError(await reseller.get(`/api/organizations/${world.customerB.id}/wallet`), 404, "NOT_FOUND");
    await expectError(await (await as(world.staffRead.id)).post(`/api/organizations/${world.customerA.id}/wallet/free-credits`, { amount: "5", requestKey: key() }), 403, "FORBIDDEN");
    await expectError(await (await as(world.staffNone.id)).get(`/api/organizations/${world.customerA.id}/wallet`), 403, "FORBIDDEN");
  });
});
