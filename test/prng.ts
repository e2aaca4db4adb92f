/**
 * mulberry32: a small seeded generator for the tests and the local fakes, so a run (the fault-injection plan,
 * the fake Stripe's delivery shuffles and jitter) is a function of its seed alone and replays from it.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
