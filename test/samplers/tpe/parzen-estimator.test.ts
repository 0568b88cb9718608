import '../../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CategoricalDistribution,
  FloatDistribution,
  IntDistribution,
  Random,
} from '../../../src/index.js';
import {
  ParzenEstimator,
  type ParzenSettings,
} from '../../../src/samplers/tpe/parzen-estimator.js';
import { EstimatorSpace } from '../../../src/samplers/tpe/space.js';

const NO_PRIOR: ParzenSettings = {
  considerPrior: false,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: false,
};

function logPdfAt(estimator: ParzenEstimator, xs: number[]): number[] {
  const out = new Float64Array(xs.length);
  estimator.logPdf([Float64Array.from(xs)], xs.length, out);
  return [...out];
}

const close = (actual: number, expected: number, tolerance = 1e-12): void =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} is not close to ${expected}`,
  );

describe('ParzenEstimator', () => {
  it('has the density of one truncated normal kernel for one continuous observation', () => {
    // One observation at 4 in [0, 10]: bandwidth max(4, 6) = 6, inside the clip [5, 10].
    const space = new EstimatorSpace([['x', new FloatDistribution(0, 10)]]);
    const estimator = new ParzenEstimator(
      space.dims,
      [Float64Array.of(4)],
      Float64Array.of(1),
      NO_PRIOR,
    );
    const expected = [
      -2.403340178520748, -2.2123679562985257, -2.1811179562985257, -2.664590178520748,
    ];
    logPdfAt(estimator, [0, 2.5, 4, 9.9]).forEach((v, i) => close(v, expected[i]!));
  });

  it('gives an int kernel the mass of each grid cell, summing to one', () => {
    // One observation at 5 in [0, 10]: bandwidth max(5.5, 5.5), range 11 / 2 = 5.5.
    const space = new EstimatorSpace([['n', new IntDistribution(0, 10)]]);
    const estimator = new ParzenEstimator(
      space.dims,
      [Float64Array.of(5)],
      Float64Array.of(1),
      NO_PRIOR,
    );
    const grid = Array.from({ length: 11 }, (_, i) => i);
    const values = logPdfAt(estimator, grid);
    close(values[5]!, -2.243348130904644);
    close(values[0]!, -2.655434427778186);
    close(
      values.reduce((s, v) => s + Math.exp(v), 0),
      1,
      1e-12,
    );
  });

  it('smooths a categorical kernel by the prior weight', () => {
    // Kernel rows: [1.5, .5, .5, .5] / 3 for the observation, uniform for the prior; equal weights.
    const space = new EstimatorSpace([['c', new CategoricalDistribution(['a', 'b', 'c', 'd'])]]);
    const settings = { ...NO_PRIOR, considerPrior: true };
    const estimator = new ParzenEstimator(
      space.dims,
      [Float64Array.of(1)],
      Float64Array.of(1),
      settings,
    );
    const p = logPdfAt(estimator, [0, 1, 2, 3]).map(Math.exp);
    [5 / 24, 0.375, 5 / 24, 5 / 24].forEach((expected, i) => close(p[i]!, expected));
  });

  it('is the prior alone, uniform-like and normalized, without observations', () => {
    const space = new EstimatorSpace([['n', new IntDistribution(1, 6)]]);
    const estimator = new ParzenEstimator(
      space.dims,
      [new Float64Array(0)],
      new Float64Array(0),
      NO_PRIOR,
    );
    const p = logPdfAt(estimator, [1, 2, 3, 4, 5, 6]).map(Math.exp);
    close(
      p.reduce((s, v) => s + v, 0),
      1,
      1e-12,
    );
    close(p[0]!, p[5]!);
  });

  it('draws samples inside the bounds and on the grid, the same for the same seed', () => {
    const space = new EstimatorSpace([
      ['x', new FloatDistribution(1e-3, 1, { log: true })],
      ['n', new IntDistribution(0, 100, { step: 5 })],
      ['c', new CategoricalDistribution([1, 2, 3])],
    ]);
    const columns = [
      Float64Array.of(Math.log(0.01), Math.log(0.5)),
      Float64Array.of(10, 95),
      Float64Array.of(0, 2),
    ];
    const settings = { ...NO_PRIOR, considerPrior: true, multivariate: true };
    const estimator = new ParzenEstimator(space.dims, columns, Float64Array.of(1, 1), settings);
    const first = estimator.sample(new Random(1), 200);
    assert.deepEqual(estimator.sample(new Random(1), 200), first);
    for (let s = 0; s < 200; s++) {
      assert.ok(first[0]![s]! >= Math.log(1e-3) && first[0]![s]! <= 0);
      assert.equal(first[1]![s]! % 5, 0);
      assert.ok([0, 1, 2].includes(first[2]![s]!));
    }
  });
});
