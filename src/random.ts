/**
 * Seeded random numbers for samplers and data splits, on pure-rand's xoroshiro128+.
 * Every consumer receives its own {@link Random}; nothing in hpo uses a global source.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** A seeded source of uniform, normal, gamma and integer draws. Not thread-shared. */
export class Random {
  private generator: Generator;
  private spareNormal = Number.NaN;

  /** @param seed any finite number; absent, a seed is drawn from `Math.random`. */
  constructor(seed?: number) {
    this.generator = Random.start(seed);
  }

  /** Folds any finite number (or none) into a 32-bit seed. */
  static normalizeSeed(seed: number | undefined): number {
    if (seed === undefined) return Math.floor(Math.random() * 0x7fffffff);
    return Math.trunc(seed) | 0;
  }

  /** Restarts the sequence from a new seed. */
  reseed(seed?: number): void {
    this.generator = Random.start(seed);
    this.spareNormal = Number.NaN;
  }

  /**
   * xoroshiro128+ seeded from a small integer starts with outputs near 1, so the seed is first
   * scrambled (MurmurHash3's 32-bit finalizer) and the first outputs are dropped.
   */
  private static start(seed: number | undefined): Generator {
    let h = Random.normalizeSeed(seed);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    const generator = xoroshiro128plus((h ^ (h >>> 16)) | 0);
    for (let i = 0; i < 16; i++) generator.next();
    return generator;
  }

  /** A uniform draw in [0, 1) with 53 random bits. */
  uniform(): number {
    return uniformFloat64(this.generator);
  }

  /** A uniform draw in [low, high). */
  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** A uniform integer in [0, n). */
  integer(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** A standard normal draw (Marsaglia's polar method; the second variate is kept). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return u * factor;
  }

  /** An exponential draw with rate 1: the Gamma(1) that a flat Dirichlet needs. */
  exponential(): number {
    return -Math.log(1 - this.uniform());
  }

  /** A 32-bit integer seed drawn from this source, for seeding another one. */
  seed(): number {
    return Math.floor(this.uniform() * 0x7fffffff);
  }
}

/**
 * A 32-bit seed for one decision, from a sampler's seed, a trial number and a key (FNV-1a over
 * the key, then mixed). Samplers that draw each decision from its own derived source propose
 * the same after a resume as in an uninterrupted run, whatever ran in between.
 */
export function deriveSeed(seed: number, trialNumber: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ trialNumber, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) | 0;
}
