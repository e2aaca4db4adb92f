/**
 * SSRF guard for the admin's SMTP host: an admin-entered host must never reach loopback, private or metadata addresses. Checked on save and again before every
 * connect(), so a row written before a rule tightened is still refused.
 *
 * Refused: IP literals in private, loopback, link-local (incl. 169.254.169.254 metadata), CGNAT, multicast,
 * reserved and documentation ranges; their IPv6 equivalents (::1, fc00::/7, fe80::/10, IPv4-mapped/-translated
 * forms, anything outside 2000::/3); IPv4 in any non-dotted-decimal form (decimal 2130706433, octal 0177.0.0.1,
 * hex 0x7f.1, short 127.1); `localhost` and `.localhost`, single-label names, trailing-dot names
 * (`localhost.`), internal suffixes (.local, .internal, .lan, .home.arpa, .localdomain, .intranet, .corp).
 * `allowLoopback` (local development and tests only; an explicit setting, refused in production) lets
 * 127.0.0.1, ::1 and localhost through.
 *
 * Residual risk (documented in ADR 007): DNS rebinding, a public name that resolves to a private address;
 * workerd's connect() offers no resolved-address hook. Production Workers cannot reach private networks anyway.
 */

const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain", ".intranet", ".corp", ".private"];

/** Ports a production Worker may use (port 25 is blocked on Cloudflare). */
export const PRODUCTION_PORTS = [465, 587, 2525];

export const PORT_25_BLOCKED = "Port 25 is blocked on Cloudflare Workers: outgoing connections to it fail in production. Use 587 (STARTTLS) or 465 (implicit TLS).";

function parseDottedIPv4(host: string): number[] | null {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return null;
  const parts = host.split(".").map(Number);
  if (parts.some((p) => p > 255)) return null;
  // Leading zeros are octal to inet_aton: "010.0.0.1" is 8.0.0.1. Refuse them as ambiguous.
  if (host.split(".").some((p) => p.length > 1 && p.startsWith("0"))) return null;
  return parts;
}

/** Any other IPv4 spelling a resolver might accept (decimal, octal, hex, short forms). */
function looksLikeOtherIPv4(host: string): boolean {
  return /^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+)){0,3}$/i.test(host);
}

function privateIPv4(p: number[], allowLoopback: boolean): string | null {
  const [a, b] = p as [number, number, number, number];
  if (a === 127) return allowLoopback ? null : "a loopback address";
  if (a === 0) return "an unspecified address";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "a private address";
  if (a === 169 && b === 254) return "a link-local / cloud metadata address";
  if (a === 100 && b >= 64 && b <= 127) return "a shared (CGNAT) address";
  if (a === 192 && b === 0 && (p[2] === 0 || p[2] === 2)) return "a reserved address";
  if ((a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && p[2] === 100) || (a === 203 && b === 0 && p[2] === 113)) return "a reserved address";
  if (a >= 224) return "a multicast or reserved address";
  return null;
}

function expandIPv6(host: string): number[] | null {
  let h = host;
  let tail: number[] = [];
  const v4 = h.match(/:(\d{1,3}(?:\.\d{1,3}){3})$/);
  if (v4) {
    const p = parseDottedIPv4(v4[1]!);
    if (!p) return null;
    tail = [(p[0]! << 8) | p[1]!, (p[2]! << 8) | p[3]!];
    h = h.slice(0, -v4[1]!.length) + "0:0";
  }
  if (!/^[0-9a-f:]+$/i.test(h) || (h.match(/::/g)?.length ?? 0) > 1) return null;
  const [left, right] = h.includes("::") ? h.split("::") : [h, undefined];
  const l = left ? left.split(":") : [];
  const r = right !== undefined ? (right ? right.split(":") : []) : [];
  if ([...l, ...r].some((g) => g.length === 0 || g.length > 4)) return null;
  const fill = 8 - l.length - r.length;
  if (right === undefined ? fill !== 0 : fill < 1) return null;
  const groups = [...l, ...Array(right === undefined ? 0 : fill).fill("0"), ...r].map((g) => parseInt(g, 16));
  if (tail.length) groups.splice(6, 2, ...tail);
  return groups.length === 8 ? groups : null;
}

function privateIPv6(g: number[], allowLoopback: boolean): string | null {
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return allowLoopback ? null : "a loopback address";
  if (g.every((x) => x === 0)) return "an unspecified address";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96): judge the IPv4 inside.
  const mapped = g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0);
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b;
  if (mapped || nat64) {
    const v4 = [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff];
    return privateIPv4(v4, false) ?? "an IPv4-embedded address";
  }
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return "a private (unique local) address";
  if ((first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0) return "a link-local address";
  if ((first & 0xff00) === 0xff00) return "a multicast address";
  if (first === 0x2001 && g[1] === 0x0db8) return "a documentation address";
  if ((first & 0xe000) !== 0x2000) return "a reserved address";
  return null;
}

/** null when the host may be used; otherwise the reason it is refused (shown under the field). */
export function smtpHostProblem(rawHost: string, opts: { allowLoopback: boolean }): string | null {
  const host = rawHost.trim().toLowerCase();
  if (!host) return "SMTP Host is required.";
  const loopbackName = host === "localhost";
  if (opts.allowLoopback && (loopbackName || host === "127.0.0.1" || host === "::1" || host === "[::1]")) return null;
  const bracketed = host.startsWith("[") && host.endsWith("]");
  const bare = bracketed ? host.slice(1, -1) : host;
  if (bare.includes(":")) {
    const groups = expandIPv6(bare.replace(/%.*$/, ""));
    if (!groups || bare.includes("%")) return "Enter a valid host name or IP address.";
    const why = privateIPv6(groups, opts.allowLoopback);
    return why ? `The SMTP host cannot be ${why}.` : null;
  }
  const v4 = parseDottedIPv4(host);
  if (v4) {
    const why = privateIPv4(v4, opts.allowLoopback);
    return why ? `The SMTP host cannot be ${why}.` : null;
  }
  if (looksLikeOtherIPv4(host)) return "Write IP addresses in dotted decimal (e.g. 203.0.113.25); decimal, octal, hex and short forms are not accepted.";
  if (host.endsWith(".")) return "Remove the trailing dot from the host name.";
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(host)) return "Enter a valid host name or IP address.";
  if (loopbackName || INTERNAL_SUFFIXES.some((s) => host.endsWith(s)) || host === "metadata.google.internal") return "The SMTP host cannot be a local or internal name.";
  if (!host.includes(".")) return "Use a fully qualified host name (e.g. smtp.example.com).";
  if (/^\d+$/.test(host.split(".").pop()!)) return "Enter a valid host name or IP address.";
  return null;
}

export function smtpPortProblem(port: number, opts: { production: boolean }): string | null {
  if (!opts.production) return null;
  if (port === 25) return PORT_25_BLOCKED;
  if (!PRODUCTION_PORTS.includes(port)) return "Use port 587 (STARTTLS), 465 (implicit TLS) or 2525.";
  return null;
}
