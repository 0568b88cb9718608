import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import '../helpers.js';
import {
  FloatDistribution,
  IntDistribution,
  SIMPLEX_LOG_RATIO_BOUND,
  SimplexDistribution,
} from '../../src/distributions/index.js';
import { Random } from '../../src/random.js';
import { sampleUniform } from '../../src/samplers/uniform.js';

const SEED = { seed: 20261203 };

describe('distribution transforms (property tests)', () => {
  it('simplex weights are non-negative and sum to one for any coordinates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.double({ noNaN: true }), { maxLength: 8 }),
        (k, raw) => {
          const simplex = new SimplexDistribution(Array.from({ length: k }, (_, i) => `t${i}`));
          const coords = Float64Array.from({ length: k - 1 }, (_, i) => raw[i] ?? 0);
          const weights = simplex.weightsOf(coords);
          const total = weights.reduce((sum, w) => sum + w, 0);
          return weights.every((w) => w >= 0) && Math.abs(total - 1) < 1e-12;
        },
      ),
      SEED,
    );
  });

  it('simplex weights round-trip through log-ratio coordinates inside the box', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (ys) => {
          const simplex = new SimplexDistribution(
            Array.from({ length: ys.length + 1 }, (_, i) => `t${i}`),
          );
          const coords = Float64Array.from(ys);
          const back = simplex.toInternal(simplex.toExternal(coords));
          return back.every((y, i) => Math.abs(y - coords[i]!) < 1e-9);
        },
      ),
      SEED,
    );
  });

  it('simplex coordinates never leave the box, whatever the weights', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 6 }),
        (raw) => {
          const total = raw.reduce((a, b) => a + b, 0);
          fc.pre(total > 0);
          const labels = raw.map((_, i) => `t${i}`);
          const value = Object.fromEntries(labels.map((label, i) => [label, raw[i]! / total]));
          const coords = new SimplexDistribution(labels).toInternal(value);
          return coords.every((y) => Math.abs(y) <= SIMPLEX_LOG_RATIO_BOUND);
        },
      ),
      SEED,
    );
  });

  it('float values on a step grid round-trip through toExternal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(40),
        (low, n, k) => {
          const distribution = new FloatDistribution(low / 10, low / 10 + n * 0.1, { step: 0.1 });
          const value = distribution.toExternal(low / 10 + Math.min(k, n) * 0.1);
          return distribution.contains(value) && distribution.toExternal(value) === value;
        },
      ),
      SEED,
    );
  });

  it('uniform draws stay inside every distribution', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer(),
        (low, width, seed) => {
          const random = new Random(seed);
          const ints = [
            new IntDistribution(low, low + width),
            new IntDistribution(low, low + width, { log: true }),
          ];
          const floats = [new FloatDistribution(low, low + width, { log: true })];
          return [...ints, ...floats].every((d) => d.contains(sampleUniform(d, random) as number));
        },
      ),
      SEED,
    );
  });
});

describe('Random', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.uniform());
    };
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });
});
