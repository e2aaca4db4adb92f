/**
 * The Cloud-Admin's development clock (docs/decisions/018a-dunning-extensions-and-dev-clock.md): read it, move it
 * forward by whole days, or back to real time. Refused (NOT_FOUND) unless DEV_CLOCK=true outside production.
 * Audited; the new offset is in D1 before this isolate uses it, so the next invocation anywhere sees it too. Open
 * sessions are moved by the same amount in the same batch: moving the clock signs nobody out.
 */
import { atomically, rawStatement } from "../../db/atomic";
import { DomainError } from "../../errors";
import { devClockEnabled, setDevClockOffset } from "../../integrations/clock";
import { auditStatement } from "../audit/record";
import type { ActorContext, DomainContext } from "../context";
import { syncDevClock } from "./sync";

const DAY_MS = 86_400_000;

export interface DevClockView {
  enabled: boolean;
  /** The application's time now (ms). */
  now: number;
  /** How far the development clock is ahead of real time (ms; 0 when not moved or disabled). */
  offsetMs: number;
}

export async function getDevClock(args: { ctx: DomainContext }): Promise<DevClockView> {
  const { ctx } = args;
  if (!devClockEnabled(ctx.config)) return { enabled: false, now: ctx.clock.now(), offsetMs: 0 };
  const offsetMs = await syncDevClock(ctx.db, ctx.config);
  return { enabled: true, now: ctx.clock.now(), offsetMs };
}

/** `days` forward (0 with `reset`: back to real time). */
export async function moveDevClock(args: { ctx: ActorContext; input: { days: number } | { reset: true } }): Promise<DevClockView> {
  const { ctx, input } = args;
  if (!devClockEnabled(ctx.config)) throw new DomainError("NOT_FOUND", "The development clock is off (DEV_CLOCK).");
  const before = await syncDevClock(ctx.db, ctx.config);
  const after = "reset" in input ? 0 : before + input.days * DAY_MS;
  const at = Date.now();
  await atomically(ctx.db, [
    // Open sessions move with the clock, so moving it signs nobody out (idle and absolute expiry are app time).
    rawStatement(`UPDATE sessions SET created_at = created_at + ?1, last_seen_at = last_seen_at + ?1, expires_at = expires_at + ?1, auth_at = auth_at + ?1 WHERE revoked_at IS NULL`, [after - before]),
    rawStatement(`INSERT INTO dev_clock (id, offset_ms, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET offset_ms = excluded.offset_ms, updated_at = excluded.updated_at`, [after, at]),
    auditStatement(ctx, { action: "dev.clock.moved", orgId: null, targetType: "dev_clock", targetId: null, before: { offsetDays: before / DAY_MS }, after: { offsetDays: after / DAY_MS } }),
  ]);
  setDevClockOffset(after);
  return { enabled: true, now: ctx.clock.now(), offsetMs: after };
}
