/** The signed-in user's own organization in dunning (banner and pay-only screen), read from the D1 mirror. */
import { eq } from "drizzle-orm";
import { dunningCases } from "../../db/schema";
import type { ActorContext } from "../context";
import { EXTENSION_STATES, latestExtension } from "./extension-read";
import type { TimelineEntry } from "./mirror";

export async function ownDunningStanding(args: { ctx: ActorContext }) {
  const row = await args.ctx.db.select().from(dunningCases).where(eq(dunningCases.orgId, args.ctx.principal.orgId)).get();
  const timeline: TimelineEntry[] = row?.detail ? (JSON.parse(row.detail) as { timeline: TimelineEntry[] }).timeline : [];
  const at = (state: TimelineEntry["state"]) => timeline.find((e) => e.state === state)?.at ?? null;
  const open = !!row && EXTENSION_STATES.includes(row.state);
  const extension = open ? await latestExtension(args.ctx.db, row.orgId, row.caseSeq) : null;
  return {
    state: row?.state ?? "current",
    amountOverdueMinor: row?.amountOverdueMinor ?? 0,
    currency: row?.currency ?? null,
    suspended: row?.suspended ?? false,
    nextState: row?.nextState ?? null,
    nextAt: row?.nextAt ?? null,
    suspensionAt: at("suspended"),
    terminationAt: at("terminated"),
    extension,
    canRequestExtension: open && row.pauseReason === null && extension?.status !== "open",
  };
}
