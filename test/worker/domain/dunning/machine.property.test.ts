/**
 * Property test of the dunning machine (promise P16): 1,000 seeded runs of a random policy and random invoices
 * and payments, driven through a faulty host (alarms retried after a throw, duplicated, late; the object
 * restarted from its stored state), compared with a simple model that walks the clock hour by hour with a
 * perfect host. A failing run prints its seed (fast-check) so it can be replayed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alarmAt, initialCase, step, type DunningCase, type DunningEffect, type DunningEvent } from "../../../../worker/domain/dunning/machine";
import type { DunningPolicy } from "../../../../worker/domain/dunning/policy";
import { noon } from "../../../clock";

const H = 3_600_000;
const DAY = 24 * H;
const ORDER = ["grace", "warning", "suspended", "delete_notice"] as const;

interface Invoice { due: number; paidAt: number | null }
interface Scenario { policy: DunningPolicy; invoices: Invoice[]; horizon: number }

function oldestUnpaid(invoices: Invoice[], t: number): number | null {
  let oldest: number | null = null;
  for (const i of invoices) if (i.paidAt === null || i.paidAt > t) oldest = oldest === null ? i.due : Math.min(oldest, i.due);
  return oldest;
}

/** The simple model: a perfect host looking at the world every half hour, with the rules of ADR 018 spelled out. */
function model(sc: Scenario, start: number) {
  const on = ORDER.filter((p) => sc.policy[p].enabled);
  const keys: string[] = [];
  let open = false, term = false, caseNo = 0, epoch = 0, anchor = 0, idx = -1, suspended = false, lastK = -1;
  const startOf = (i: number) => anchor + on.slice(0, i).reduce((d, p) => d + sc.policy[p].days * DAY, 0);
  const every = sc.policy.warningEveryDays * DAY;
  const phaseIndexAt = (t: number) => { let i = 0; while (i < on.length && t >= startOf(i + 1)) i++; return i; };
  const lift = (tag: string) => { keys.push(`${caseNo}:${tag}:unsuspend`, `${caseNo}:${tag}:reactivated`); suspended = false; };
  const kAt = (t: number, i: number) => Math.min(Math.ceil((startOf(i + 1) - startOf(i)) / every) - 1, Math.floor((Math.min(t, startOf(i + 1) - 1) - startOf(i)) / every));
  for (let t = start; t <= sc.horizon && !term && on.length; t += H / 2) {
    const oldest = oldestUnpaid(sc.invoices, t);
    const overdue = oldest !== null && oldest <= t;
    if (open && !overdue) { if (suspended) lift("end"); open = false; continue; }
    if (!open && overdue) { open = true; caseNo++; epoch = 0; anchor = oldest!; idx = -1; lastK = -1; suspended = false; }
    if (!open) continue;
    if (oldest !== anchor) {
      epoch++; anchor = oldest!;
      const target = phaseIndexAt(t);
      if (target < idx) { idx = target; if (suspended && on[idx] !== "suspended" && on[idx] !== "delete_notice") lift(String(epoch)); }
      lastK = on[idx] === "warning" ? kAt(t, idx) : -1;
    }
    while (idx < on.length && t >= startOf(idx + 1)) {
      idx++;
      const k = `${caseNo}:${epoch}:${idx < on.length ? on[idx] : "terminated"}`;
      if (idx === on.length) { keys.push(k, `${k}:email`); term = true; break; }
      if (on[idx] === "grace" || on[idx] === "delete_notice") keys.push(k);
      if (on[idx] === "suspended") { keys.push(k, `${k}:email`); suspended = true; }
      if (on[idx] === "warning") { lastK = kAt(t, idx); keys.push(`${k}:${lastK}`); }
    }
    if (!term && on[idx] === "warning" && kAt(t, idx) > lastK) { lastK = kAt(t, idx); keys.push(`${caseNo}:${epoch}:warning:${lastK}`); }
  }
  const state = term ? "terminated" : open ? on[idx]! : "current";
  return { keys, state };
}

interface Faults { throwP: number; dupP: number; restartP: number; maxLateH: number }

