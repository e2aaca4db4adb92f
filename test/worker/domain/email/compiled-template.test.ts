/**
 * A template sanitized once per batch and filled per message (worker/domain/email/compiled-template.ts) gives
 * what sanitizing each filled message gives — or less, never more — and falls back to sanitizing the message
 * where escaping alone would not hold (a tag in an element name, an unquoted attribute, a closing tag), or where
 * a value lands in a URL or style attribute and fails the sanitizer's check.
 */
import { describe, expect, it } from "vitest";
import { compileHtml, fillCompiled } from "../../../../worker/domain/email/compiled-template";
import { defaultTemplate } from "../../../../worker/domain/email/defaults";
import { EMAIL_EVENTS } from "../../../../worker/contract/email-events";
import { brandingValues, exampleValues, fillHtml } from "../../../../worker/contract/email-render";
import { sanitizeHtml } from "../../../../worker/domain/email/sanitize";

const perMessage = (source: string, values: Record<string, string>) => sanitizeHtml(fillHtml(source, values));

describe("compiled templates", () => {
  it("every built-in template: same HTML as sanitizing the filled message, without a second sanitizer pass", async () => {
    for (const { key: event } of EMAIL_EVENTS) {
      const source = defaultTemplate(event).html;
      const compiled = await compileHtml(source);
      expect(compiled.html, event).not.toBeNull();
      const values = { ...exampleValues(event, "https://portal.example.test"), ...brandingValues({}, "https://portal.example.test") };
      expect(await fillCompiled(compiled, values), event).toBe(await perMessage(source, values));
    }
  });

  it("values are escaped: markup in a value stays text", async () => {
    const compiled = await compileHtml(`<p title="{{a}}">Hello {{a}}</p>`);
    const html = await fillCompiled(compiled, { a: `"><script>alert(1)</script><img src=x onerror=alert(1)>` });
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toBe(await perMessage(`<p title="{{a}}">Hello {{a}}</p>`, { a: `"><script>alert(1)</script><img src=x onerror=alert(1)>` }));
  });

  it("a URL value that the sanitizer refuses drops the attribute, as sanitizing the message would", async () => {
    const source = `<a href="{{invoice.url}}">Open</a><img src="{{portal.url}}/logo.png">`;
    const compiled = await compileHtml(source);
    expect(compiled.html).not.toBeNull();
    expect(compiled.checks).toHaveLength(2);
    for (const url of ["javascript:alert(1)", "jav&#x61;script:alert(1)", " data:text/html,x", "vbscript:x"]) {
      const html = await fillCompiled(compiled, { "invoice.url": url, "portal.url": "https://ok.example.test" });
      expect(html, url).not.toContain("script:");
      expect(html, url).not.toContain("data:");
      expect(html, url).toBe(await perMessage(source, { "invoice.url": url, "portal.url": "https://ok.example.test" }));
    }
    const good = await fillCompiled(compiled, { "invoice.url": "https://portal.example.test/i/1?a=1&b=2", "portal.url": "https://ok.example.test" });
    expect(good).toContain(`href="https://portal.example.test/i/1?a=1&amp;b=2"`);
  });

  it("a style value that the sanitizer refuses drops the style attribute", async () => {
    const source = `<p style="color:{{brand.link_color}}">x</p>`;
    const compiled = await compileHtml(source);
    const html = await fillCompiled(compiled, { "brand.link_color": "red;background:url(javascript:alert(1))" });
    expect(html).not.toContain("javascript");
    expect(html).toBe(await perMessage(source, { "brand.link_color": "red;background:url(javascript:alert(1))" }));
  });

  it("tags where escaping is not enough make the template fall back to sanitizing every message", async () => {
    const cases = [
      [`<{{x}}>alert(1)</{{x}}>`, "script"], // an element name
      [`<p title={{x}}>hi</p>`, "a onclick=alert(1)"], // an unquoted attribute splits at a space
      [`<!DOCTYPE {{x}}><p>hi</p>`, "html"],
    ] as const;
    for (const [source, value] of cases) {
      const compiled = await compileHtml(source);
      expect(compiled.html, source).toBeNull();
      const html = await fillCompiled(compiled, { x: value });
      expect(html, source).toBe(await perMessage(source, { x: value }));
      expect(html, source).not.toMatch(/<script|onclick/);
    }
  });

  it("tags the sanitizer removes with their element, or in attribute names, are gone", async () => {
    const compiled = await compileHtml(`<script>{{x}}</script><p {{x}}="1">{{y}}</p><!-- {{x}} -->`);
    expect(compiled.html).not.toBeNull();
    expect(await fillCompiled(compiled, { x: "secret", y: "shown" })).toBe("<p>shown</p>");
    // An end tag the sanitizer cannot match is dropped with its tag.
    const stray = await compileHtml(`<p>hi</{{x}}>`);
    expect(stray.html).toBe("<p>hi");
    expect(await fillCompiled(stray, { x: "p><script>alert(1)</script" })).toBe("<p>hi");
  });
});
