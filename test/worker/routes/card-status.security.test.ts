import { beforeAll, describe, expect, it } from "vitest";
import type { CardHealth, CardStatusRow } from "../../../worker/contract/card-status";
import { issuedInvoice, savedCard } from "../../card-fixtures";
import { createUser, createWorld, type World } from "../../factories";
import { callerAs, expectAudit, expectError, testClient, type Call } from "../../helpers";

type Page = { items: CardStatusRow[]; total: number };
let w: World;
beforeAll(async () => {
  w = await createWorld();
  await savedCard(w.customerA.id, { status: "blocked" });
  await savedCard(w.customerB.id, { status: "blocked" });
  await issuedInvoice(w.customerA.id, 1_000);
  await issuedInvoice(w.customerB.id, 1_000);
});

const ids = async (call: Call, query = "") => ((await (await call("GET", `/api/billing/credit-card-status?pageSize=100${query}`)).json()) as Page).items.map((r) => r.orgId);

describe("Credit Card Status: who sees what", () => {
  it("a reseller sees its own organization and its customers only, in the list, the export and the health view", async () => {
    const reseller = await callerAs(w.resellerAUser.id);
    expect((await ids(reseller)).sort()).toEqual([w.resellerA.id, w.customerA.id].sort());
    // Another reseller's customer asked for by id is simply not there.
    expect(await ids(reseller, `&orgId=${w.customerB.id}`)).toEqual([]);
    const csv = await (await reseller("GET", "/api/billing/credit-card-status/export.csv")).text();
    expect(csv).toContain(w.customerA.name);
    expect(csv).not.toContain(w.customerB.name);
    expect(csv).not.toContain(w.direct.name);
    const health = (await (await reseller("GET", "/api/billing/credit-card-status/health")).json()) as CardHealth;
    const seen = [...health.expiring, ...health.blockedUnpaid, ...health.atRisk].map((r) => r.orgId);
    expect(seen).toContain(w.customerA.id);
    expect(seen).not.toContain(w.customerB.id);
  });

  it("customers, anonymous callers and staff without billing privileges are refused", async () => {
    const customer = await callerAs(w.customerAUser.id);
    for (const path of ["/api/billing/credit-card-status", "/api/billing/credit-card-status/export.csv", "/api/billing/credit-card-status/health"]) {
      await expectError(await customer("GET", path), 403, "FORBIDDEN");
      await expectError(await (await callerAs(w.staffNone.id))("GET", path), 403, "FORBIDDEN");
      await expectError(await testClient().request("GET", path), 401, "UNAUTHENTICATED");
    }
  });

  it("only billing.write staff may unblock: read-only staff, resellers and customers get 403 and the card stays blocked", async () => {
    const card = await savedCard(w.direct.id, { status: "blocked" });
    for (const userId of [w.staffRead.id, w.resellerAUser.id, w.directUser.id]) {
      await expectError(await (await callerAs(userId))("POST", `/api/billing/cards/${card.id}/unblock`, { reason: "let me" }), 403, "FORBIDDEN");
    }
    const admin = await callerAs(w.admin.id);
    expect((await ids(admin, `&orgId=${w.direct.id}&status=blocked`))).toEqual([w.direct.id]);
  });

  it("a replayed Unblock does nothing the second time (409, one audit row)", async () => {
    const writer = await createUser({ orgId: w.operator.id, role: "staff", privileges: ["billing.read", "billing.write"] });
    const card = await savedCard(w.resellerB.id, { status: "blocked" });
    const call = await callerAs(writer.id);
    const body = { reason: "Card replaced by the bank" };
    const [a, b] = await Promise.all([call("POST", `/api/billing/cards/${card.id}/unblock`, body), call("POST", `/api/billing/cards/${card.id}/unblock`, body)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    await expectAudit({ action: "payments.card.unblocked", targetId: card.id }, 1);
    await expectError(await call("POST", `/api/billing/cards/${card.id}/unblock`, body), 409, "CARD_NOT_BLOCKED");
  });
});
