/**
 * Per-request setup: request id, validated configuration and services (db, clock). A bad environment is
 * refused here with BAD_ENVIRONMENT before any route runs.
 */
import { createMiddleware } from "hono/factory";
import { parseConfig, type AppEnv, type ConfigResult } from "../env";
import { createDb } from "../db/client";
import { newRequestId } from "../db/ids";
import { DomainError } from "../errors";
import { clockFor, systemClock, type Clock } from "../integrations/clock";

// Isolate cache: the env object is fixed for the life of an isolate, so validate it once, not per request.
const configCache = new WeakMap<object, ConfigResult>();

export function configFor(env: Env): ConfigResult {
  let result = configCache.get(env);
  if (!result) {
    result = parseConfig(env as unknown as Record<string, unknown>);
    configCache.set(env, result);
    if (!result.ok) console.error(`[cumulus] BAD_ENVIRONMENT: ${result.problems.join("; ")}`);
  }
  return result;
}

/** The application clock of this environment (real time, or shifted by CLOCK_OFFSET_MS outside production). */
export function envClock(env: Env): Clock {
  const result = configFor(env);
  return result.ok ? clockFor(result.config) : systemClock;
}

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
