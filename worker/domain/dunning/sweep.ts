/**
 * The cron's part in dunning (every run): organizations whose oldest unpaid invoice has passed its due date
 * and that have no open case enter dunning; open cases whose step is more than 15 minutes late are woken
 * (the watchdog: an alarm whose retries ran out is re-armed). Bounded per run; the next run takes the rest.
 */
import { sql } from "drizzle-orm";
import type { AppDb } from "../../db/client";
import type { Clock } from "../../integrations/clock";
import type { DunningPort } from "./port";

export const SWEEP_LIMIT = 200;
const WATCHDOG_MS = 15 * 60_000;

/** `lateAfterMs`: how late a case's step must be to be woken (the development clock's "run now" passes 0). */
export async function dunningSweep(deps: { db: AppDb; clock: Clock; dunning: DunningPort; lateAfterMs?: number }): Promise<{ entered: number; woken: number }> {
  const now = deps.clock.now();
  const late = deps.lateAfterMs ?? WATCHDOG_MS;
  const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10);
  const entering = await deps.db.all<{ org_id: string }>(sql`
    SELECT DISTINCT i.org_id FROM invoices i JOIN organizations o ON o.id = i.org_id
    WHERE i.status = 'unpaid' AND i.due_date <= ${yesterday} AND o.kind <> 'operator'
      AND NOT EXISTS (SELECT 1 FROM dunning_cases d WHERE d.org_id = i.org_id AND d.state <> 'current')
    LIMIT ${SWEEP_LIMIT}`);
  const wake = await deps.db.all<{ org_id: string }>(sql`
    SELECT org_id FROM dunning_cases WHERE state NOT IN ('current', 'terminated') AND next_at IS NOT NULL AND next_at <= ${now - late}
    LIMIT ${SWEEP_LIMIT}`);
  for (const { org_id } of [...entering, ...wake]) await deps.dunning.refresh(org_id);
  return { entered: entering.length, woken: wake.length };
}
