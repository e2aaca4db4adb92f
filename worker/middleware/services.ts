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

/** `clock` overrides the environment's clock (tests pass a movable one). */
export function servicesMiddleware(clock?: Clock) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("requestId", newRequestId());
    const result = configFor(c.env);
    if (!result.ok) {
      throw new DomainError("BAD_ENVIRONMENT", `The server is misconfigured: ${result.problems.join("; ")}`);
    }
    c.set("services", { db: createDb(c.env.DB), clock: clock ?? clockFor(result.config), config: result.config });
    await next();
    c.header("X-Request-Id", c.var.requestId);
  });
}
