/**
 * The development clock (docs/decisions/018a-dunning-extensions-and-dev-clock.md): every signed-in user reads the
 * application's time (the portal shows it when moved); a Cloud-Admin moves it forward by days, back to real time,
 * and runs the dunning sweep at once. In production (and wherever DEV_CLOCK is not "true") the read says
 * `enabled: false` without touching D1 and the writes answer NOT_FOUND.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { userCtx } from "../domain/context";
import { getDevClock, moveDevClock } from "../domain/dev-clock/move-clock";
import { dunningSweep } from "../domain/dunning/sweep";
import type { AppEnv } from "../env";
import { DomainError } from "../errors";
import { devClockEnabled } from "../integrations/clock";
import { json, routeGroup } from "./define";

const route = routeGroup({ tags: ["Development"] });

const ADMIN = { audience: "admin" } as const;
const DevClockSchema = z.object({ enabled: z.boolean(), now: z.number(), offsetMs: z.number().int() });
const AdvanceInput = z.object({ days: z.number({ error: "Enter a number of days." }).int("Enter whole days.").min(1, "At least 1 day.").max(60, "At most 60 days at a time.") });

const read = route.get("/api/dev/clock", { policy: { audience: "user" }, summary: "The application's time and whether the development clock is on", responses: { 200: json(DevClockSchema, "The clock") } });
const advance = route.post("/api/dev/clock/advance", { policy: ADMIN, summary: "Move the development clock forward by days (development only)", body: AdvanceInput, responses: { 200: json(DevClockSchema, "Moved") } });
const reset = route.post("/api/dev/clock/reset", { policy: ADMIN, summary: "Put the development clock back on real time (development only)", responses: { 200: json(DevClockSchema, "Reset") } });
const sweep = route.post("/api/dev/clock/dunning-sweep", { policy: ADMIN, summary: "Run the dunning sweep now, waking every case whose step is due (development only)", responses: { 200: json(z.object({ entered: z.number().int(), woken: z.number().int() }), "Swept") } });

export const devClockRoutes = new OpenAPIHono<AppEnv>()
  .openapi(read, async (c) => c.json(await getDevClock({ ctx: userCtx(c) }), 200))
  .openapi(advance, async (c) => c.json(await moveDevClock({ ctx: userCtx(c), input: c.req.valid("json") }), 200))
  .openapi(reset, async (c) => c.json(await moveDevClock({ ctx: userCtx(c), input: { reset: true } }), 200))
  .openapi(sweep, async (c) => {
    const ctx = userCtx(c);
    if (!devClockEnabled(ctx.config) || !ctx.dunning) throw new DomainError("NOT_FOUND", "The development clock is off (DEV_CLOCK).");
    // The cron's own sweep, with no watchdog slack: every case whose next step is due now is woken.
    return c.json(await dunningSweep({ db: ctx.db, clock: ctx.clock, dunning: ctx.dunning, lateAfterMs: 0 }), 200);
  });
