/**
 * A template's HTML sanitized ONCE per batch, then filled per message with escaped tag values
 * (docs/decisions/014b-email-batches.md). The per-message result must be what sanitizing the filled HTML would
 * keep, so a compiled template is only used where that holds:
 *
 * - Every tag must sit in text or inside an attribute's value. An escaped value has no `<`, `>`, `&`, `"` or
 *   `'`, so there it cannot open an element, end an attribute or start an entity. Where a tag sits is found by
 *   parsing the sanitized HTML once with each tag replaced by a probe (`zqz3q zqz3q`: letters, then a space).
 *   A probe seen in an element's name (`<{{x}}>`), in an attribute's name (an unquoted `title={{x}}` splits at
 *   the space), or nowhere in text or attribute values (`</{{x}}>`, a doctype…) makes the template *unsafe*:
 *   its messages are sanitized one by one, as before.
 * - Values landing in URL attributes (`href`, `src`, `background`) or `style` are re-checked per message with
 *   the sanitizer's own rules; a message whose value fails is sanitized whole (which drops the attribute).
 *
 * Tags in attribute names, or in elements the sanitizer removes, are gone after the first pass: the compiled
 * template can only keep less than per-message sanitizing would, never more.
 */
import { fillHtml, TAG_PATTERN, type TagValues } from "./render";
import { safeStyle, safeUrl, sanitizeHtml } from "./sanitize";

/** An attribute whose value holds tags and must be checked again once filled. */
interface CheckedAttribute {
  name: "url" | "style";
  /** The attribute's value as in the sanitized template, tags in place. */
  value: string;
}

export interface CompiledHtml {
  /** The template as saved: what a message is rendered from when the compiled form cannot be used. */
  source: string;
  /** The sanitized template with its tags in place, or null if tags sit where escaping is not enough. */
  html: string | null;
  checks: CheckedAttribute[];
  /** Verdicts by filled value: branding colours and the portal's URL are the same in every message. */
  verdicts: Map<string, boolean>;
}

const URL_ATTRS = new Set(["href", "src", "background"]);
const probe = (i: number) => `zqz${i}q zqz${i}q`;
const PROBE = /zqz(\d+)q zqz\1q/g;

/** Sanitizes `source` once and finds where its tags land (see above). */
export async function compileHtml(source: string): Promise<CompiledHtml> {
  const html = await sanitizeHtml(source);
  const names: string[] = [];
  const probed = html.replace(TAG_PATTERN, (m) => probe(names.push(m) - 1));
  if (!names.length) return { source, html, checks: [], verdicts: new Map() };
  const seen = new Set<number>();
  const checks: CheckedAttribute[] = [];
  let unsafe = false;
  const mark = (value: string) => {
    for (const m of value.matchAll(PROBE)) seen.add(Number(m[1]));
  };
  let text = "";
  await new HTMLRewriter()
    .on("*", {
      element(el) {
        if (el.tagName.includes("zqz")) unsafe = true;
        for (const [name = "", value = ""] of el.attributes) {
          if (name.includes("zqz")) unsafe = true;
          if (!value.includes("zqz")) continue;
          mark(value);
          const original = value.replace(PROBE, (_m, i: string) => names[Number(i)]!);
          if (URL_ATTRS.has(name.toLowerCase())) checks.push({ name: "url", value: original });
          else if (name.toLowerCase() === "style") checks.push({ name: "style", value: original });
        }
      },
    })
    .onDocument({
      text(t) {
        text += t.text;
        if (t.lastInTextNode) {
          mark(text);
          text = "";
        }
      },
    })
    .transform(new Response(probed, { headers: { "content-type": "text/html; charset=utf-8" } }))
    .arrayBuffer();
  if (unsafe || names.some((_n, i) => !seen.has(i))) return { source, html: null, checks: [], verdicts: new Map() };
  return { source, html, checks, verdicts: new Map() };
}

function passes(verdicts: Map<string, boolean>, check: CheckedAttribute, value: string): boolean {
  const key = `${check.name}:${value}`;
  let ok = verdicts.get(key);
  if (ok === undefined) verdicts.set(key, (ok = (check.name === "url" ? safeUrl : safeStyle)(value)));
  return ok;
}

/** The message's HTML: the compiled template filled, or the filled source sanitized where that is needed. */
export async function fillCompiled(compiled: CompiledHtml, values: TagValues): Promise<string> {
  if (compiled.html !== null && compiled.checks.every((c) => passes(compiled.verdicts, c, fillHtml(c.value, values)))) {
    return fillHtml(compiled.html, values);
  }
  return sanitizeHtml(fillHtml(compiled.source, values));
}
