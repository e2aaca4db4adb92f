/**
 * OrgBilling: one SQLite-backed Durable Object per organization (`env.ORG_BILLING.getByName(orgId)`).
 * It is the single writer of the organization's dunning case; the state machine (grace → warning →
 * suspension → delete notice → termination) and its alarms arrive with the dunning issue. Today it holds
 * the case state, which every organization starts in: `current` (nothing overdue).
 */
import { DurableObject } from "cloudflare:workers";

export type DunningState = "current" | "grace" | "warning" | "suspended" | "delete_notice" | "terminated";

export interface DunningStatus {
  orgId: string;
  state: DunningState;
  since: number;
}

export class OrgBilling extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.ctx.storage.sql.exec(
        "CREATE TABLE IF NOT EXISTS dunning_case (id INTEGER PRIMARY KEY CHECK (id = 1), org_id TEXT NOT NULL, state TEXT NOT NULL, since INTEGER NOT NULL, version INTEGER NOT NULL)",
      );
    });
  }

  /** The organization's dunning status; creates the `current` case on first use. */
  async getStatus(orgId: string, now: number = Date.now()): Promise<DunningStatus> {
    const rows = this.ctx.storage.sql.exec<{ org_id: string; state: string; since: number }>("SELECT org_id, state, since FROM dunning_case WHERE id = 1").toArray();
    const row = rows[0];
    if (row) return { orgId: row.org_id, state: row.state as DunningState, since: row.since };
    this.ctx.storage.sql.exec("INSERT INTO dunning_case (id, org_id, state, since, version) VALUES (1, ?, 'current', ?, 1)", orgId, now);
    return { orgId, state: "current", since: now };
  }

  /** Alarms are at-least-once; with no case in progress there is nothing to advance. */
  override async alarm(): Promise<void> {}
}
