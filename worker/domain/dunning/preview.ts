/**
 * "What saving would do" (Billing Configurations → Dunning Process): open cases keep the policy they started
 * with, so a new policy only decides where the overdue organizations that are not yet in a case would land
 * today. Counted per phase with the same pure schedule the Durable Objects use.
 */
import { sql } from "drizzle-orm";
import type { AppDb } from "../../db/client";
import { overdueFrom } from "./balance";
import { dunningEnabled, scheduleFor, stateAt, type DunningPolicy, type DunningState } from "./policy";

export interface DunningPreview {
  /** Organizations not yet in a case, by the state the new policy puts them in today. */
  wouldEnter: Partial<Record<DunningState, number>>;
  /** Open cases: they keep their own policy. */
  openCases: number;
}

export async function previewPolicy(db: AppDb, policy: DunningPolicy, now: number): Promise<DunningPreview> {
  const today = new Date(now).toISOString().slice(0, 10);
  const rows = await db.all<{ due: string }>(sql`
    SELECT MIN(i.due_date) AS due FROM invoices i JOIN organizations o ON o.id = i.org_id
    WHERE i.status = 'unpaid' AND o.kind <> 'operator'
      AND NOT EXISTS (SELECT 1 FROM dunning_cases d WHERE d.org_id = i.org_id AND d.state <> 'current')
    GROUP BY i.org_id HAVING MIN(i.due_date) < ${today}`);
  const open = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM dunning_cases WHERE state NOT IN ('current', 'terminated')`);
  const wouldEnter: Partial<Record<DunningState, number>> = {};
  if (dunningEnabled(policy)) {
    for (const r of rows) {
      const anchor = overdueFrom(r.due);
      const state = stateAt(scheduleFor(policy, anchor), anchor, now);
      wouldEnter[state] = (wouldEnter[state] ?? 0) + 1;
    }
  }
  return { wouldEnter, openCases: open?.n ?? 0 };
}
