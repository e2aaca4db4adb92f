/** Requests for more time: who may ask, who may decide, and tenancy. */
import { describe, expect, it } from "vitest";
import { openedCases } from "../../dunning-fixtures";
import { callerAs, expectError, testClient, useWorld } from "../../helpers";

const w = useWorld();
const cases = openedCases();

describe("extension request security", () => {
  it("only the operator's billing managers decide; customers, resellers and read-only staff are refused; another organization's request is untouched", async () => {
    const c = await cases.inDunning(17);
    const customer = await callerAs(c.user.id);
    expect((await customer("POST", "/api/account/dunning/extension", { days: 5, reason: "Please" })).status).toBe(201);

    // The (suspended) customer cannot approve its own request: any other write is refused while suspended.
    await expectError(await customer("POST", `/api/billing/dunning/${c.org.id}/extension/approve`), 423, "ACCOUNT_SUSPENDED");
    // Nor can a reseller, another customer or staff with "View billing" only.
    for (const who of [w.resellerAUser.id, w.customerBUser.id, w.staffRead.id, w.staffNone.id]) {
      await expectError(await (await callerAs(who))("POST", `/api/billing/dunning/${c.org.id}/extension/approve`), 403, "FORBIDDEN");
      await expectError(await (await callerAs(who))("POST", `/api/billing/dunning/${c.org.id}/extension/decline`, { reason: "no" }), 403, "FORBIDDEN");
    }
    // Another organization's user sees its own (empty) standing, never this request.
    const other = (await (await (await callerAs(w.customerBUser.id))("GET", "/api/account/dunning")).json()) as { extension: unknown; state: string };
    expect(other).toMatchObject({ state: "current", extension: null });
    // Unknown or operator organizations are 404 for staff.
    const admin = await callerAs(w.admin.id);
    await expectError(await admin("POST", "/api/billing/dunning/org_00000000000000000000000000/extension/approve"), 404, "NOT_FOUND");
    await expectError(await admin("POST", `/api/billing/dunning/${w.operator.id}/extension/approve`), 404, "NOT_FOUND");
    // The request is still open for the right people.
    const one = (await (await admin("GET", `/api/billing/dunning/${c.org.id}`)).json()) as { extension: { status: string } };
    expect(one.extension.status).toBe("open");
  });

  it("signed-out callers can neither ask nor decide", async () => {
    const client = testClient();
    await expectError(await client.request("POST", "/api/account/dunning/extension", { body: { days: 3, reason: "x" } }), 401, "UNAUTHENTICATED");
    await expectError(await client.request("POST", `/api/billing/dunning/${w.direct.id}/extension/approve`), 401, "UNAUTHENTICATED");
  });
});
