/** Credit Card Settings, security: Cloud-Admin or billing.write to save, billing.read to look; nobody else. */
import { beforeAll, describe, it } from "vitest";
import { createWorld, type World } from "../../factories";
import { callerAs, expectError, testClient } from "../../helpers";
import { cardSettingsInput } from "./payment-helpers";

let world: World;
beforeAll(async () => {
  world = await createWorld();
});

describe("who may see and save Credit Card Settings", () => {
  it("customers and resellers get 403 on both", async () => {
    for (const user of [world.customerAUser, world.resellerAUser]) {
      const call = await callerAs(user.id);
      await expectError(await call("GET", "/api/billing/card-settings"), 403, "FORBIDDEN");
      await expectError(await call("PUT", "/api/billing/card-settings", cardSettingsInput({ enforceCard: true })), 403, "FORBIDDEN");
    }
  });

  it("staff with billing.read may not save; staff without billing privileges may not look", async () => {
    await expectError(await (await callerAs(world.staffRead.id))("PUT", "/api/billing/card-settings", cardSettingsInput()), 403, "FORBIDDEN");
    await expectError(await (await callerAs(world.staffNone.id))("GET", "/api/billing/card-settings"), 403, "FORBIDDEN");
  });

  it("signed out: 401", async () => {
    await expectError(await testClient().request("GET", "/api/billing/card-settings"), 401, "UNAUTHENTICATED");
  });
});
