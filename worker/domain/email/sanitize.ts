/**
 * Allowlist HTML sanitizer for email templates, on workerd's HTMLRewriter (lol-html, a browser-grade
 * tokenizer). Applied when a template is saved (what is stored is clean) and again at send time: once per
 * batch to the template, with values in URL and style attributes (e.g. `href="{{invoice.url}}"`) checked with
 * their real value per message, or to each filled message where that is not enough (compiled-template.ts).
 *
 * - Elements: a fixed allowlist of layout and text elements. Dangerous ones (script, style, iframe, object,
 *   embed, svg, math, form controls, base, link, meta refresh, template, noscript…) are removed WITH their
 *   content; any other unknown element is unwrapped (its text kept).
 * - Attributes: an allowlist; every `on*` handler, `srcset`, `formaction`, `xlink:href`… is dropped.
 * - URLs (`href`, `src`, `background`): http(s), mailto, tel, cid, `#fragment`, or a tag placeholder
 *   (`{{…}}`, before filling). Entities and whitespace are decoded first, so `jav&#x61;script:` is caught.
 * - `style` attributes: dropped if they contain expression(), javascript:, behavior, -moz-binding, @import or
 *   a non-http(s) url().
 * - Comments are removed (conditional comments can hide markup).
 */

const KEEP = new Set([
  "html", "head", "body", "title", "meta", "a", "abbr", "b", "blockquote", "br", "caption", "center", "code", "col", "colgroup",
  "div", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span",
  "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "section", "header", "footer", "article",
]);

/** Removed together with everything inside them. */
const DROP = [
  "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "template", "noscript", "noembed",
  "noframes", "form", "input", "button", "textarea", "select", "option", "base", "link", "xml", "xmp", "plaintext", "video",
  "audio", "source", "track", "canvas", "portal", "dialog", "slot", "param", "isindex", "listing", "marquee", "picture",
];

const ATTRS = new Set([
  "align", "alt", "bgcolor", "border", "cellpadding", "cellspacing", "class", "color", "colspan", "dir", "face", "height", "href",
  "lang", "role", "rowspan", "size", "src", "style", "target", "title", "valign", "width", "id", "charset", "name", "content",
  "background", "aria-label", "aria-hidden", "rel",
]);

const URL_ATTRS = new Set(["href", "src", "background"]);

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_m, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
    .replace(/&#(\d+);?/g, (_m, d: string) => String.fromCodePoint(Math.min(parseInt(d, 10), 0x10ffff)))
    .replace(/&(colon|tab|newline|lpar|rpar|sol|period|amp|quot|apos|lt|gt);?/gi, (_m, n: string) =>
      ({ colon: ":", tab: "\t", newline: "\n", lpar: "(", rpar: ")", sol: "/", period: ".", amp: "&", quot: '"', apos: "'", lt: "<", gt: ">" })[n.toLowerCase()]!,
    );
}

/** Whether a URL attribute value is safe to keep. */
export function safeUrl(raw: string): boolean {
  // eslint-disable-next-line no-control-regex
  const v = decodeEntities(decodeEntities(raw)).replace(/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]+/g, "").toLowerCase();
  if (v === "") return true;
  if (v.startsWith("{{") && /^\{\{[a-z0-9_.]+\}\}/.test(v)) return true;
  return /^(https?:\/\/|mailto:|tel:|cid:|#)/.test(v);
}

export function safeStyle(raw: string): boolean {
  const v = decodeEntities(raw).replace(/\/\*[\s\S]*?\*\//g, "").replace(/\\/g, "").replace(/\s+/g, "").toLowerCase();
  if (/expression\(|javascript:|vbscript:|behavior:|behaviour:|-moz-binding|@import|<\/?|url\((?!['"]?https?:)/.test(v)) return false;
  return true;
}

export async function sanitizeHtml(html: string): Promise<string> {
  const rewriter = new HTMLRewriter()
    .on(DROP.join(","), {
      element(el) {
        el.remove();
      },
    })
    .on("*", {
      element(el) {
        const tag = el.tagName.toLowerCase();
        if (DROP.includes(tag)) return;
        if (!KEEP.has(tag)) {
          el.removeAndKeepContent();
          return;
        }
        for (const [rawName = "", value = ""] of [...el.attributes]) {
          const name = rawName.toLowerCase();
          const keep =
            (ATTRS.has(name) || /^aria-[a-z]+$/.test(name)) &&
            !(URL_ATTRS.has(name) && !safeUrl(value)) &&
            !(name === "style" && !safeStyle(value)) &&
            !(tag === "meta" && name !== "charset" && name !== "name" && name !== "content") &&
            !(name === "content" && tag !== "meta");
          if (!keep) el.removeAttribute(rawName);
        }
        if (tag === "meta" && !el.hasAttribute("charset") && el.getAttribute("name")?.toLowerCase() !== "viewport") el.remove();
        if (tag === "a" && el.getAttribute("target")) el.setAttribute("rel", "noopener noreferrer");
      },
    })
    .onDocument({
      comments(c) {
        c.remove();
      },
    });
  return rewriter.transform(new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } })).text();
}
