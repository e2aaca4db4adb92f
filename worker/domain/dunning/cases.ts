/**
 * Billing & Reports >> Customer Billing >> Dunning: the organizations in dunning (from the D1 mirror), one
 * organization's case with its timeline, and the staff actions (pause until a date, exempt, resume), which go
 * to the organization's Durable Object (the single writer) and are audited.
 */
import { and, asc, count, eq, like, notInArray } from "drizzle-orm";
import { DomainError } from "../../errors";
import { atomically } from "../../db/atomic";
import { dunningCases, organizations } from "../../db/schema";
import { auditStatement } from "../audit/record";
import type { ActorContext, DomainContext } from "../context";
import { offsetOf } from "../paging";
import type { ExtensionRequestView } from "../../contract/dunning";
import { latestExtension } from "./extension-read";
import type { DunningCaseView } from "./mirror";
import type { DunningState } from "./policy";

export interface DunningListInput {
  state?: DunningState;
  search?: string;
  /** Include ended (current) cases. */
  all?: boolean;
  page: number;
  pageSize: number;
}

export async function listDunningCases(args: { ctx: DomainContext; input: DunningListInput }) {
  const { ctx, input } = args;
  const where = and(
    input.state ? eq(dunningCases.state, input.state) : input.all ? undefined : notInArray(dunningCases.state, ["current"]),
    input.search ? like(organizations.name, `%${input.search.replace(/[%_]/g, "")}%`) : undefined,
  );
  const [rows, totals] = await Promise.all([ctx.db
    .select({
      orgId: dunningCases.orgId, orgName: organizations.name, orgKind: organizations.kind, state: dunningCases.state, since: dunningCases.since,
      nextState: dunningCases.nextState, nextAt: dunningCases.nextAt, amountOverdueMinor: dunningCases.amountOverdueMinor, currency: dunningCases.currency,
      pausedUntil: dunningCases.pausedUntil, pauseReason: dunningCases.pauseReason,
    })
    .from(dunningCases)
    .innerJoin(organizations, eq(organizations.id, dunningCases.orgId))
    .where(where)
    .orderBy(asc(dunningCases.nextAt), asc(organizations.name), asc(dunningCases.orgId))
    .limit(input.pageSize)
    .offset(offsetOf(input))
    .all(),
  ctx.db.select({ total: count() }).from(dunningCases).innerJoin(organizations, eq(organizations.id, dunningCases.orgId)).where(where).all()]);
  return { items: rows.map((r) => ({ ...r, paused: r.pauseReason !== null })), page: input.page, pageSize: input.pageSize, total: totals[0]?.total ?? 0 };
}

function port(ctx: DomainContext) {
  if (!ctx.dunning) throw new Error("dunning port missing from the context");
  return ctx.dunning;
}

async function requireOrg(ctx: DomainContext, orgId: string) {
  const org = await ctx.db.select({ id: organizations.id, kind: organizations.kind, name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).get();
  if (!org || org.kind === "operator") throw new DomainError("NOT_FOUND", "No such organization.");
  return org;
}

/** A case as the Dunning screen shows it: with the organization's name and its latest request for more time. */
export type NamedDunningCase = DunningCaseView & { orgName: string; extension: ExtensionRequestView | null };

export async function namedCase(ctx: DomainContext, view: DunningCaseView, orgName: string): Promise<NamedDunningCase> {
  return { ...view, orgName, extension: await latestExtension(ctx.db, view.orgId, view.caseSeq) };
}

export async function getDunningCase(args: { ctx: DomainContext; orgId: string }): Promise<NamedDunningCase> {
  const org = await requireOrg(args.ctx, args.orgId);
  return namedCase(args.ctx, await port(args.ctx).getCase(args.orgId), org.name);
}

export async function pauseDunningCase(args: { ctx: ActorContext; orgId: string; input: { until: string | null; reason: string } }): Promise<NamedDunningCase> {
  const { ctx, orgId, input } = args;
  const org = await requireOrg(ctx, orgId);
  const before = await port(ctx).getCase(orgId);
  if (before.state === "current" || before.state === "terminated") throw new DomainError("NOT_IN_DUNNING", "This organization has no open dunning case.");
  const until = input.until ? Date.parse(`${input.until}T00:00:00Z`) : null;
  if (until !== null && until <= ctx.clock.now()) throw new DomainError("VALIDATION_FAILED", "Choose a date after today.", { until: "Choose a date after today." });
  const after = await port(ctx).pause(orgId, until, input.reason);
  await atomically(ctx.db, [auditStatement(ctx, {
    action: until === null ? "billing.dunning.exempted" : "billing.dunning.paused", orgId, targetType: "organization", targetId: orgId,
    before: { state: before.state, pausedUntil: before.pausedUntil, pauseReason: before.pauseReason }, after: { state: after.state, pausedUntil: input.until, pauseReason: input.reason },
  })]);
  return namedCase(ctx, after, org.name);
}

export async function resumeDunningCase(args: { ctx: ActorContext; orgId: string }): Promise<NamedDunningCase> {
  const { ctx, orgId } = args;
  const org = await requireOrg(ctx, orgId);
  const before = await port(ctx).getCase(orgId);
  if (before.pauseReason === null) throw new DomainError("NOT_PAUSED", "This case is not paused.");
  const after = await port(ctx).resume(orgId);
  await atomically(ctx.db, [auditStatement(ctx, {
    action: "billing.dunning.resumed", orgId, targetType: "organization", targetId: orgId,
    before: { pausedUntil: before.pausedUntil, pauseReason: before.pauseReason }, after: { state: after.state, nextAt: after.nextAt },
  })]);
  return namedCase(ctx, after, org.name);
}

