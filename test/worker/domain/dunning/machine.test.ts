import { describe, expect, it } from "vitest";
import { alarmAt, initialCase, step, type DunningCase, type DunningEffect, type DunningEvent } from "../../../../worker/domain/dunning/machine";
import { DAY_MS, PHASES, type DunningPolicy, type Phase } from "../../../../worker/domain/dunning/policy";
import { noon } from "../../../clock";

const H = 3_600_000;
const policy = (over: Partial<DunningPolicy> = {}): DunningPolicy => ({
  grace: { enabled: true, days: 5 },
  warning: { enabled: true, days: 7 },
  suspended: { enabled: true, days: 10 },
  delete_notice: { enabled: true, days: 4 },
  warningEveryDays: 3,
  ...over,
});

/** A case opened by an invoice due `anchor`, observed at `now`. */
function open(p: DunningPolicy, anchor: number, now: number) {
  return step(initialCase(anchor - DAY_MS), { kind: "balance", oldestUnpaidDueAt: anchor, policy: p }, now);
}

const kinds = (fx: DunningEffect[]) => fx.map((e) => (e.kind === "email" ? e.event : e.kind));

/** Follow the alarms until the case rests, collecting every effect (what the Durable Object would do). */
function runToEnd(c: DunningCase, p: DunningPolicy, limit = 100) {
  const all: DunningEffect[] = [];
  const states: string[] = [c.state];
  for (let i = 0, at = alarmAt(c); at !== null && i < limit; i++, at = alarmAt(c)) {
    const s = step(c, { kind: "tick" }, at);
    all.push(...s.effects);
    if (s.next.state !== c.state) states.push(s.next.state);
    c = s.next;
  }
  void p;
  return { c, all, states };
}

describe("dunning machine: opening a case", () => {
  const anchor = noon(0);

  it("opens in Grace on the oldest unpaid due date, with the overdue reminder and an alarm at the end of Grace", () => {
    const s = open(policy(), anchor, anchor + H);
    expect(s.next).toMatchObject({ state: "grace", anchor, since: anchor, caseSeq: 1, epoch: 0, version: 1 });
    expect(s.effects).toEqual([{ kind: "email", event: "dunning.overdue", key: "1:0:grace" }]);
    expect(s.alarmAt).toBe(anchor + 5 * DAY_MS);
  });

  it("opens nothing while the oldest invoice is not yet due, nothing is unpaid, or every phase is off", () => {
    const off = policy({ grace: { enabled: false, days: 5 }, warning: { enabled: false, days: 7 }, suspended: { enabled: false, days: 1 }, delete_notice: { enabled: false, days: 1 } });
    for (const [due, p] of [[anchor + H, policy()], [null, policy()], [anchor, off]] as const) {
      const s = step(initialCase(anchor), { kind: "balance", oldestUnpaidDueAt: due, policy: p }, anchor + 1);
      expect(s.next.state).toBe("current");
      expect(s.effects).toEqual([]);
      expect(s.alarmAt).toBeNull();
    }
  });

  it("an invoice already long overdue when the case opens steps through each phase in order (nothing skipped)", () => {
    const s = open(policy(), anchor, anchor + 13 * DAY_MS);
    expect(s.next.state).toBe("suspended");
    expect(kinds(s.effects)).toEqual(["dunning.overdue", "dunning.warning", "suspend", "account.suspended"]);
    expect(s.next.since).toBe(anchor + 12 * DAY_MS);
  });

  it("keeps the policy it started with: a later policy in a balance event does not change an open case", () => {
    const s = open(policy(), anchor, anchor + H);
    const again = step(s.next, { kind: "balance", oldestUnpaidDueAt: anchor, policy: policy({ grace: { enabled: true, days: 1 } }) }, anchor + 2 * DAY_MS);
    expect(again.next.policy!.grace.days).toBe(5);
    expect(again.effects).toEqual([]);
    expect(again.next.version).toBe(s.next.version);
  });
});

