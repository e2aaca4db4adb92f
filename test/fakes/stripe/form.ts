/** Stripe's wire format: form-encoded nested parameters in, JSON out. Pure helpers shared by the local Stripe. */

export type Params = Record<string, unknown>;
export type Obj = Record<string, unknown> & { id: string; object: string };

/**
 * Parses Stripe's form encoding into nested values: `metadata[order]=42` → { metadata: { order: "42" } },
 * `expand[]=a` and `expand[0]=a` → { expand: ["a"] }. Values stay strings, as on the wire.
 */
export function parseForm(body: string): Params {
  const root: Params = {};
  if (!body) return root;
  for (const pair of body.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawKey = decode((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, " "));
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1).replace(/\+/g, " "));
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!m) continue;
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
    if (path.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) continue;
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i] === "" ? String(Object.keys(node).length) : path[i]!; // `[]` appends
      if (i === path.length - 1) node[seg] = value;
      else {
        const next = node[seg];
        node = (next && typeof next === "object" ? next : (node[seg] = {})) as Record<string, unknown>;
      }
    }
  }
  return arrayify(root, "") as Params;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Objects whose keys are all 0..n-1 become arrays (except under metadata, which is a free-form hash). */
function arrayify(v: unknown, key: string): unknown {
  if (!v || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  for (const k of keys) o[k] = arrayify(o[k], k);
  if (key !== "metadata" && keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => o[k]);
  }
  return o;
}

/** Form-encodes nested values the way stripe-node does (used by the demo merchant and tests). */
export function toForm(params: Params, prefix = ""): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    const key = prefix ? `${prefix}[${k}]` : k;
    if (v && typeof v === "object") parts.push(toForm(v as Params, key));
    else parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v ?? ""))}`);
  }
  return parts.filter(Boolean).join("&");
}

/** A stable text form of parameters, for idempotency comparison. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Stripe metadata semantics: keys merge; an empty value deletes the key; metadata="" clears all. */
export function mergeMetadata(current: Record<string, string>, update: unknown): Record<string, string> {
  if (update === "") return {};
  const out = { ...current };
  if (update && typeof update === "object") {
    for (const [k, v] of Object.entries(update)) {
      if (v === "") delete out[k];
      else out[k] = String(v);
    }
  }
  return out;
}

export function matchesType(type: string, pattern: string): boolean {
  return pattern === "*" || (pattern.endsWith(".*") ? type.startsWith(pattern.slice(0, -1)) : type === pattern);
}

/** Stripe list pagination: newest first, `limit` (1–100, default 10), `starting_after` / `ending_before`. */
export function paginate(list: Obj[], p: Params, url: string) {
  const limit = Math.min(100, Math.max(1, Number(p.limit ?? 10) || 10));
  let start = 0;
  let end = list.length;
  if (typeof p.starting_after === "string") start = list.findIndex((o) => o.id === p.starting_after) + 1;
  if (typeof p.ending_before === "string") {
    end = Math.max(0, list.findIndex((o) => o.id === p.ending_before));
    start = Math.max(0, end - limit);
  }
  const data = list.slice(start, Math.min(end, start + limit));
  return { object: "list", url, has_more: start + limit < end, data };
}

/** `created[gte]=…` style range filters on a numeric field. */
export function inRange(value: number, range: unknown): boolean {
  if (range === undefined) return true;
  if (typeof range !== "object" || range === null) return value === Number(range);
  const r = range as Record<string, unknown>;
  const n = (k: string) => (r[k] === undefined ? undefined : Number(r[k]));
  const [gt, gte, lt, lte] = [n("gt"), n("gte"), n("lt"), n("lte")];
  return (gt === undefined || value > gt) && (gte === undefined || value >= gte) && (lt === undefined || value < lt) && (lte === undefined || value <= lte);
}

export const str = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));
export const bool = (v: unknown): boolean => v === true || v === "true";
