/** Shared by the wallet and Transaction Logs route tests: one "now" and a caller signed in at it. */
import { noon, today } from "../../clock";
import { callerAs } from "../../helpers";

/** Midday of the suite's "today" (test/clock.ts): the days in these tests are relative to it. */
export const NOW = noon(0);
export const day = (days: number) => today(days, NOW);

/** Signed in at `now` (the suite's midday unless a test says otherwise). */
export const as = (userId: string, now = NOW) => callerAs(userId, undefined, now);

/** A fresh request key (idempotency) for a top-up or a free credit. */
export const key = () => crypto.randomUUID();
