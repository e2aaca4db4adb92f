/**
 * Worker entry: HTTP (API + portal), queue consumers (email, dead letters) and the cron trigger.
 */
import { createApp } from "./app";
import { createDb } from "./db/client";
import { configFor } from "./middleware/services";
import { systemClock } from "./integrations/clock";
import { purgeSessions } from "./domain/auth/sessions";
import { purgeThrottle } from "./domain/auth/throttle";
import { handleEmailBatch, handleDeadLetterBatch } from "./queues/email";

export { OrgBilling } from "./durable/org-billing";

const app = createApp();

export default {
  fetch: app.fetch,

  async queue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
    if (batch.queue.endsWith("-dlq")) return handleDeadLetterBatch(batch, env, ctx);
    return handleEmailBatch(batch, env, ctx);
  },

  async scheduled(_controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    const result = configFor(env);
    if (!result.ok) throw new Error(`BAD_ENVIRONMENT: ${result.problems.join("; ")}`);
    const deps = { db: createDb(env.DB), clock: systemClock, config: result.config };
    await purgeSessions(deps);
    await purgeThrottle(deps);
  },
} satisfies ExportedHandler<Env>;
