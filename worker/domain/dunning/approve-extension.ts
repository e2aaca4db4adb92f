/**
 * Billing staff approve a customer's request for more time: the case is paused until the start of the day
 * `days` after today (UTC), like "Pause until…" with the request's reason; audited; the customer is emailed
 * (dunning.extension_approved). The decision is recorded first (it decides a race between two staff); the
 * organization's Durable Object is paused next, then the email goes (docs/decisions/018a-…).
 */
import type { ActorContext } from "../context";
import { formatDate } from "../email/notify";
import { decidable, recordDecision } from "./extension-decision";
import { DAY_MS } from "./policy";
import { namedCase, type NamedDunningCase } from "./cases";

export async function approveExtension(args: { ctx: ActorContext; orgId: string }): Promise<NamedDunningCase> {
  const { ctx, orgId } = args;
  const { org, c, request } = await decidable(ctx, orgId);
  const startOfToday = Math.floor(ctx.clock.now() / DAY_MS) * DAY_MS;
  const until = startOfToday + request.days * DAY_MS;
  const decision = await recordDecision(ctx, { orgId, c, request }, {
    status: "approved", until, note: null, event: "dunning.extension_approved",
    tags: { "extension.days": String(request.days), "extension.until": formatDate(until), "extension.reason": request.reason },
  });
  const after = await ctx.dunning!.pause(orgId, until, `Extension approved: ${request.reason}`);
  await decision.send();
  return namedCase(ctx, after, org.name);
}
