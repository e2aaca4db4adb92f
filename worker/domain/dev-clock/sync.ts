/**
 * Loads the development clock's offset from D1 at the start of an invocation (request, queue batch, cron, Durable
 * Object call), so every part of the application sees the same moved time (docs/decisions/018a-…). Does nothing,
 * and reads nothing, unless DEV_CLOCK=true outside production.
 */
import { eq } from "drizzle-orm";
import type { AppDb } from "../../db/client";
import { devClock } from "../../db/schema";
import { devClockEnabled, setDevClockOffset, type ClockConfig } from "../../integrations/clock";

export async function syncDevClock(db: AppDb, config: ClockConfig): Promise<number> {
  if (!devClockEnabled(config)) return 0;
  const row = await db.select({ offsetMs: devClock.offsetMs }).from(devClock).where(eq(devClock.id, 1)).get();
  const offset = row?.offsetMs ?? 0;
  setDevClockOffset(offset);
  return offset;
}
