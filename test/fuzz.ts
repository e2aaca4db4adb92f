/**
 * Malformed-input generation from openapi.json (test/worker/routes/api-fuzz.error.test.ts). For each operation: a plausible
 * base request built from its schemas (so mutations reach past the first check), then variants that break one
 * thing at a time: wrong types, missing fields, huge numbers and strings, unicode edge cases, junk bodies, bad
 * query values and bad ids. Deterministic: the same document always gives the same requests.
 */

export type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

export interface Operation {
  parameters?: Array<{ in: "path" | "query" | "header" | "cookie"; name: string; schema?: Schema; required?: boolean }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface FuzzCase {
  label: string;
  path: string;
  query?: string;
  body?: unknown;
  rawBody?: string;
}

const HUGE = "x".repeat(20_000); // beyond every short-text limit (names 120-200, descriptions 1,000, messages 5,000)
/** Strings that break naive code: empty, blank, huge, NUL, lone surrogates, emoji ZWJ, bidi override, zero-width, markup, SQL, numbers beyond range, impossible dates, traversal. */
export const EDGE_STRINGS = [
  "", " ", HUGE, "a\u0000b", "\ud800", "x\udfff", "👩‍👩‍👧‍👦🌍", "\u202egnp.exe", "e\u0301\u200b\ufeff", "<script>alert(1)</script>", "' OR '1'='1' --",
  "99999999999999999999999", "-1", "1e309", "2026-02-30", "../../etc/passwd", "%00", "ﷺ".repeat(500),
];
export const EDGE_NUMBERS = [1e308, -1e308, 2 ** 53 + 2, -1, 0, 0.5, 99999999999999999999];
/** Values of the wrong JSON type for any field. */
export const WRONG_TYPES: unknown[] = [null, 12345, "text", true, [], {}];
export const BAD_IDS = ["does_not_exist", "x".repeat(300), "%00", "%F0%9F%8C%8D", "..%2F..%2Fadmin", "'%20OR%201=1--", "%ED%A0%80", "%20", "0", "-1"];
export const BAD_QUERY_VALUES = ["abc", "-1", "0", "1.5", "99999999999999999999", "1e309", "x".repeat(5_000), "%00", "%F0%9F%8C%8D", "%ED%A0%80", "2026-13-45", ""];

export class SchemaWalker {
  constructor(private readonly components: Record<string, Schema>, private readonly overrides: (name: string) => unknown) {}

  resolve(s: Schema | undefined): Schema {
    let out = s ?? {};
    for (let i = 0; out.$ref && i < 10; i++) out = this.components[out.$ref.replace("#/components/schemas/", "")] ?? {};
    if (out.allOf?.length) out = out.allOf.reduce<Schema>((a, b) => ({ ...a, ...this.resolve(b), properties: { ...a.properties, ...this.resolve(b).properties } }), {});
    return out;
  }

  types(s: Schema): string[] {
    const r = this.resolve(s);
    const alt = r.anyOf ?? r.oneOf;
    if (alt) return alt.flatMap((a) => this.types(a));
    return Array.isArray(r.type) ? r.type : r.type ? [r.type] : [];
  }

  /** A plausible value: enums and defaults first, formats honoured, numbers at their minimum. */
  sample(s: Schema | undefined, name = "", depth = 0): unknown {
    const override = this.overrides(name);
    if (override !== undefined) return override;
    const r = this.resolve(s);
    const alt = r.anyOf ?? r.oneOf;
    if (alt) return this.sample(alt.find((a) => !this.types(a).includes("null")) ?? alt[0], name, depth);
    if (r.const !== undefined) return r.const;
    if (r.enum?.length) return r.enum[0];
    if (r.default !== undefined) return r.default;
    const type = this.types(r).find((t) => t !== "null");
    switch (type) {
      case "string":
        if (r.format === "email" || /email/i.test(name)) return "fuzz@example.test";
        if (r.pattern?.includes("\\d{4}-\\d{2}-\\d{2}")) return this.overrides("<date>") ?? "2026-06-15";
        return "f".repeat(Math.max(r.minLength ?? 1, 4));
      case "integer":
      case "number":
        return r.minimum ?? 1;
      case "boolean":
        return true;
      case "array":
        return depth > 3 ? [] : Array.from({ length: Math.max(r.minItems ?? 0, 1) }, () => this.sample(r.items, name, depth + 1));
      case "object":
      default:
        if (depth > 3 || !r.properties) return {};
        return Object.fromEntries(Object.entries(r.properties).map(([k, v]) => [k, this.sample(v, k, depth + 1)]));
    }
  }

