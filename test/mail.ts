/** Reads what the loopback SMTP sink (test/fakes/smtp-sink.ts) received, through its HTTP control port. */
import { env } from "cloudflare:workers";

export interface SinkMessage {
  seq: number;
  envelope: { from: string | null; to: string[] };
  messageId: string | null;
  subject: string | null;
  html: string | null;
  text: string | null;
  headers: Record<string, string[]>;
  hasBccHeader: boolean;
  raw: string;
}

const control = (path: string) => `http://127.0.0.1:${env.SMTP_CONTROL_PORT}${path}`;

export async function sinkMessages(): Promise<SinkMessage[]> {
  return (await (await fetch(control("/messages"))).json()) as SinkMessage[];
}

/** Messages sent to one address (tests use unique addresses, so parallel files do not interfere). */
export async function mailTo(address: string): Promise<SinkMessage[]> {
  return (await sinkMessages()).filter((m) => m.envelope.to.includes(address));
}

export async function setSinkFaults(faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(control("/faults"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(faults) });
  if (!res.ok) throw new Error(`sink faults: ${res.status}`);
}

/** Runs `fn` with the sink's `faults` on, and lifts them afterwards whatever happens. */
export async function withSinkFaults<T>(faults: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  await setSinkFaults(faults);
  try {
    return await fn();
  } finally {
    await setSinkFaults({});
  }
}

/** Counts of what arrived for recipients containing `match` (duplicates by Message-ID, Bcc headers), without content. */
export async function sinkSummary(match: string): Promise<{ messages: number; distinctMessageIds: number; duplicates: number; bccHeaders: number }> {
  return (await (await fetch(control(`/summary?match=${encodeURIComponent(match)}`))).json()) as { messages: number; distinctMessageIds: number; duplicates: number; bccHeaders: number };
}

/** CPU time so far (ms) of the sink's process and of the workerd processes under test (null if unknown). */
export async function sinkCpu(): Promise<{ sinkMs: number; workerdMs: number | null }> {
  return (await (await fetch(control("/cpu"))).json()) as { sinkMs: number; workerdMs: number | null };
}

/** SMTP connections the sink accepted: in total, open now, and the most open at once (since `reset`). */
export async function sinkConnections(reset = false): Promise<{ total: number; open: number; peakOpen: number }> {
  return (await (await fetch(control("/connections"), { method: reset ? "DELETE" : "GET" })).json()) as { total: number; open: number; peakOpen: number };
}
