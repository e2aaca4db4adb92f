/**
 * The Dunning Process policy (Billing Configurations → "Dunning Process") and the schedule it gives a case.
 * Pure: no I/O, no clock. The state machine (machine.ts) and the screens (timeline, preview) share it, so what
 * the portal shows is what the Durable Object does (docs/decisions/018-dunning.md).
 */

export const DAY_MS = 86_400_000;

/** The four phases of the manual, in order. Termination follows the last enabled one. */
export const PHASES = ["grace", "warning", "suspended", "delete_notice"] as const;
export type Phase = (typeof PHASES)[number];
export type DunningState = "current" | Phase | "terminated";

export interface PhasePolicy {
  /** "All Customer/Resellers": the phase applies to every customer and reseller; off = skipped, no effects. */
  enabled: boolean;
  /** "No of Days" (1–365 when enabled). */
  days: number;
}

export interface DunningPolicy {
  grace: PhasePolicy;
  warning: PhasePolicy;
  suspended: PhasePolicy;
  delete_notice: PhasePolicy;
  /** Warning emails repeat every this many days while the case is in Warning Notification (1–30). */
  warningEveryDays: number;
}

export const DEFAULT_DUNNING_POLICY: DunningPolicy = {
  grace: { enabled: true, days: 7 },
  warning: { enabled: true, days: 7 },
  suspended: { enabled: true, days: 14 },
  delete_notice: { enabled: true, days: 7 },
  warningEveryDays: 3,
};

/** With every phase off, dunning is off: no case opens and nothing is ever terminated (ADR 018). */
export function dunningEnabled(policy: DunningPolicy): boolean {
  return PHASES.some((p) => policy[p].enabled);
}

export interface PhaseWindow {
  phase: Phase;
  start: number;
  end: number;
}

export interface Schedule {
  windows: PhaseWindow[];
  /** When Termination falls due (end of the last enabled phase); null when dunning is off. */
  terminationAt: number | null;
}

/** The phase windows of a case whose (effective) anchor is `anchor`: enabled phases back to back. */
export function scheduleFor(policy: DunningPolicy, anchor: number): Schedule {
  const windows: PhaseWindow[] = [];
  let at = anchor;
  for (const phase of PHASES) {
    const p = policy[phase];
    if (!p.enabled) continue;
    const end = at + p.days * DAY_MS;
    windows.push({ phase, start: at, end });
    at = end;
  }
  return { windows, terminationAt: windows.length ? at : null };
}

/** Order of states along a case, for "earlier/later than" comparisons. */
export function stateRank(state: DunningState): number {
  if (state === "current") return -1;
  if (state === "terminated") return PHASES.length;
  return PHASES.indexOf(state);
}

/** Where a case anchored at `anchor` stands at `now` ("current" before the anchor). */
export function stateAt(schedule: Schedule, anchor: number, now: number): DunningState {
  if (schedule.terminationAt === null || now < anchor) return "current";
  if (now >= schedule.terminationAt) return "terminated";
  const w = schedule.windows.find((x) => now >= x.start && now < x.end);
  return w ? w.phase : "current";
}
