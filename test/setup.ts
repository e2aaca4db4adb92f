/**
 * Runs before every test file inside workerd.
 * 1. Applies the real migrations to the pool's D1 (idempotent: applied migrations are skipped).
 * 2. Enforces the production PBKDF2 ceiling that local workerd does not: deriving above 100,000 iterations
 *    throws exactly as Cloudflare's runtime does, so a too-high count fails here instead of after deploy.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

const PRODUCTION_PBKDF2_CAP = 100_000;
const subtle = crypto.subtle;
const originalDeriveBits = subtle.deriveBits.bind(subtle);
const derivations: number[] = [];
(globalThis as { __pbkdf2Iterations?: number[] }).__pbkdf2Iterations = derivations;

type DeriveArgs = Parameters<SubtleCrypto["deriveBits"]>;
subtle.deriveBits = (async (algorithm: DeriveArgs[0], baseKey: DeriveArgs[1], length?: DeriveArgs[2]) => {
  if (typeof algorithm === "object" && algorithm.name === "PBKDF2") {
    const iterations = (algorithm as { iterations: number }).iterations;
    derivations.push(iterations);
    if (iterations > PRODUCTION_PBKDF2_CAP) {
      throw new DOMException(`Pbkdf2 failed: iteration counts above ${PRODUCTION_PBKDF2_CAP} are not supported (requested ${iterations}).`, "NotSupportedError");
    }
  }
  return originalDeriveBits(algorithm, baseKey, length);
}) as SubtleCrypto["deriveBits"];
