/**
 * CPU time (ms) of the workerd processes started under this process, from Linux /proc; null elsewhere. The
 * benchmarks divide its change over a run by the work done (messages, requests): a figure the shared machine's
 * load moves far less than wall-clock throughput (docs/decisions/014b-email-batches.md).
 */
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function workerdCpuMs() {
  try {
    const procs = new Map();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue; // gone meanwhile
      }
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      procs.set(Number(entry), { parent: Number(fields[1]), name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
    }
    const descends = (pid) => {
      for (let p = procs.get(pid)?.parent; p && p > 1; p = procs.get(p)?.parent) if (p === process.pid) return true;
      return false;
    };
    const workerd = [...procs].filter(([pid, p]) => p.name === "workerd" && descends(pid));
    return workerd.length ? workerd.reduce((sum, [, p]) => sum + p.ms, 0) : null;
  } catch {
    return null;
  }
}
