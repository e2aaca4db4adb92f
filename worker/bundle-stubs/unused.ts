/** Thrown by every stub here if the Worker ever reaches a feature it was built without (README.md beside this file). */
export function notBundled(feature: string): never {
  throw new Error(`${feature} is not bundled in the Worker (wrangler.toml [alias], docs/decisions/014c-startup-and-bench-baseline.md)`);
}
