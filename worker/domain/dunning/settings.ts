/** The Dunning Process policy stored in D1 (one row), or the defaults until an administrator saves one. */
import { eq } from "drizzle-orm";
import type { AppDb } from "../../db/client";
import { dunningSettings } from "../../db/schema";
import { DunningPolicySchema } from "../../contract/dunning";
import { DEFAULT_DUNNING_POLICY, type DunningPolicy } from "./policy";

export async function loadDunningPolicy(db: AppDb): Promise<{ policy: DunningPolicy; updatedAt: number }> {
  const row = await db.select().from(dunningSettings).where(eq(dunningSettings.id, 1)).get();
  if (!row) return { policy: DEFAULT_DUNNING_POLICY, updatedAt: 0 };
  const parsed = DunningPolicySchema.safeParse(JSON.parse(row.policy));
  return { policy: parsed.success ? parsed.data : DEFAULT_DUNNING_POLICY, updatedAt: row.updatedAt };
}
