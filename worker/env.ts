/**
 * Environment: bindings (generated `Env` from `wrangler types`) plus validated non-binding configuration.
 * A bad environment fails loudly: every /api request answers 500 BAD_ENVIRONMENT naming the bad keys,
 * and the error is logged once per isolate.
 */
import { z } from "zod";
import { clockFor, systemClock, type Clock } from "./integrations/clock";
import type { AppDb } from "./db/client";
import type { Principal } from "./domain/context";

const base64Key32 = z
  .string()
  .refine((v) => {
    try {
      return atob(v.replace(/-/g, "+").replace(/_/g, "/")).length === 32;
    } catch {
      return false;
    }
  }, "must be 32 bytes, base64-encoded");

export const ConfigSchema = z.object({
  APP_ENV: z.enum(["development", "test", "production"]),
  /** The origin the portal is served from; CSRF checks and cookies depend on it. */
  PUBLIC_ORIGIN: z.string().refine((v) => {
    try {
      return new URL(v).origin === v.replace(/\/$/, "");
    } catch {
      return false;
    }
  }, "must be an origin like https://billing.example.com"),
  RP_ID: z.string().min(1),
  RP_NAME: z.string().min(1),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30),
  /** HMAC key mixed into every password hash; a Worker secret. */
  PASSWORD_PEPPER: z.string().min(32, "must be at least 32 characters (a random secret)"),
  /** AES-256-GCM key encrypting secrets at rest (SMTP password, Stripe key, TOTP seeds); a Worker secret. */
  SECRETS_KEY: base64Key32,
  /** Local development / tests only: SMTP server used until an admin configures one. */
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * Local development and tests only: lets the admin's SMTP host be loopback (127.0.0.1, ::1, localhost), e.g.
   * the mail catcher of `npm start`. Refused in production (worker/domain/email/smtp-host.ts).
   */
  SMTP_ALLOW_LOOPBACK: z.enum(["true", "false"]).optional(),
  /**
   * Development and tests only: milliseconds added to the real time for every "now" the Worker sees
   * (worker/integrations/clock.ts). Refused in production.
   */
  CLOCK_OFFSET_MS: z.coerce.number().int().optional(),
  /**
   * "true": the development clock a Cloud-Admin moves from the portal (`npm start` sets it;
   * docs/decisions/018a-dunning-extensions-and-dev-clock.md). Refused in production.
   */
  DEV_CLOCK: z.enum(["true", "false"]).optional(),
  /**
   * Where stripe-node and Stripe.js are (docs/decisions/016-payments.md). Unset: Stripe's own
   * (api.stripe.com:443 https, https://js.stripe.com/v3/); `npm start` and the tests point them at the local
   * Stripe (test/fakes/stripe, ADR 016a).
   */
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(["http", "https"]).optional(),
  STRIPE_JS_URL: z.url().optional(),
  /** The ADPAY API base URL (ADR 016b); required before ADPAY can be verified or used. */
  ADPAY_API_URL: z.url().optional(),
});
export type Config = z.infer<typeof ConfigSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export function parseConfig(env: Record<string, unknown>): ConfigResult {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
  }
  const config = parsed.data;
  const problems: string[] = [];
  if (config.APP_ENV === "production") {
    if (!config.PUBLIC_ORIGIN.startsWith("https://")) problems.push("PUBLIC_ORIGIN: must use https in production");
    if (config.SMTP_HOST) problems.push("SMTP_HOST: development-only; configure SMTP in the portal in production");
    if (config.CLOCK_OFFSET_MS) problems.push("CLOCK_OFFSET_MS: development-only; production always runs on real time");
    if (config.DEV_CLOCK === "true") problems.push("DEV_CLOCK: development-only; production always runs on real time");
    if (config.STRIPE_API_PROTOCOL === "http") problems.push("STRIPE_API_PROTOCOL: http is development-only; production talks to Stripe over https");
    if (config.ADPAY_API_URL?.startsWith("http://")) problems.push("ADPAY_API_URL: must use https in production");
    if (config.SMTP_ALLOW_LOOPBACK === "true") problems.push("SMTP_ALLOW_LOOPBACK: development-only; never allow a loopback SMTP host in production");
  }
  return problems.length ? { ok: false, problems } : { ok: true, config };
}

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

export interface Services {
  db: AppDb;
  clock: Clock;
  config: Config;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    services: Services;
    principal?: Principal;
    sessionId?: string;
    sessionExpiresAt?: number;
    sessionStage?: "full" | "mfa" | "enrol";
    sessionAuthAt?: number;
  };
}
