/** Transaction Logs are tenant-scoped: customers and resellers see only their own, in the list and the export. */
import { describe, expect, it } from "vitest";
import type { TransactionPage } from "../../../worker/contract/wallet";
import { csvText } from "../../csv";
import { expectError, testClient, useWorld } from "../../helpers";
import { as, key } from "./wallet-helpers";

const world = useWorld();

describe("Transaction Logs", () => {
  it("customers and resellers see only their own transactions, in the list and the export", async () => {
    const me = await as(world.admin.id);
    await me.post(`/api/organizations/${world.customerA.id}/wallet/top-ups`, { amount: "7.00", reference: "A-ONLY", requestKey: key() });
    await me.post(`/api/organizations/${world.customerB.id}/wallet/top-ups`, { amount: "8.00", reference: "B-ONLY", requestKey: key() });
    const customer = await as(world.customerAUser.id);
    const page = (await (await customer.get(`/api/transactions?pageSize=100`)).json()) as TransactionPage;
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((t) => t.org.id === world.customerA.id)).toBe(true);
    expect(page.items.every((t) => t.actor === "Operator" || t.actor === "System")).toBe(true);
    // Asking for another organization by id yields nothing, not its data.
    const sneaky = (await (await customer.get(`/api/transactions?orgId=${world.customerB.id}`)).json()) as TransactionPage;
    expect(sneaky.total).toBe(0);
    const csv = await csvText(await customer.get(`/api/transactions/export.csv`));
    expect(csv).toContain("A-ONLY");
    expect(csv).not.toContain("B-ONLY");
    const reseller = (await (await (await as(world.resellerBUser.id)).get(`/api/transactions?pageSize=100`)).json()) as TransactionPage;
    expect(reseller.items.every((t) => [world.resellerB.id, world.customerB.id].includes(t.org.id))).toBe(true);
    await expectError(await (await as(world.staffNone.id)).get(`/api/transactions`), 403, "FORBIDDEN");
    await expectError(await (await as(world.staffNone.id)).get(`/api/transactions/export.csv`), 403, "FORBIDDEN");
    await expectError(await testClient().request("GET", "/api/transactions"), 401, "UNAUTHENTICATED");
  });
});