  /**
   * One-thing-wrong variants of `base` for `schema`, at most `cap`. Every field first gets the essential breaks
   * (missing, null, the wrong type, "", huge, beyond-range numbers); the other edge values fill the rest of the cap,
   * spread evenly. Nested objects (and first array items) are mutated one level down.
   */
  variants(schema: Schema | undefined, base: unknown, cap: number): Array<{ label: string; body: unknown }> {
    const essential: Array<{ label: string; body: unknown }> = [];
    const more: Array<{ label: string; body: unknown }> = [];
    const r = this.resolve(schema);
    const set = (path: Array<string | number>, value: unknown) => {
      const copy = structuredClone(base) as Record<string, unknown>;
      let at: Record<string | number, unknown> = copy;
      for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
      if (value === undefined) delete at[path[path.length - 1]!];
      else at[path[path.length - 1]!] = value;
      return copy;
    };
    const text = (v: unknown) => (typeof v === "string" ? `${JSON.stringify(v.slice(0, 24))}${v.length > 24 ? `… (${v.length})` : ""}` : JSON.stringify(v));
    const add = (to: typeof essential, path: Array<string | number>, value: unknown) => to.push({ label: `${path.join(".")} = ${value === undefined ? "missing" : text(value)}`, body: set(path, value) });
    const mutate = (path: Array<string | number>, s: Schema) => {
      const types = this.types(s);
      for (const v of [undefined, null, types.includes("string") ? 12345 : "text", {}]) add(essential, path, v);
      if (types.includes("string")) {
        for (const v of ["", HUGE, "99999999999999999999999"]) add(essential, path, v);
        for (const v of EDGE_STRINGS) if (!["", HUGE, "99999999999999999999999"].includes(v)) add(more, path, v);
      }
      if (types.includes("integer") || types.includes("number")) {
        for (const v of [1e308, -1, 0.5]) add(essential, path, v);
        for (const v of EDGE_NUMBERS) if (![1e308, -1, 0.5].includes(v)) add(more, path, v);
      }
      if (types.includes("array")) {
        add(essential, path, []);
        more.push({ label: `${path.join(".")} = 1,000 items`, body: set(path, Array.from({ length: 1_000 }, () => this.sample(this.resolve(s).items))) });
      }
      for (const v of [true, []]) add(more, path, v);
    };
    for (const [k, s] of Object.entries(r.properties ?? {})) {
      mutate([k], s);
      const inner = this.resolve(s);
      const item = this.types(s).includes("array") ? this.resolve(inner.items) : null;
      const nestedProps = item?.properties ?? inner.properties;
      const value = (base as Record<string, unknown>)?.[k];
      if (nestedProps && value && typeof value === "object" && (!item || (Array.isArray(value) && value.length > 0))) {
        for (const [nk, ns] of Object.entries(nestedProps)) mutate(item ? [k, 0, nk] : [k, nk], ns);
      }
    }
    more.push({ label: "unknown extra field", body: { ...(base as object), ["\u0000unexpected" + "x".repeat(50)]: HUGE } });
    if (essential.length >= cap) return spread(essential, cap);
    return [...essential, ...spread(more, cap - essential.length)];
  }
}

function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)]!);
}

/** Top-level bodies that are not the expected object at all. */
export const JUNK_BODIES: Array<{ label: string; rawBody: string }> = [
  { label: "not JSON", rawBody: "{not json" },
  { label: "empty body", rawBody: "" },
  { label: "JSON null", rawBody: "null" },
  { label: "JSON array", rawBody: "[]" },
  { label: "JSON string", rawBody: '"just a string"' },
  { label: "JSON number", rawBody: "1e999" },
  { label: "deeply nested", rawBody: `${"[".repeat(5_000)}${"]".repeat(5_000)}` },
  { label: "lone surrogate escape", rawBody: '{"a":"\\ud800"}' },
  { label: "duplicate keys", rawBody: '{"a":1,"a":{"b":[null]}}' },
];
