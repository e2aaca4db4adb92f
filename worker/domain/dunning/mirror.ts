/**
 * The D1 mirror of a case (`dunning_cases`) and the view the API and the portal read: state, next step and
 * its date, the amount overdue, and the timeline (past and scheduled phases with real dates). Written only by
 * the organization's Durable Object; the upsert keeps the newer version, so a delayed write never goes back.
 */
import { rawStatement, type RawStatement } from "../../db/atomic";
import type { OrgBalance } from "./balance";
import { alarmAt, caseWindows, type DunningCase } from "./machine";
import { stateRank, type DunningPolicy, type DunningState } from "./policy";

export interface TimelineEntry {
  state: Exclude<DunningState, "current">;
  at: number;
  /** past: it happened; current: the case is in it; scheduled: it will happen unless the invoices are paid. */
  status: "past" | "current" | "scheduled";
}

export interface DunningCaseView {
  orgId: string;
  state: DunningState;
  since: number;
  anchor: number | null;
  nextState: DunningState | null;
  nextAt: number | null;
  amountOverdueMinor: number;
  currency: string | null;
  suspended: boolean;
  pausedUntil: number | null;
  pauseReason: string | null;
  policy: DunningPolicy | null;
  timeline: TimelineEntry[];
  /** Which case of the organization (+1 each time one opens): extension requests belong to one. */
  caseSeq: number;
  version: number;
}

export function timeline(c: DunningCase): TimelineEntry[] {
  if (!c.policy || c.anchor === null) return [];
  const s = caseWindows(c);
  const rank = stateRank(c.state);
  const entries: TimelineEntry[] = s.windows.map((w) => ({ state: w.phase, at: w.start, status: stateRank(w.phase) < rank ? "past" : w.phase === c.state ? "current" : "scheduled" }));
  entries.push({ state: "terminated", at: s.terminationAt!, status: c.state === "terminated" ? "current" : "scheduled" });
  return entries;
}

export function toCaseView(orgId: string, c: DunningCase, balance: OrgBalance): DunningCaseView {
  const tl = timeline(c);
  const next = c.pause ? null : tl.find((e) => e.status === "scheduled") ?? null;
  return {
    orgId, state: c.state, since: c.since, anchor: c.anchor,
    nextState: next?.state ?? null, nextAt: next?.at ?? (c.pause ? alarmAt(c) : null),
    amountOverdueMinor: balance.amountOverdueMinor, currency: balance.currency, suspended: c.suspended,
    pausedUntil: c.pause?.until ?? null, pauseReason: c.pause?.reason ?? null, policy: c.policy, timeline: tl, caseSeq: c.caseSeq, version: c.version,
  };
}

export function mirrorStatement(orgId: string, c: DunningCase, balance: OrgBalance, now: number): RawStatement {
  const v = toCaseView(orgId, c, balance);
  const detail = v.policy ? JSON.stringify({ policy: v.policy, timeline: v.timeline }) : null;
  // The version orders writes; equal versions may still refresh the amount overdue (a partial payment).
  return rawStatement(
    `INSERT INTO dunning_cases (org_id, state, since, anchor, next_state, next_at, amount_overdue_minor, currency, detail, suspended, paused_until, pause_reason, case_seq, version, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (org_id) DO UPDATE SET state = excluded.state, since = excluded.since, anchor = excluded.anchor, next_state = excluded.next_state,
       next_at = excluded.next_at, amount_overdue_minor = excluded.amount_overdue_minor, currency = excluded.currency, detail = excluded.detail,
       suspended = excluded.suspended, paused_until = excluded.paused_until, pause_reason = excluded.pause_reason, case_seq = excluded.case_seq, version = excluded.version, updated_at = excluded.updated_at
     WHERE excluded.version >= dunning_cases.version`,
    [orgId, v.state, v.since, v.anchor, v.nextState, v.nextAt, v.amountOverdueMinor, v.currency, detail, v.suspended ? 1 : 0, v.pausedUntil, v.pauseReason, v.caseSeq, v.version, now],
  );
}