/** The Durable Object's way of hosting the machine, with at-least-once alarms and restarts. */
function faultyHost(sc: Scenario, start: number, faults: Faults, rnd: () => number) {
  let stored = JSON.stringify(initialCase(start - DAY));
  const outbox = new Set<string>();
  const firstSeen: string[] = [];
  let terminatedWhileOverdue: boolean | null = null;
  const emit = (fx: DunningEffect[], t: number) => {
    for (const e of fx) {
      if (e.kind === "terminate") { const o = oldestUnpaid(sc.invoices, t); terminatedWhileOverdue = o !== null && o <= t; }
      if (!outbox.has(e.key)) { outbox.add(e.key); firstSeen.push(e.key); }
    }
  };
  /** One handler invocation: every step's effects reach the outbox, then the state is stored (unless it throws). */
  const invoke = (events: DunningEvent[], t: number) => {
    for (let attempt = 0; ; attempt++) {
      let c = JSON.parse(stored) as DunningCase;
      for (const ev of events) { const s = step(c, ev, t); emit(s.effects, t); c = s.next; }
      if (attempt < 8 && rnd() < faults.throwP) continue; // threw after its effects: retried
      stored = JSON.stringify(c);
      return;
    }
  };
  const balance = (t: number): DunningEvent => ({ kind: "balance", oldestUnpaidDueAt: oldestUnpaid(sc.invoices, t), policy: sc.policy });
  const payments = sc.invoices.map((i) => i.paidAt).filter((x): x is number => x !== null).sort((a, b) => a - b);
  // An invoice falling due is told to the object at its due instant (the cron does it within the day in
  // production; the case is anchored on the due date either way).
  const external = [...payments, ...sc.invoices.map((i) => i.due)].sort((a, b) => a - b);
  let now = start;
  for (const te of [...external, sc.horizon]) {
    for (let guard = 0; guard < 500; guard++) {
      const due = alarmAt(JSON.parse(stored) as DunningCase);
      if (due === null || due > te || due > sc.horizon) break;
      const late = Math.floor(rnd() * faults.maxLateH * H);
      const fire = Math.max(now, due + late < te ? due + late : due);
      invoke([balance(fire), { kind: "tick" }], fire);
      if (rnd() < faults.dupP) invoke([balance(fire), { kind: "tick" }], fire);
      if (rnd() < faults.restartP) stored = JSON.stringify(JSON.parse(stored));
      now = fire;
    }
    if (te <= sc.horizon) { invoke([balance(te)], te); now = te; }
  }
  return { keys: firstSeen, state: (JSON.parse(stored) as DunningCase).state, terminatedWhileOverdue };
}

const phase = fc.record({ enabled: fc.boolean(), days: fc.integer({ min: 1, max: 10 }) });
const scenarioArb = (start: number) =>
  fc.record({
    policy: fc.record({ grace: phase, warning: phase, suspended: phase, delete_notice: phase, warningEveryDays: fc.integer({ min: 1, max: 5 }) }),
    invoices: fc.array(
      fc.record({ dueH: fc.integer({ min: 0, max: 20 * 24 }), paid: fc.option(fc.integer({ min: 0, max: 45 * 24 }), { nil: null }) }),
      { minLength: 1, maxLength: 4 },
    ),
    faults: fc.record({ throwP: fc.constantFrom(0, 0.3), dupP: fc.constantFrom(0, 0.2), restartP: fc.constantFrom(0, 0.2), maxLateH: fc.constantFrom(0, 0, 6, 72) }),
    seed: fc.integer(),
  }).map(({ policy, invoices, faults, seed }) => ({
    sc: {
      policy,
      // Due dates on whole hours, payments on half hours: the model looks every half hour and never sees a tie.
      invoices: invoices.map((i) => ({ due: start + i.dueH * H, paidAt: i.paid === null ? null : start + i.paid * H + H / 2 })),
      horizon: start + 60 * DAY,
    } satisfies Scenario,
    faults,
    seed,
  }));

function mulberry(seed: number) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

const notRepeat = (k: string) => !/:warning:\d+$/.test(k);

describe("dunning machine against a simple model (P16)", () => {
  it("1,000 random policies, payment timings and host faults: same steps, in order, same end state, no termination after payment", () => {
    const start = noon(0);
    fc.assert(
      fc.property(scenarioArb(start), ({ sc, faults, seed }) => {
        const want = model(sc, start);
        const got = faultyHost(sc, start, faults, mulberry(seed));
        expect(got.state).toBe(want.state);
        // Every step other than the repeated warning emails: exactly the model's, in the model's order.
        expect(got.keys.filter(notRepeat)).toEqual(want.keys.filter(notRepeat));
        const wantWarnings = new Set(want.keys.filter((k) => !notRepeat(k)));
        const gotWarnings = got.keys.filter((k) => !notRepeat(k));
        if (faults.maxLateH === 0) expect(gotWarnings).toEqual(want.keys.filter((k) => !notRepeat(k)));
        else for (const k of gotWarnings) expect(wantWarnings.has(k), k).toBe(true); // a late alarm sends one, not a backlog
        // Termination only ever happens while an invoice is still overdue at that instant.
        expect(got.terminatedWhileOverdue).toBe(got.state === "terminated" ? true : null);
      }),
      { numRuns: 1000 },
    );
  });
});