describe("dunning machine: phases on alarms", () => {
  const anchor = noon(1);

  it("Grace → Warning (emails every 3 days) → Suspension → Delete Notification → Termination, each exactly once", () => {
    const { c, all, states } = runToEnd(open(policy(), anchor, anchor).next, policy());
    expect(states).toEqual(["grace", "warning", "suspended", "delete_notice", "terminated"]);
    expect(all.map((e) => e.key)).toEqual([
      "1:0:warning:0", "1:0:warning:1", "1:0:warning:2",
      "1:0:suspended", "1:0:suspended:email",
      "1:0:delete_notice",
      "1:0:terminated", "1:0:terminated:email",
    ]);
    expect(kinds(all)).toEqual(["dunning.warning", "dunning.warning", "dunning.warning", "suspend", "account.suspended", "dunning.delete_notice", "terminate", "resources.terminated"]);
    expect(c).toMatchObject({ state: "terminated", since: anchor + 26 * DAY_MS });
    expect(alarmAt(c)).toBeNull();
  });

  it("a retried or duplicated alarm changes nothing and repeats no effect; an early alarm waits", () => {
    const g = open(policy(), anchor, anchor).next;
    const w = step(g, { kind: "tick" }, anchor + 5 * DAY_MS);
    expect(w.next.state).toBe("warning");
    const dup = step(w.next, { kind: "tick" }, anchor + 5 * DAY_MS + 1000);
    expect(dup.effects).toEqual([]);
    expect(dup.next.version).toBe(w.next.version);
    const early = step(g, { kind: "tick" }, anchor + 4 * DAY_MS);
    expect(early.next).toEqual(g);
    expect(early.alarmAt).toBe(anchor + 5 * DAY_MS);
  });

  it("a very late alarm steps through the phases it missed in order, sending one warning (not a backlog)", () => {
    const g = open(policy(), anchor, anchor).next;
    const late = step(g, { kind: "tick" }, anchor + 30 * DAY_MS);
    expect(kinds(late.effects)).toEqual(["dunning.warning", "suspend", "account.suspended", "dunning.delete_notice", "terminate", "resources.terminated"]);
    expect(late.next.state).toBe("terminated");
  });

  it("every combination of disabled phases: off phases take no time and have no effects; termination follows the last on", () => {
    for (let mask = 1; mask < 16; mask++) {
      const on = (i: number) => (mask & (1 << i)) !== 0;
      const p = policy({
        grace: { enabled: on(0), days: 5 },
        warning: { enabled: on(1), days: 7 },
        suspended: { enabled: on(2), days: 10 },
        delete_notice: { enabled: on(3), days: 4 },
      });
      const first = open(p, anchor, anchor);
      const { c, all, states } = runToEnd(first.next, p);
      const enabled = PHASES.filter((_, i) => on(i));
      expect(states, `mask ${mask}`).toEqual([...enabled, "terminated"]);
      const effects = kinds([...first.effects, ...all]);
      expect(effects.includes("dunning.overdue"), `mask ${mask}`).toBe(on(0));
      expect(effects.includes("dunning.warning"), `mask ${mask}`).toBe(on(1));
      expect(effects.includes("suspend"), `mask ${mask}`).toBe(on(2));
      expect(effects.includes("account.suspended"), `mask ${mask}`).toBe(on(2));
      expect(effects.includes("dunning.delete_notice"), `mask ${mask}`).toBe(on(3));
      expect(effects.filter((e) => e === "terminate")).toHaveLength(1);
      const days = (on(0) ? 5 : 0) + (on(1) ? 7 : 0) + (on(2) ? 10 : 0) + (on(3) ? 4 : 0);
      expect(c.since, `mask ${mask}`).toBe(anchor + days * DAY_MS);
    }
  });

  it("warning emails are capped inside the Warning window (a 1-day Warning sends one)", () => {
    const p = policy({ warning: { enabled: true, days: 1 }, warningEveryDays: 3 });
    const { all } = runToEnd(open(p, anchor, anchor).next, p);
    expect(kinds(all).filter((k) => k === "dunning.warning")).toHaveLength(1);
  });
});

