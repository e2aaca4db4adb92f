/**
 * Reading a case's requests for more time (docs/decisions/018a-dunning-extensions-and-dev-clock.md): the latest
 * request of the case (`case_seq`), shown to the customer (banner, pay-only screen) and to staff (case page).
 */
import { and, desc, eq } from "drizzle-orm";
import type { ExtensionRequestView } from "../../contract/dunning";
import type { AppDb } from "../../db/client";
import { dunningExtensionRequests as x } from "../../db/schema";

export async function latestExtension(db: AppDb, orgId: string, caseSeq: number): Promise<ExtensionRequestView | null> {
  const row = await db
    .select({ id: x.id, days: x.days, reason: x.reason, status: x.status, requestedAt: x.requestedAt, requestedBy: x.requestedBy, decidedAt: x.decidedAt, until: x.until, decisionNote: x.decisionNote })
    .from(x)
    .where(and(eq(x.orgId, orgId), eq(x.caseSeq, caseSeq)))
    .orderBy(desc(x.requestedAt), desc(x.id))
    .get();
  return row ? { ...row, status: row.status as ExtensionRequestView["status"] } : null;
}

/** The open request of an organization, if any (at most one: the partial unique index). */
export async function openExtension(db: AppDb, orgId: string) {
  return db.select().from(x).where(and(eq(x.orgId, orgId), eq(x.status, "open"))).get();
}

/** Phases in which a customer may ask for more time: the banner (Warning) and the pay-only screen onwards. */
export const EXTENSION_STATES: readonly string[] = ["warning", "suspended", "delete_notice"];
