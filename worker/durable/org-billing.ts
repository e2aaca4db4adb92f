/**
 * OrgBilling: one SQLite-backed Durable Object per organization (`env.ORG_BILLING.getByName(orgId)`), the
 * single writer of the organization's dunning case (docs/decisions/018-dunning.md). It hosts the pure machine
 * (worker/domain/dunning/machine.ts): every call reads the invoices fresh from D1, steps the machine, carries
 * out the effects (each recorded by key, so a retried or duplicated alarm repeats none), stores the case,
 * mirrors it to D1 (`dunning_cases`, newer versions only) and, last of all, sets its one alarm for the next
 * step. Only organizations in dunning hold an alarm.
 */
import { DurableObject } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { organizations } from "../db/schema";
import { systemCtx, type DomainContext } from "../domain/context";
import { syncDevClock } from "../domain/dev-clock/sync";
import { orgBalance, type OrgBalance } from "../domain/dunning/balance";
import { applyEffect, type EffectMemo } from "../domain/dunning/effects";
import { alarmAt, initialCase, step, type DunningCase, type DunningEffect, type DunningEvent } from "../domain/dunning/machine";
import { mirrorStatement, toCaseView, type DunningCaseView } from "../domain/dunning/mirror";
import { loadDunningPolicy } from "../domain/dunning/settings";
import { RECHECK_MS, settlementPending } from "../domain/dunning/settlement-check";
import { dunningPort as portOn, type DunningPort, type OrgBillingNamespace } from "../domain/dunning/port";
import type { Clock } from "../integrations/clock";
import { atomically } from "../db/atomic";

export type { DunningCaseView };

interface Stored {
  orgId: string;
  c: DunningCase;
  balance: OrgBalance;
}

export class OrgBilling extends DurableObject<Env> {
  /** Replaces the environment's clock in tests that let days pass (test/dunning-fixtures.ts); never set otherwise. */
  clockOverride: Clock | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const sqlx = this.ctx.storage.sql;
      sqlx.exec("DROP TABLE IF EXISTS dunning_case"); // the placeholder of earlier versions (state only)
      sqlx.exec("CREATE TABLE IF NOT EXISTS case_state (id INTEGER PRIMARY KEY CHECK (id = 1), org_id TEXT NOT NULL, data TEXT NOT NULL)");
      sqlx.exec("CREATE TABLE IF NOT EXISTS effects_done (key TEXT PRIMARY KEY, at INTEGER NOT NULL)");
      sqlx.exec("CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    });
  }

  /** The organization's case as it stands (no change, no alarm). */
  async getCase(orgId: string): Promise<DunningCaseView> {
    const ctx = await this.domainCtx();
    const s = this.load(orgId, ctx.clock.now());
    return toCaseView(s.orgId, s.c, s.balance);
  }

  /**
   * The one entry point for "the invoices changed" (an invoice fell due, was paid by any channel, cancelled):
   * opens, re-anchors or ends the case and catches up with any step already due.
   */
  async refresh(orgId: string): Promise<DunningCaseView> {
    return this.run(orgId, [{ kind: "tick" }]);
  }

  /** Staff: pause until a date (promise to pay, approved extension) or exempt (`until` null) with a reason. */
  async pause(orgId: string, until: number | null, reason: string): Promise<DunningCaseView> {
    return this.run(orgId, [{ kind: "pause", until, reason }]);
  }

  async resume(orgId: string): Promise<DunningCaseView> {
    return this.run(orgId, [{ kind: "resume" }]);
  }

  /** At-least-once and retried: the stored case and the effect keys make a repeat harmless. */
  override async alarm(): Promise<void> {
    const row = this.ctx.storage.sql.exec<{ org_id: string }>("SELECT org_id FROM case_state WHERE id = 1").toArray()[0];
    if (row) await this.run(row.org_id, [{ kind: "tick" }]);
  }

  /** The context of one call; the development clock's offset is loaded first (docs/decisions/018a-…). */
  private async domainCtx(): Promise<DomainContext> {
    const ctx = systemCtx(this.env, this.clockOverride ? { clock: this.clockOverride } : {});
    if (!this.clockOverride) await syncDevClock(ctx.db, ctx.config);
    return ctx;
  }


  private load(orgId: string, now: number): Stored {
    const row = this.ctx.storage.sql.exec<{ org_id: string; data: string }>("SELECT org_id, data FROM case_state WHERE id = 1").toArray()[0];
    if (row) return { orgId: row.org_id, ...(JSON.parse(row.data) as Omit<Stored, "orgId">) };
    return { orgId, c: initialCase(now), balance: { oldestUnpaidDueAt: null, amountOverdueMinor: 0, currency: null } };
  }

