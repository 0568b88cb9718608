/**
 * A simulated training problem with a known best configuration. A configuration (x, y) in
 * [0, 1]² trains for up to 50 steps; its loss decays exponentially from about 1 toward an
 * asymptote, at a rate of its own, with seeded Gaussian noise:
 *
 *   loss(step) = a + (1 - a) · exp(-r · step) + 0.01 · ε
 *   a(x, y) = 0.1 + (x - 0.7)² + 0.5 · (y - 0.3)²     (best: a = 0.1 at x = 0.7, y = 0.3)
 *   r(x, y) = 0.03 + 0.3 · y                          (large y learns fast, small y slowly)
 *
 * Curves cross: slow learners with good asymptotes start behind fast ones with poor
 * asymptotes, which is what makes early stopping risky. The two-objective version adds a
 * second loss whose best asymptote lies elsewhere (x = 0.2, y = 0.8), so the two conflict.
 *
 * The `typical` variant (bench flag `--curves typical`) keeps the asymptotes and lets the rate
 * peak where the asymptote is best along y, as with a well-chosen learning rate:
 *   r(x, y) = 0.06 + 0.24 · (1 − |y − 0.3|)
 * so early losses rank configurations about as the final ones do, yet curves still cross
 * along x. python/optuna_pruning.py computes the same curves for the Optuna baseline.
 */

/** Which rate law the curves follow (see the module comment). */
export type Curves = 'crossing' | 'typical';

let curves: Curves = 'crossing';

/** Chooses the rate law for every curve computed after the call. */
export function setCurves(next: Curves): void {
  curves = next;
}

/** Steps a full trial runs. */
export const N_STEPS = 50;

/** Noise-free loss of objective `k` (0 or 1) at `step`. */
export function loss(k: number, x: number, y: number, step: number): number {
  const a =
    k === 0
      ? 0.1 + (x - 0.7) ** 2 + 0.5 * (y - 0.3) ** 2
      : 0.1 + (x - 0.2) ** 2 + 0.5 * (y - 0.8) ** 2;
  const r =
    curves === 'crossing'
      ? k === 0
        ? 0.03 + 0.3 * y
        : 0.03 + 0.3 * (1 - x)
      : k === 0
        ? 0.06 + 0.24 * (1 - Math.abs(y - 0.3))
        : 0.06 + 0.24 * (1 - Math.abs(x - 0.2));
  return a + (1 - a) * Math.exp(-r * step);
}

/**
 * Standard normal noise for (seed, trial, step, objective) from a counter-based hash, so the
 * noise of a step does not depend on which trials ran before it.
 */
export function noise(seed: number, trial: number, step: number, k: number): number {
  const u1 = hashUnit(seed, trial, step, 2 * k);
  const u2 = hashUnit(seed, trial, step, 2 * k + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A uniform number in (0, 1) from four integers (MurmurHash3 finalizer over a mix). */
function hashUnit(a: number, b: number, c: number, d: number): number {
  let h = 0x9e3779b9;
  for (const v of [a, b, c, d]) {
    h = Math.imul(h ^ v, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return ((h >>> 0) + 0.5) / 4294967296;
}

/** The observed loss: noise-free loss plus 0.01 · N(0, 1). */
export function observed(
  k: number,
  x: number,
  y: number,
  step: number,
  seed: number,
  trial: number,
): number {
  return loss(k, x, y, step) + 0.01 * noise(seed, trial, step, k);
}
