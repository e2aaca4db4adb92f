/**
 * Bench-only (never deployed): the real Worker plus /api/__probe/* routes that each make one local D1 call, so the
 * cost of a D1 call can be told apart by its SQL, its result size and its decoding (ADR 014a, cost model).
 * Driven by bench/probe/d1-probe.mjs.
 */
import worker from "../../worker/index";
export { OrgBilling } from "../../worker/index";

let captured: { sql: string; params: unknown[] }[] = [];

/** A D1 binding that records each statement it runs (to capture the organizations read as the app sends it). */
function recording(db: D1Database): D1Database {
  const wrap = (sql: string, stmt: D1PreparedStatement, params: unknown[] = []): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, key) {
        if (key === "bind") return (...values: unknown[]) => wrap(sql, target.bind(...values), values);
        if (key === "raw" || key === "all" || key === "first" || key === "run") {
          return (...args: unknown[]) => {
            captured.push({ sql, params });
            return (target as unknown as Record<string, (...a: unknown[]) => unknown>)[key as string]!(...args);
          };
        }
        return Reflect.get(target, key);
      },
    });
  return new Proxy(db, {
    get(target, key) {
      if (key === "prepare") return (sql: string) => wrap(sql, target.prepare(sql));
      return Reflect.get(target, key);
    },
  });
}

type Variant = { sql: string; params: unknown[]; mode: "raw" | "all" | "batch"; check?: { sql: string; params: unknown[] } };
let variants: Record<string, Variant> = {};

async function probe(url: URL, env: Env): Promise<Response> {
  const name = url.pathname.slice("/api/__probe/".length);
  if (name === "empty") return new Response("0");
  const v = variants[name];
  if (!v) return new Response(`no variant ${name}`, { status: 404 });
  const stmt = env.DB.prepare(v.sql).bind(...v.params);
  let n: number;
  if (v.mode === "raw") n = (await stmt.raw()).length;
  else if (v.mode === "all") n = (await stmt.all()).results.length;
  else n = (await env.DB.batch([env.DB.prepare(v.check!.sql).bind(...v.check!.params), stmt]))[1]!.results.length;
  return new Response(String(n));
}

export default {
  ...worker,
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/api/__probe/capture") {
      captured = [];
      await worker.fetch(new Request(new URL("/api/organizations?pageSize=25", url), { headers: request.headers }), { ...env, DB: recording(env.DB) }, ctx);
      return Response.json(captured);
    }
    if (url.pathname === "/api/__probe/variants") {
      variants = (await request.json()) as Record<string, Variant>;
      return new Response("ok");
    }
    if (url.pathname === "/api/__probe/exec") {
      const statements = (await request.json()) as { sql: string; params: unknown[] }[];
      await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
      return new Response("ok");
    }
    if (url.pathname.startsWith("/api/__probe/")) return probe(url, env);
    return worker.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
