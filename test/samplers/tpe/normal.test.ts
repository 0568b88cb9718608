import '../../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../../../src/index.js';
import {
  erfc,
  expNonPositive,
  logGaussMass,
  logMassWithin,
  logNdtr,
  ndtr,
  ndtriExp,
  truncatedNormalQuantile,
} from '../../../src/samplers/tpe/normal.js';

const close = (actual: number, expected: number, tolerance = 1e-12): void =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} is not close to ${expected}`,
  );

describe('normal functions', () => {
  // Reference values from CPython's math.erfc; log Φ(−30) from the asymptotic series.
  const erfcCases: [number, number][] = [
    [-1, 1.8427007929497148],
    [0, 1],
    [0.3, 0.6713732405408726],
    [0.9, 0.20309178757716786],
    [2, 0.004677734981047266],
    [5, 1.5374597944280351e-12],
    [10, 2.088487583762545e-45],
  ];
  for (const [x, expected] of erfcCases) {
    it(`erfc(${x}) matches the reference to 1e-13 relative`, () => close(erfc(x), expected, 1e-13));
  }

  it('log Φ is accurate far in the lower tail and inverts through ndtriExp', () => {
    close(logNdtr(-30), -454.32124395634315, 1e-12);
    for (const x of [-40, -10, -1, 0, 0.5, 3, 8]) close(ndtriExp(logNdtr(x)), x, 1e-9);
  });

  it('the log mass of an interval is the same on both sides of the mean', () => {
    close(logGaussMass(1, 2), logGaussMass(-2, -1), 1e-12);
    close(logGaussMass(-1, 1), Math.log(1 - erfc(Math.SQRT1_2)), 1e-12);
  });

  it('expNonPositive is Math.exp to 1e-15 relative, by table or by fallback', () => {
    const random = new Random(5);
    for (let k = 0; k < 20000; k++) {
      const y = -40 * random.uniform();
      const ratio = expNonPositive(y) / Math.exp(y);
      assert.ok(Math.abs(ratio - 1) < 1e-15, `exp(${y}) off by ${ratio - 1} relative`);
    }
    for (const y of [0, -40, -1e-300, -41, -800, -Infinity]) {
      close(expNonPositive(y), Math.exp(y), 1e-15);
    }
  });

  it('a kernel normalizer (mass inside the bounds) agrees with the exact log mass', () => {
    const random = new Random(6);
    for (let k = 0; k < 20000; k++) {
      const a = -10 * random.uniform();
      const b = 10 * random.uniform() + 1e-9;
      close(logMassWithin(a, b), logGaussMass(a, b), 1e-15);
    }
  });

  it('a truncated normal quantile inverts the truncated distribution, in either tail', () => {
    // The truncated CDF solved by bisection on the side of the mean where it keeps precision.
    const quantile = (u: number, a: number, b: number): number => {
      const mass = ndtr(b) - ndtr(a);
      const lower = ndtr(a) + u * mass <= 0.5;
      const target = lower ? ndtr(a) + u * mass : ndtr(-b) + (1 - u) * mass;
      let lo = a;
      let hi = b;
      for (let i = 0; i < 200; i++) {
        const mid = 0.5 * (lo + hi);
        const below = lower ? ndtr(mid) < target : ndtr(-mid) > target;
        if (below) lo = mid;
        else hi = mid;
      }
      return lo;
    };
    const bounds: [number, number][] = [
      [-40, 40],
      [-8.6, 3],
      [-0.001, 0.002],
      [0, 1],
      [-3, 0.5],
      [-2, 8.5],
      [-0.5, 37],
    ];
    for (const [a, b] of bounds) {
      for (const u of [1e-200, 1e-9, 0.001, 0.3, 0.5, 0.9, 1 - 1e-9, 1 - 2 ** -53]) {
        close(truncatedNormalQuantile(u, a, b), quantile(u, a, b), 1e-12);
      }
    }
  });
});
