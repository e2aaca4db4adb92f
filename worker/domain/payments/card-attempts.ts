/**
 * Card-testing protection on Add a Card: at most CARD_ATTEMPT_LIMITS attempts per hour per organization, per
 * client IP and per card fingerprint (fixed hourly buckets, counted in one batch before any gateway call).
 */
import { atomically, rawStatement } from "../../db/atomic";
import { DomainError } from "../../errors";
import type { DomainContext } from "../context";

export const CARD_ATTEMPT_LIMITS = { org: 5, ip: 10, fingerprint: 5 } as const;
const HOUR = 3_600_000;

export async function checkCardAttempts(ctx: DomainContext, input: { orgId: string; fingerprint: string }): Promise<void> {
  const now = ctx.clock.now();
  const bucket = Math.floor(now / HOUR);
  const scopes: Array<[keyof typeof CARD_ATTEMPT_LIMITS, string]> = [["org", `org:${input.orgId}`], ["fingerprint", `fp:${input.fingerprint}`]];
  if (ctx.ip) scopes.push(["ip", `ip:${ctx.ip}`]);
  const results = await atomically(
    ctx.db,
    scopes.map(([, scope]) => rawStatement(
      "INSERT INTO card_attempts (scope, bucket, count) VALUES (?, ?, 1) ON CONFLICT (scope, bucket) DO UPDATE SET count = count + 1 RETURNING count",
      [scope, bucket],
    )),
  );
  const over = scopes.some(([kind], i) => Number((results[i]?.results?.[0] as { count?: number } | undefined)?.count ?? 0) > CARD_ATTEMPT_LIMITS[kind]);
  if (over) {
    const retryAfter = Math.ceil(((bucket + 1) * HOUR - now) / 1000);
    throw new DomainError("RATE_LIMITED", "Too many attempts to add a card. Try again later.", undefined, { "Retry-After": String(retryAfter) });
  }
}

/** Old buckets are useless after an hour (cron housekeeping). */
export async function purgeCardAttempts(ctx: Pick<DomainContext, "db" | "clock">): Promise<void> {
  await ctx.db.$client.prepare("DELETE FROM card_attempts WHERE bucket < ?").bind(Math.floor(ctx.clock.now() / HOUR) - 1).run();
}
