/**
 * The ADPAY adapter: a hosted-payment-page gateway (docs/decisions/016b-adpay-protocol.md). It offers
 * `hostedPage` only: no card on file, no off-session charge. The protocol's names (headers, signed strings)
 * live here and in the ADR only, so mapping onto the vendor's real API touches this file.
 */
import { sha256Hex, timingSafeEqual, toHex, utf8 } from "../crypto/encoding";
import type { GatewayCapability } from "./gateway";

export const ADPAY_CAPABILITIES: ReadonlySet<GatewayCapability> = new Set(["hostedPage", "webhooks"]);
const TOLERANCE_SECONDS = 300;

export interface AdpayCredentials {
  merchantId: string;
  apiKey: string;
  secret: string;
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(message))));
}

export class AdpayClient {
  constructor(
    readonly baseUrl: string,
    readonly creds: AdpayCredentials,
    readonly nowSeconds: () => number,
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const url = new URL(this.baseUrl.replace(/\/$/, "") + path);
    const text = body === undefined ? "" : JSON.stringify(body);
    const ts = this.nowSeconds();
    const signature = await hmacHex(this.creds.secret, `${ts}\n${method}\n${url.pathname}${url.search}\n${await sha256Hex(text)}`);
    const res = await fetch(url, {
      method,
      headers: { "content-type": "application/json", "Adpay-Merchant-Id": this.creds.merchantId, "Adpay-Api-Key": this.creds.apiKey, "Adpay-Timestamp": String(ts), "Adpay-Signature": `v1=${signature}` },
      body: method === "GET" ? undefined : text,
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }

  /** "Verify": the read-only merchant call, its failure in words. */
  async testCredentials(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      const { status, json } = await this.request("GET", "/v1/merchant");
      if (status === 200) return { ok: true };
      const error = (json.error ?? {}) as { code?: string; message?: string };
      if (status === 401) return { ok: false, reason: `ADPAY refused the credentials (${error.code ?? "unauthorized"}): check the Merchant ID, API Key and Secret.` };
      return { ok: false, reason: `ADPAY answered ${status}${error.message ? `: ${error.message}` : ""}.` };
    } catch {
      return { ok: false, reason: "Could not reach ADPAY (network error or timeout). Check ADPAY_API_URL and the Worker's outbound network." };
    }
  }
}

/** The callback's `Adpay-Signature: t=…,v1=…[,v1=…]` over `"<t>.<raw body>"`, at most 300 s old. */
export async function verifyAdpayCallback(secret: string, header: string | null, rawBody: string, nowSeconds: number): Promise<boolean> {
  if (!header) return false;
  const parts = header.split(",").map((p) => p.trim().split("=", 2) as [string, string]);
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || nowSeconds - t > TOLERANCE_SECONDS) return false;
  const expected = utf8(await hmacHex(secret, `${t}.${rawBody}`));
  return parts.some(([k, v]) => k === "v1" && timingSafeEqual(utf8(v ?? ""), expected));
}
