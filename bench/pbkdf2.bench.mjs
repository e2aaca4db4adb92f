/** One password derivation (PBKDF2-SHA256, 100,000 iterations, as the Worker does) vs a no-op, in Node's Web Crypto. */
export const name = "pbkdf2";
export const needsWorker = false;

export async function run({ measure }) {
  const enc = new TextEncoder();
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const derive = async () => {
    const key = await crypto.subtle.importKey("raw", enc.encode("correct horse battery staple"), "PBKDF2", false, ["deriveBits"]);
    await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 100_000 }, key, 256);
  };
  return { derive_100k: await measure(derive, { warmup: 3, runs: 40 }), noop: await measure(async () => {}, { warmup: 10, runs: 1000 }) };
}
