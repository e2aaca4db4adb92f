/**
 * Per-request setup: request id, validated configuration and services (db, clock). A bad environment is
 * refused here with BAD_ENVIRONMENT before any route runs.
 */
import { createMiddleware } from "hono/factory";
import { configFor, type AppEnv } from "../env";
import { createDb } from "../db/client";
import { newRequestId } from "../db/ids";
import { DomainError } from "../errors";
import { clockFor, type Clock } from "../integrations/clock";
import { syncDevClock } from "../domain/dev-clock/sync";

/** `clock` overrides the environment's clock (tests pass a movable one). */
export function servicesMiddleware(clock?: Clock) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("requestId", newRequestId());
    const result = configFor(c.env);
    if (!result.ok) {
      throw new DomainError("BAD_ENVIRONMENT", `The server is misconfigured: ${result.problems.join("; ")}`);
    }
    const db = createDb(c.env.DB);
    // The development clock's offset, loaded first (no read at all unless DEV_CLOCK=true outside production).
    if (!clock) await syncDevClock(db, result.config);
    c.set("services", { db, clock: clock ?? clockFor(result.config), config: result.config });
    await next();
    c.header("X-Request-Id", c.var.requestId);
  });
}
