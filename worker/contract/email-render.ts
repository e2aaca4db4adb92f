/**
 * Rendering `{{dotted.tag}}` templates: pure and runtime-neutral, so the worker (sending) and the portal (live
 * preview) fill templates with the same code. Tag values are always HTML-escaped in HTML bodies; subjects are
 * single-line (CR/LF and other control characters removed) so they can never inject headers. The worker then
 * sanitizes the filled HTML (worker/domain/email/sanitize.ts); the portal shows it in a sandboxed iframe.
 */
import { tagsFor } from "./email-events";

export const TAG_PATTERN = /\{\{\s*([a-z0-9_]+(?:\.[a-z0-9_]+)*)\s*\}\}/gi;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Removes CR, LF and other control characters: a header value stays one line. */
export function headerSafe(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}

export type TagValues = Record<string, string>;

export function fillText(template: string, values: TagValues): string {
  return template.replace(TAG_PATTERN, (_m, name: string) => values[name.toLowerCase()] ?? "");
}

export function fillHtml(template: string, values: TagValues): string {
  return template.replace(TAG_PATTERN, (_m, name: string) => escapeHtml(values[name.toLowerCase()] ?? ""));
}

/** Tag names used in a template, in order of first use. */
export function tagsIn(template: string): string[] {
  const seen = new Set<string>();
  for (const m of template.matchAll(TAG_PATTERN)) seen.add(m[1]!.toLowerCase());
  return [...seen];
}

/**
 * Things that look like a tag but do not match the tag syntax (`{{ invoice total }}`, `{{invoice.}}`): reported
 * as unknown tags on save rather than silently sent as literal braces.
 */
export function malformedTagsIn(template: string): string[] {
  const out: string[] = [];
  for (const m of template.matchAll(/\{\{([^{}]*)\}\}/g)) {
    if (!new RegExp(`^${TAG_PATTERN.source}$`, "i").test(m[0])) out.push(m[1]!.trim());
  }
  return out;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface TemplateSource {
  subject: string;
  html: string;
  text: string;
}

/** Per-template branding chosen in the editor; exposed to the template as `{{brand.*}}` tags. */
export interface Branding {
  /** Page background, `#rrggbb`. */
  background?: string;
  headingColor?: string;
  linkColor?: string;
  /** An uploaded image (email_assets) used as `{{platform.logo_url}}`. */
  logoAssetId?: string | null;
}

export const DEFAULT_BRANDING: Required<Branding> = { background: "#f4f6f8", headingColor: "#1f2933", linkColor: "#1d4ed8", logoAssetId: null };

/** No regex flags: the pattern is published in openapi.json, where flags do not exist (JSON Schema `pattern`). */
export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

export function assetUrl(origin: string, assetId: string): string {
  return `${origin.replace(/\/$/, "")}/api/email-assets/${encodeURIComponent(assetId)}`;
}

/** The `brand.*` tag values (and the logo URL) for a template's branding; colours are validated hex only. */
export function brandingValues(branding: Branding, origin: string): TagValues {
  const pick = (v: string | undefined, d: string) => (v && HEX_COLOUR.test(v) ? v : d);
  const values: TagValues = {
    "brand.background": pick(branding.background, DEFAULT_BRANDING.background),
    "brand.heading_color": pick(branding.headingColor, DEFAULT_BRANDING.headingColor),
    "brand.link_color": pick(branding.linkColor, DEFAULT_BRANDING.linkColor),
  };
  if (branding.logoAssetId) values["platform.logo_url"] = assetUrl(origin, branding.logoAssetId);
  return values;
}

/** Fills a template: tag values first, branding over them (the template's own logo wins over the default). */
export function renderTemplate(template: TemplateSource, values: TagValues, branding: Branding, origin: string): RenderedEmail {
  const all = { ...values, ...brandingValues(branding, origin) };
  return { subject: headerSafe(fillText(template.subject, all)), html: fillHtml(template.html, all), text: fillText(template.text, all) };
}

/**
 * Example values for every tag of an event (the "Click Here" drawer's examples; test emails and preview). With
 * the portal's origin, the URL tags point at this portal (so the preview's logo really loads).
 */
export function exampleValues(event: string, origin?: string): TagValues {
  const values: TagValues = Object.fromEntries(tagsFor(event).map((t) => [t.name, t.example]));
  if (origin) {
    const o = origin.replace(/\/$/, "");
    values["platform.logo_url"] = `${o}/api/email-assets/default`;
    values["portal.url"] = o;
  }
  return values;
}

/** Tags a template uses that its event does not provide (saving is refused, naming them). */
export function unknownTags(event: string, parts: string[]): string[] {
  const known = new Set(tagsFor(event).map((t) => t.name));
  const unknown = new Set<string>();
  for (const part of parts) {
    for (const name of tagsIn(part)) if (!known.has(name)) unknown.add(name);
    for (const bad of malformedTagsIn(part)) unknown.add(bad);
  }
  return [...unknown];
}