  private async run(orgId: string, extra: DunningEvent[]): Promise<DunningCaseView> {
    const ctx = await this.domainCtx();
    const now = ctx.clock.now();
    const stored = this.load(orgId, now);
    const [fresh, { policy }, dunnable] = await Promise.all([orgBalance(ctx.db, stored.orgId, now), loadDunningPolicy(ctx.db), this.dunnable(ctx, stored.orgId)]);
    // The operator's own organization is never dunned: to the machine it owes nothing.
    const balance: OrgBalance = dunnable ? { ...fresh, currency: fresh.currency ?? stored.balance.currency } : { oldestUnpaidDueAt: null, amountOverdueMinor: 0, currency: null };
    const first = { kind: "balance", oldestUnpaidDueAt: balance.oldestUnpaidDueAt, policy } as DunningEvent;
    let { c, effects } = stepAll(stored.c, [first, ...extra], now);
    // Termination only after a last look for a payment on its way (settlement-check.ts): if one may be, this
    // call steps without ticks (a balance event never terminates) and the object looks again RECHECK_MS later.
    let hold = false;
    if (effects.some((e) => e.kind === "terminate") && (await settlementPending(ctx, stored.orgId)).pending) {
      hold = true;
      ({ c, effects } = stepAll(stored.c, [first, ...extra.filter((e) => e.kind === "pause")], now));
    }
    for (const effect of effects) {
      if (this.done(effect.key)) continue;
      await applyEffect({ ctx, orgId: stored.orgId, c, balance, previousOverdueMinor: stored.balance.amountOverdueMinor, memo: this.memo() }, effect);
      this.ctx.storage.sql.exec("INSERT OR IGNORE INTO effects_done (key, at) VALUES (?, ?)", effect.key, now);
    }
    const changed = c.version !== stored.c.version || balance.amountOverdueMinor !== stored.balance.amountOverdueMinor;
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO case_state (id, org_id, data) VALUES (1, ?, ?)", stored.orgId, JSON.stringify({ c, balance }));
    if (changed || c.state !== "current") await atomically(ctx.db, [mirrorStatement(stored.orgId, c, balance, now)]);
    await this.arm(hold ? Math.max(alarmAt(c) ?? 0, now + RECHECK_MS) : alarmAt(c), now);
    return toCaseView(stored.orgId, c, balance);
  }

  private async dunnable(ctx: DomainContext, orgId: string): Promise<boolean> {
    const row = await ctx.db.select({ kind: organizations.kind }).from(organizations).where(eq(organizations.id, orgId)).get();
    return !!row && row.kind !== "operator";
  }

  private done(key: string): boolean {
    return this.ctx.storage.sql.exec("SELECT 1 FROM effects_done WHERE key = ?", key).toArray().length > 0;
  }

  private memo(): EffectMemo {
    const sqlx = this.ctx.storage.sql;
    return {
      get: (key) => sqlx.exec<{ value: string }>("SELECT value FROM memo WHERE key = ?", key).toArray()[0]?.value ?? null,
      put: (key, value) => void sqlx.exec("INSERT OR REPLACE INTO memo (key, value) VALUES (?, ?)", key, value),
    };
  }

  /** Last statement of every run (an early setAlarm in a handler that then throws would replace its retries). */
  private async arm(at: number | null, now: number): Promise<void> {
    if (at === null) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    // Alarms run on real time; the application clock may be shifted (development), so convert.
    const real = at - (now - Date.now());
    const current = await this.ctx.storage.getAlarm();
    if (current !== real) await this.ctx.storage.setAlarm(real);
  }
}

/** The machine over a list of events: the case after them and every effect, in order. */
function stepAll(start: DunningCase, events: DunningEvent[], now: number): { c: DunningCase; effects: DunningEffect[] } {
  let c = start;
  const effects: DunningEffect[] = [];
  for (const event of events) {
    const s = step(c, event, now);
    effects.push(...s.effects);
    c = s.next;
  }
  return { c, effects };
}

/** The DunningPort domain code uses (worker/domain/dunning/port.ts): one object per organization. */
export function dunningPort(ns: DurableObjectNamespace<OrgBilling>): DunningPort {
  return portOn(ns as unknown as OrgBillingNamespace);
}
