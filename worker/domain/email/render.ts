/**
 * Rendering `{{dotted.tag}}` templates. Tag values are always HTML-escaped in HTML bodies; subjects are
 * single-line (CR/LF and other control characters removed) so they can never inject headers.
 */
export const TAG_PATTERN = /\{\{\s*([a-z0-9_]+(?:\.[a-z0-9_]+)*)\s*\}\}/gi;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Removes CR, LF and other control characters: a header value stays one line. */
export function headerSafe(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
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

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}
