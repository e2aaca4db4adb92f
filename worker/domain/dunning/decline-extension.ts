/**
 * Billing staff decline a customer's request for more time, with the reason the customer is told: the case
 * runs on unchanged; audited; the customer is emailed (dunning.extension_declined) and sees it on screen.
 */
import type { ActorContext } from "../context";
import { decidable, recordDecision } from "./extension-decision";
import { namedCase, type NamedDunningCase } from "./cases";

export async function declineExtension(args: { ctx: ActorContext; orgId: string; input: { reason: string } }): Promise<NamedDunningCase> {
  const { ctx, orgId, input } = args;
  const { org, c, request } = await decidable(ctx, orgId);
  const decision = await recordDecision(ctx, { orgId, c, request }, {
    status: "declined", until: null, note: input.reason, event: "dunning.extension_declined",
    tags: { "extension.days": String(request.days), "extension.reason": request.reason, "extension.decline_reason": input.reason },
  });
  await decision.send();
  return namedCase(ctx, c, org.name);
}