describe("dunning machine: payments", () => {
  const anchor = noon(-2);
  const at = (c: DunningCase, days: number) => step(c, { kind: "tick" }, anchor + days * DAY_MS).next;
  const pay = (c: DunningCase, oldest: number | null, days: number) =>
    step(c, { kind: "balance", oldestUnpaidDueAt: oldest, policy: policy() }, anchor + days * DAY_MS);

  it("paying everything overdue in Grace or Warning ends the case quietly", () => {
    for (const days of [1, 6]) {
      const c = at(open(policy(), anchor, anchor).next, days);
      const s = pay(c, null, days + 0.5);
      expect(s.next).toMatchObject({ state: "current", anchor: null, policy: null, suspended: false });
      expect(s.effects).toEqual([]);
      expect(s.alarmAt).toBeNull();
    }
  });

  it("paying while suspended (or in Delete Notification) lifts the suspension at once with the reactivation email", () => {
    for (const days of [13, 23]) {
      const c = at(open(policy(), anchor, anchor).next, days);
      expect(c.suspended).toBe(true);
      const s = pay(c, null, days + 0.1);
      expect(s.effects).toEqual([
        { kind: "unsuspend", key: "1:end:unsuspend" },
        { kind: "email", event: "account.reactivated", key: "1:end:reactivated" },
      ]);
      expect(s.next.state).toBe("current");
    }
  });

  it("an invoice not yet due is not overdue: unpaid but not due ends the case", () => {
    const c = at(open(policy(), anchor, anchor).next, 6);
    expect(pay(c, anchor + 30 * DAY_MS, 6.5).next.state).toBe("current");
  });

  it("settling the oldest re-anchors on the next oldest: a suspended case moves back to where the new anchor stands", () => {
    const c = at(open(policy(), anchor, anchor).next, 14);
    const next = anchor + 8 * DAY_MS; // next oldest invoice, due 8 days after the first: 6 days overdue
    const s = pay(c, next, 14);
    expect(s.next).toMatchObject({ state: "warning", anchor: next, epoch: 1, suspended: false, since: next + 5 * DAY_MS });
    expect(s.effects).toEqual([
      { kind: "unsuspend", key: "1:1:unsuspend" },
      { kind: "email", event: "account.reactivated", key: "1:1:reactivated" },
    ]);
    // The new schedule: suspension again 12 days after the new anchor, with new keys.
    const again = step(s.next, { kind: "tick" }, next + 12 * DAY_MS);
    expect(again.effects.map((e) => e.key)).toEqual(["1:1:suspended", "1:1:suspended:email"]);
  });

  it("re-anchoring that leaves the phase unchanged only moves the schedule (no email)", () => {
    const c = at(open(policy(), anchor, anchor).next, 6);
    const s = pay(c, anchor + 1 * DAY_MS, 6);
    expect(s.next).toMatchObject({ state: "warning", epoch: 1, since: anchor + 6 * DAY_MS });
    expect(s.effects).toEqual([]);
    expect(s.alarmAt).toBe(anchor + 6 * DAY_MS + 3 * DAY_MS);
  });

  it("termination is terminal: a late payment does not reopen or change it", () => {
    const c = at(open(policy(), anchor, anchor).next, 40);
    expect(c.state).toBe("terminated");
    const s = pay(c, null, 41);
    expect(s.next).toEqual(c);
    expect(s.effects).toEqual([]);
  });

  it("a new case after a paid one gets a new sequence number, so its effects are new", () => {
    const c = pay(at(open(policy(), anchor, anchor).next, 13), null, 13.5).next;
    const reopened = pay(c, anchor + 20 * DAY_MS, 21);
    expect(reopened.next.caseSeq).toBe(2);
    expect(reopened.effects[0]!.key).toBe("2:0:grace");
  });
});

describe("dunning machine: pause and exemption", () => {
  const anchor = noon(2);
  const ev = (c: DunningCase, e: DunningEvent, days: number) => step(c, e, anchor + days * DAY_MS);

  it("a pause until a date stops the timers; the schedule resumes shifted by the time paused", () => {
    const g = open(policy(), anchor, anchor).next;
    const paused = ev(g, { kind: "pause", until: anchor + 10 * DAY_MS, reason: "Promise to pay" }, 2);
    expect(paused.alarmAt).toBe(anchor + 10 * DAY_MS);
    expect(ev(paused.next, { kind: "tick" }, 6).next).toEqual(paused.next); // a stray alarm does nothing
    const resumed = ev(paused.next, { kind: "tick" }, 10);
    expect(resumed.next).toMatchObject({ state: "grace", pause: null, shiftMs: 8 * DAY_MS });
    expect(resumed.alarmAt).toBe(anchor + 13 * DAY_MS); // 5 days of grace, 3 of them after the pause
  });

  it("an exemption (no end date) holds no alarm until staff resume it", () => {
    const w = ev(open(policy(), anchor, anchor).next, { kind: "tick" }, 5).next;
    const ex = ev(w, { kind: "pause", until: null, reason: "Key account" }, 6);
    expect(ex.alarmAt).toBeNull();
    const back = ev(ex.next, { kind: "resume" }, 16);
    expect(back.next).toMatchObject({ state: "warning", shiftMs: 10 * DAY_MS });
    expect(back.effects).toEqual([]);
  });

  it("payment still ends a paused case; a pause of an organization with no case, or ending in the past, is refused", () => {
    const g = open(policy(), anchor, anchor).next;
    const paused = ev(g, { kind: "pause", until: null, reason: "x" }, 1).next;
    expect(ev(paused, { kind: "balance", oldestUnpaidDueAt: null, policy: policy() }, 2).next).toMatchObject({ state: "current", pause: null });
    expect(ev(initialCase(anchor), { kind: "pause", until: null, reason: "x" }, 1).next.pause).toBeNull();
    expect(ev(g, { kind: "pause", until: anchor, reason: "x" }, 1).next.pause).toBeNull();
  });
});

void (null as unknown as Phase);
