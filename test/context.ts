/**
 * Domain contexts for tests that call verbs directly: the composition root's `systemCtx` (worker/domain/context.ts)
 * with an email queue that captures what the verb enqueues in `sent`, so the test can deliver it (or not).
 */
import { env } from "cloudflare:workers";
import type { EmailMessage } from "../worker/contract/messages";
import type { Clock } from "../worker/integrations/clock";
import { systemCtx, type DomainContext, type SystemOptions } from "../worker/domain/context";

export function capturingQueue<T>(sent: T[]): Queue<T> {
  return {
    send: async (m: T) => void sent.push(m),
    sendBatch: async (ms: Iterable<MessageSendRequest<T>>) => void sent.push(...[...ms].map((m) => m.body)),
  } as unknown as Queue<T>;
}

/** `clock` defaults to the environment's clock; pass `fixedClock(...)` to move time in the test. */
export function testCtx<K extends Clock = Clock>(opts: Omit<SystemOptions, "clock"> & { clock?: K } = {}): DomainContext & { sent: EmailMessage[]; clock: K } {
  const sent: EmailMessage[] = [];
  const ctx = systemCtx(env, { ...opts, queues: { email: capturingQueue(sent), ...opts.queues } });
  return { ...ctx, clock: ctx.clock as K, sent };
}
