/**
 * API latency against local workerd (`wrangler dev`, seeded): /api/health as the baseline, a signed-in D1 read
 * (organizations list: the session re-checked in the same D1 batch as the page, docs/decisions/014a) and
 * sign-in (PBKDF2 at 100,000 iterations). Targets in README.md, Performance.
 * Local numbers: reads are pessimistic (extra Miniflare hops), writes optimistic (no replication).
 */
export const name = "http";
export const needsWorker = true;

export async function run({ baseUrl, measure }) {
  const origin = baseUrl;
  const login = () =>
    fetch(`${origin}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ email: "admin@cumulus.example", password: "Cumulus-Admin-2026" }),
    });
  const res = await login();
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  const health = async () => void (await (await fetch(`${origin}/api/health`)).arrayBuffer());
  const orgs = async () => void (await (await fetch(`${origin}/api/organizations?pageSize=25`, { headers: { cookie } })).arrayBuffer());
  const results = {
    health_c1: await measure(health, { runs: 500 }),
    health_c10: await measure(health, { runs: 1000, concurrency: 10 }),
    organizations_read_c1: await measure(orgs, { runs: 500 }),
    organizations_read_c10: await measure(orgs, { runs: 1000, concurrency: 10 }),
    sign_in_c1: await measure(async () => void (await (await login()).arrayBuffer()), { warmup: 5, runs: 60 }),
  };
  results.ratio_read_vs_health_p50 = Math.round((results.organizations_read_c1.p50_ms / results.health_c1.p50_ms) * 100) / 100;
  results.ratio_read_vs_health_p50_c10 = Math.round((results.organizations_read_c10.p50_ms / results.health_c10.p50_ms) * 100) / 100;
  return results;
}
