/**
 * A customer asks for more time (the Warning banner or the pay-only screen): days (1–EXTENSION_MAX_DAYS) and a
 * reason. Allowed while the organization's case is in Warning Notification or later and not paused; one open
 * request per case (a request left open by an earlier, ended case lapses). Audited; staff decide on the case page.
 */
import { and, eq, ne } from "drizzle-orm";
import type { ExtensionRequestView } from "../../contract/dunning";
import { atomically } from "../../db/atomic";
import { newId } from "../../db/ids";
import { dunningExtensionRequests as x } from "../../db/schema";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { EXTENSION_STATES } from "./extension-read";

export async function requestExtension(args: { ctx: ActorContext; input: { days: number; reason: string } }): Promise<ExtensionRequestView> {
  const { ctx, input } = args;
  const orgId = ctx.principal.orgId;
  if (ctx.principal.orgKind === "operator" || !ctx.dunning) throw new DomainError("NOT_IN_DUNNING", "Your organization has no open dunning case.");
  const c = await ctx.dunning.getCase(orgId);
  if (!EXTENSION_STATES.includes(c.state)) throw new DomainError("NOT_IN_DUNNING", "Your organization has no overdue invoices to ask more time for.");
  if (c.pauseReason !== null) throw new DomainError("EXTENSION_NOT_AVAILABLE", "Dunning of your organization is already paused.");
  const now = ctx.clock.now();
  const row = { id: newId("extensionRequest"), orgId, caseSeq: c.caseSeq, days: input.days, reason: input.reason, status: "open", requestedBy: ctx.principal.userId, requestedAt: now };
  try {
    await atomically(ctx.db, [
      // A request left open when an earlier case ended no longer stands.
      ctx.db.update(x).set({ status: "lapsed", decidedAt: now }).where(and(eq(x.orgId, orgId), eq(x.status, "open"), ne(x.caseSeq, c.caseSeq))),
      ctx.db.insert(x).values(row),
      auditStatement(ctx, {
        action: "billing.dunning.extension_requested", orgId, targetType: "organization", targetId: orgId,
        after: { requestId: row.id, days: input.days, reason: input.reason, state: c.state },
      }),
    ]);
  } catch (err) {
    if (String(err instanceof Error ? err.message : err).includes("UNIQUE constraint failed")) {
      throw new DomainError("EXTENSION_PENDING", "Your earlier request is still waiting for a decision.");
    }
    throw err;
  }
  return { id: row.id, days: row.days, reason: row.reason, status: "open", requestedAt: now, requestedBy: row.requestedBy, decidedAt: null, until: null, decisionNote: null };
}
