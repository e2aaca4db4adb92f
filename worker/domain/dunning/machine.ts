/**
 * The dunning state machine: (case, event, now) → (next case, effects, next alarm). Pure and deterministic,
 * so the OrgBilling Durable Object can host it and the property test can compare it with a simple model
 * (docs/decisions/018-dunning.md has the state diagram).
 *
 * - The case is anchored on the due instant of the oldest unpaid invoice; phase windows follow back to back
 *   from the anchor (disabled phases take no time and have no effects). Time spent paused moves the anchor.
 * - A tick (the alarm) steps through every boundary that has passed, one phase at a time, so a late or
 *   missed alarm never skips a phase's effects. Each effect carries a key unique to (case, anchor epoch,
 *   step): applying the same transition twice (retried or duplicated alarm) yields the same keys, and the
 *   host's outbox ignores a key it has already seen.
 * - Paying the oldest invoice re-anchors on the next oldest; the case can only move back (and leaves
 *   suspension at once); paying everything overdue ends the case. Termination is terminal.
 */
import { DAY_MS, dunningEnabled, scheduleFor, stateAt, stateRank, type DunningPolicy, type DunningState, type Phase, type PhaseWindow } from "./policy";

export interface DunningPause {
  at: number;
  /** Resume automatically at this instant; null = exempt until staff clear it. */
  until: number | null;
  reason: string;
}

export interface DunningCase {
  state: DunningState;
  /** Incremented each time a case opens; part of every effect key. */
  caseSeq: number;
  /** Incremented on every re-anchor within a case; part of every effect key. */
  epoch: number;
  /** Due instant of the oldest unpaid invoice (null when no case is open). */
  anchor: number | null;
  /** Time spent paused in this case; the schedule runs from anchor + shiftMs. */
  shiftMs: number;
  /** When the current state began (the scheduled instant, not when an alarm noticed it). */
  since: number;
  /** The policy the case started with (later configuration changes do not touch open cases). */
  policy: DunningPolicy | null;
  /** Index of the last warning email sent in this epoch (-1: none). */
  warningK: number;
  /** Suspension effects applied and not yet lifted. */
  suspended: boolean;
  pause: DunningPause | null;
  /** Incremented on every change: the D1 mirror only accepts a newer version. */
  version: number;
}

export type DunningEvent =
  /** What the invoices say now: due instant of the oldest unpaid invoice (null: nothing unpaid). */
  | { kind: "balance"; oldestUnpaidDueAt: number | null; policy: DunningPolicy }
  | { kind: "tick" }
  | { kind: "pause"; until: number | null; reason: string }
  | { kind: "resume" };

export type DunningEmailEvent = "dunning.overdue" | "dunning.warning" | "account.suspended" | "dunning.delete_notice" | "resources.terminated" | "account.reactivated";

export type DunningEffect =
  | { kind: "email"; event: DunningEmailEvent; key: string }
  | { kind: "suspend"; key: string }
  | { kind: "unsuspend"; key: string }
  | { kind: "terminate"; key: string };

export interface DunningStep {
  next: DunningCase;
  effects: DunningEffect[];
  /** When the host must wake the case next; null = no alarm (current, terminated, exempt). */
  alarmAt: number | null;
}

export function initialCase(now: number): DunningCase {
  return { state: "current", caseSeq: 0, epoch: 0, anchor: null, shiftMs: 0, since: now, policy: null, warningK: -1, suspended: false, pause: null, version: 0 };
}

/** The windows of an open case (anchor moved by the time it spent paused). */
export function caseWindows(c: DunningCase): { windows: PhaseWindow[]; terminationAt: number | null; anchor: number } {
  const anchor = (c.anchor ?? 0) + c.shiftMs;
  return { ...scheduleFor(c.policy!, anchor), anchor };
}

export function step(c: DunningCase, event: DunningEvent, now: number): DunningStep {
  const effects: DunningEffect[] = [];
  const next = apply({ ...c }, event, now, effects);
  const changed = JSON.stringify(next) !== JSON.stringify(c);
  if (changed) next.version = c.version + 1;
  return { next, effects, alarmAt: alarmAt(next) };
}

function apply(c: DunningCase, event: DunningEvent, now: number, fx: DunningEffect[]): DunningCase {
  if (c.state === "terminated") return c;
  switch (event.kind) {
    case "balance":
      return onBalance(c, event.oldestUnpaidDueAt, event.policy, now, fx);
    case "tick":
      return advance(resumeIfDue(c, now), now, fx);
    case "pause":
      if (c.state === "current" || (event.until !== null && event.until <= now)) return c;
      return { ...c, pause: { at: c.pause?.at ?? now, until: event.until, reason: event.reason } };
    case "resume":
      return c.pause ? advance(unpause(c, now), now, fx) : c;
  }
}

function onBalance(c: DunningCase, oldest: number | null, policy: DunningPolicy, now: number, fx: DunningEffect[]): DunningCase {
  const overdue = oldest !== null && oldest <= now;
  if (c.state === "current") {
    if (!overdue || !dunningEnabled(policy)) return c;
    const opened: DunningCase = { ...c, caseSeq: c.caseSeq + 1, epoch: 0, anchor: oldest, shiftMs: 0, since: oldest, policy, warningK: -1, suspended: false, pause: null };
    return advance(opened, now, fx);
  }
  // Catch up first (a payment that arrives before a late alarm does not erase a step already due), but never
  // into Termination: that is decided only by a tick after a fresh look at the invoices.
  const caught = advance(c, now, fx, false);
  if (!overdue) return endCase(caught, now, fx);
  if (oldest === caught.anchor) return caught;
  return advance(reanchor(caught, oldest, now, fx), now, fx);
}

