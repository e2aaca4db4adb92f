/**
 * Secrets at rest (SMTP password, Stripe secret key, TOTP seeds): AES-256-GCM under SECRETS_KEY (a Worker
 * secret), random 96-bit IV per encryption, and additional authenticated data naming the owner and kind
 * (e.g. `org_…|smtp.password`) so a ciphertext copied to another row or tenant fails to decrypt.
 * Format: `v1.<iv base64>.<ciphertext base64>`.
 */
import { fromBase64, toBase64, utf8 } from "./encoding";

async function importKey(secretsKey: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", fromBase64(secretsKey), "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function encryptSecret(secretsKey: string, plaintext: string, aad: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await importKey(secretsKey);
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8(aad) }, key, utf8(plaintext));
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(ct))}`;
}

export async function decryptSecret(secretsKey: string, sealed: string, aad: string): Promise<string> {
  const [version, iv, ct] = sealed.split(".");
  if (version !== "v1" || !iv || !ct) throw new Error("Unsupported secret format");
  const key = await importKey(secretsKey);
  const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv), additionalData: utf8(aad) }, key, fromBase64(ct));
  return new TextDecoder().decode(pt);
}
