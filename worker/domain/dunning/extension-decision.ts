/**
 * What approving and declining a request for more time share (approve-extension.ts, decline-extension.ts): the
 * guards (an organization in dunning with an open request of its current case) and the one batch that records
 * the decision: a conditional update open → approved|declined (a second decision loses: EXTENSION_DECIDED),
 * the audit row and the email to the customer who asked, in the outbox.
 */
import { and, eq } from "drizzle-orm";
import { abortUnlessChanged, atomically, isGuardAbort } from "../../db/atomic";
import { dunningExtensionRequests as x, organizations } from "../../db/schema";
import { DomainError } from "../../errors";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { dispatchEmails, prepareNotification } from "../email/notify";
import { EXTENSION_STATES, openExtension } from "./extension-read";
import type { DunningCaseView } from "./mirror";

export async function decidable(ctx: ActorContext, orgId: string) {
  const org = await ctx.db.select({ kind: organizations.kind, name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).get();
  if (!org || org.kind === "operator" || !ctx.dunning) throw new DomainError("NOT_FOUND", "No such organization.");
  const [c, request] = await Promise.all([ctx.dunning.getCase(orgId), openExtension(ctx.db, orgId)]);
  if (!request || request.caseSeq !== c.caseSeq) throw new DomainError("EXTENSION_DECIDED", "There is no open request for more time.");
  if (!EXTENSION_STATES.includes(c.state)) throw new DomainError("NOT_IN_DUNNING", "This organization has no open dunning case.");
  return { org, c, request };
}

export interface Decision {
  status: "approved" | "declined";
  until: number | null;
  note: string | null;
  event: "dunning.extension_approved" | "dunning.extension_declined";
  tags: Record<string, string>;
}

/** Records the decision (one batch) and returns the emails to send once the caller's side effects are done. */
export async function recordDecision(ctx: ActorContext, target: { orgId: string; c: DunningCaseView; request: { id: string; days: number; reason: string; requestedBy: string } }, d: Decision) {
  const { orgId, request } = target;
  const now = ctx.clock.now();
  const mail = await prepareNotification(ctx, { event: d.event, orgId, to: { userId: request.requestedBy }, tags: d.tags, idempotencyKey: `dunning-extension:${request.id}` });
  try {
    await atomically(ctx.db, [
      ctx.db.update(x).set({ status: d.status, decidedBy: ctx.principal.userId, decidedAt: now, until: d.until, decisionNote: d.note }).where(and(eq(x.id, request.id), eq(x.status, "open"))),
      abortUnlessChanged(),
      auditStatement(ctx, {
        action: `billing.dunning.extension_${d.status}`, orgId, targetType: "organization", targetId: orgId,
        before: { requestId: request.id, status: "open", days: request.days, reason: request.reason, state: target.c.state },
        after: { status: d.status, until: d.until === null ? null : new Date(d.until).toISOString().slice(0, 10), note: d.note },
      }),
      ...mail.statements,
    ]);
  } catch (err) {
    if (isGuardAbort(err)) throw new DomainError("EXTENSION_DECIDED", "Someone else has already decided this request.");
    throw err;
  }
  return { send: () => dispatchEmails(ctx, mail.messages) };
}