/** Everything overdue is paid: back to `current`, lifting a suspension. */
function endCase(c: DunningCase, now: number, fx: DunningEffect[]): DunningCase {
  if (c.suspended) lift(`${c.caseSeq}:end`, fx);
  return { ...c, state: "current", anchor: null, shiftMs: 0, since: now, policy: null, warningK: -1, suspended: false, pause: null };
}

function lift(prefix: string, fx: DunningEffect[]): void {
  fx.push({ kind: "unsuspend", key: `${prefix}:unsuspend` }, { kind: "email", event: "account.reactivated", key: `${prefix}:reactivated` });
}

/** The oldest invoice was settled: the schedule restarts from the next oldest; the case never moves forward here. */
function reanchor(c: DunningCase, anchor: number, now: number, fx: DunningEffect[]): DunningCase {
  const moved: DunningCase = { ...c, epoch: c.epoch + 1, anchor };
  const s = caseWindows(moved);
  const at = c.pause ? c.pause.at : now;
  // Never back to `current` while something is overdue: at least the first enabled phase.
  const target = stateAt(s, s.anchor, Math.max(at, s.anchor));
  if (stateRank(target) >= stateRank(c.state)) {
    // Same phase (or a later one, which the following advance() enters): the phase now began at the new anchor's time.
    const same: DunningCase = { ...moved, since: windowOf(moved, c.state as Phase).start };
    return c.state === "warning" ? { ...same, warningK: warningIndex(same, at) } : same;
  }
  const back: DunningCase = { ...moved, state: target, since: windowOf(moved, target as Phase).start };
  if (c.suspended && target !== "suspended" && target !== "delete_notice") {
    lift(`${c.caseSeq}:${moved.epoch}`, fx);
    back.suspended = false;
  }
  return { ...back, warningK: target === "warning" ? warningIndex(back, at) : -1 };
}

function resumeIfDue(c: DunningCase, now: number): DunningCase {
  return c.pause && c.pause.until !== null && now >= c.pause.until ? unpause(c, c.pause.until) : c;
}

function unpause(c: DunningCase, at: number): DunningCase {
  return { ...c, shiftMs: c.shiftMs + Math.max(0, at - c.pause!.at), pause: null };
}

/** Step through every boundary passed by `now`, applying each entered phase's effects in order. */
function advance(c: DunningCase, now: number, fx: DunningEffect[], mayTerminate = true): DunningCase {
  if (c.state === "current" && c.anchor === null) return c;
  if (c.pause) return c;
  let cur = c;
  const s = caseWindows(cur);
  const target = stateAt(s, s.anchor, now);
  while (stateRank(cur.state) < stateRank(target)) {
    const next = nextState(cur);
    if (next === "terminated" && !mayTerminate) break;
    cur = enter(cur, next, now, fx);
  }
  return cur.state === "warning" ? repeatWarning(cur, now, fx) : cur;
}

function nextState(c: DunningCase): Phase | "terminated" {
  const { windows } = caseWindows(c);
  const w = windows.find((x) => stateRank(x.phase) > stateRank(c.state));
  return w ? w.phase : "terminated";
}

function windowOf(c: DunningCase, phase: Phase): PhaseWindow {
  return caseWindows(c).windows.find((w) => w.phase === phase)!;
}

function enter(c: DunningCase, state: Phase | "terminated", now: number, fx: DunningEffect[]): DunningCase {
  const key = `${c.caseSeq}:${c.epoch}:${state}`;
  if (state === "terminated") {
    fx.push({ kind: "terminate", key }, { kind: "email", event: "resources.terminated", key: `${key}:email` });
    return { ...c, state, since: caseWindows(c).terminationAt!, pause: null };
  }
  const since = windowOf(c, state).start;
  if (state === "grace") fx.push({ kind: "email", event: "dunning.overdue", key });
  if (state === "suspended") fx.push({ kind: "suspend", key }, { kind: "email", event: "account.suspended", key: `${key}:email` });
  if (state === "delete_notice") fx.push({ kind: "email", event: "dunning.delete_notice", key });
  if (state !== "warning") return { ...c, state, since, suspended: c.suspended || state === "suspended" };
  // Entering Warning sends one email, numbered by where the cadence stands (a late entry does not send a backlog).
  const entered: DunningCase = { ...c, state, since };
  const k = warningIndex(entered, now);
  fx.push({ kind: "email", event: "dunning.warning", key: `${key}:${k}` });
  return { ...entered, warningK: k };
}

/** Which warning email of the cadence is due at `at` (0 at the start of Warning), capped inside the window. */
export function warningIndex(c: DunningCase, at: number): number {
  const w = windowOf(c, "warning");
  const every = c.policy!.warningEveryDays * DAY_MS;
  const last = Math.max(0, Math.ceil((w.end - w.start) / every) - 1);
  return Math.min(last, Math.max(0, Math.floor((Math.min(at, w.end - 1) - w.start) / every)));
}

function repeatWarning(c: DunningCase, now: number, fx: DunningEffect[]): DunningCase {
  const k = warningIndex(c, now);
  if (k <= c.warningK) return c;
  fx.push({ kind: "email", event: "dunning.warning", key: `${c.caseSeq}:${c.epoch}:warning:${k}` });
  return { ...c, warningK: k };
}

/** The next instant something is due: a phase boundary, the next warning email, or the end of a pause. */
export function alarmAt(c: DunningCase): number | null {
  if (c.state === "current" || c.state === "terminated") return null;
  if (c.pause) return c.pause.until;
  const s = caseWindows(c);
  const w = s.windows.find((x) => x.phase === c.state)!;
  if (c.state !== "warning") return w.end;
  const nextWarning = w.start + (c.warningK + 1) * c.policy!.warningEveryDays * DAY_MS;
  return Math.min(w.end, nextWarning);
}
