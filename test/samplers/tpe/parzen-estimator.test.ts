import '../../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CategoricalDistribution,
  FloatDistribution,
  IntDistribution,
  Random,
} from '../../../src/index.js';
import { argsortStable } from '../../../src/samplers/tpe/bandwidth.js';
import {
  ParzenEstimator,
  ParzenWorkspace,
  type ParzenSettings,
} from '../../../src/samplers/tpe/parzen-estimator.js';
import { SortedKernels } from '../../../src/samplers/tpe/sorted-kernels.js';
import { SortedBuffers } from '../../../src/samplers/tpe/sorted-layout.js';
import { EstimatorSpace } from '../../../src/samplers/tpe/space.js';
import { ndtr } from '../../../src/samplers/tpe/normal.js';

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

  it('draws a log-scaled int as the log of a grid value, so it is scored where it is used', () => {
    const space = new EstimatorSpace([['n', new IntDistribution(1, 1000, { log: true })]]);
    const settings = { ...NO_PRIOR, considerPrior: true };
    const observed = Float64Array.of(0, Math.log(3), Math.log(200));
    const estimator = new ParzenEstimator(
      space.dims,
      [observed],
      Float64Array.of(1, 1, 1),
      settings,
    );
    const [draws] = estimator.sample(new Random(3), 500);
    for (const y of draws!) {
      const n = Math.round(Math.exp(y));
      assert.ok(n >= 1 && n <= 1000 && Math.abs(y - Math.log(n)) < 1e-12, `draw ${y}`);
    }
  });

  const sortedCases: [string, FloatDistribution | IntDistribution][] = [
    ['a float', new FloatDistribution(-5, 10)],
    ['a log float', new FloatDistribution(1e-3, 10, { log: true })],
    ['an int', new IntDistribution(1, 100)],
    ['an int with a step', new IntDistribution(0, 1000, { step: 5 })],
  ];
  for (const [name, distribution] of sortedCases) {
    it(`sums only nearby kernels of many for ${name}, with the density of the full sum`, () => {
      // A one-choice categorical leaves the density as it is but takes the general path.
      const alone = new EstimatorSpace([['x', distribution]]);
      const paired = new EstimatorSpace([
        ['x', distribution],
        ['c', new CategoricalDistribution(['only'])],
      ]);
      const random = new Random(7);
      const n = 400;
      const settings = { ...NO_PRIOR, considerPrior: true };
      const draw = (): number => {
        const value = distribution.toExternal(
          distribution.log
            ? Math.exp(random.uniformIn(Math.log(distribution.low), Math.log(distribution.high)))
            : random.uniformIn(distribution.low, distribution.high),
        );
        return distribution.log ? Math.log(value) : value;
      };
      const observed = Float64Array.from({ length: n }, draw);
      const weights = Float64Array.from({ length: n }, () => random.uniformIn(0.01, 1));
      const fast = new ParzenEstimator(alone.dims, [observed], weights, settings);
      const full = new ParzenEstimator(
        paired.dims,
        [observed, new Float64Array(n)],
        weights,
        settings,
      );
      const points = Float64Array.from({ length: 60 }, draw);
      points[0] = alone.dims[0]!.kind === 'discrete' ? distribution.low : alone.dims[0]!.low;
      const expected = new Float64Array(60);
      const actual = new Float64Array(60);
      full.logPdf([points, new Float64Array(60)], 60, expected);
      fast.logPdf([points], 60, actual);
      actual.forEach((v, i) => close(v, expected[i]!, 1e-12));
    });
  }

  for (const [name, distribution] of sortedCases) {
    it(`picks ${name}'s best ratio among candidates as scoring them all does`, () => {
      const space = new EstimatorSpace([['x', distribution]]);
      const [dim] = space.dims;
      const random = new Random(13);
      const settings = { ...NO_PRIOR, considerPrior: true };
      const n = 500;
      const observed = Float64Array.from({ length: n }, () =>
        distribution.log
          ? random.uniformIn(dim!.low, dim!.high)
          : distribution.toExternal(random.uniformIn(distribution.low, distribution.high)),
      );
      const weights = Float64Array.from({ length: n }, () => random.uniformIn(0.01, 1));
      const rows = Int32Array.from(argsortStable(observed));
      const values = Float64Array.from(rows, (r) => observed[r]!);
      const mixture = new ParzenWorkspace().mixtureOf(weights, 1);
      const kernels = SortedKernels.fromSorted(dim!, values, rows, mixture, settings);
      for (let round = 0; round < 40; round++) {
        // Candidates near observations, as TPE's are; one repeated, so that two tie.
        const points = Float64Array.from({ length: 24 }, () => observed[random.integer(n)]!);
        points[20] = points[3]!;
        const logPdf = new Float64Array(24);
        kernels.logPdf(points, 24, logPdf);
        const logOther = Float64Array.from(logPdf, (v) => v + 2 * random.uniform());
        logOther[20] = logOther[3]!;
        if (round % 4 === 0) logOther[round % 24] = -Infinity;
        let expected = 0;
        for (let s = 1; s < 24; s++) {
          if (logOther[s]! - logPdf[s]! > logOther[expected]! - logPdf[expected]!) expected = s;
        }
        assert.equal(kernels.argmaxRatio(points, 24, logOther), expected);
      }
    });
  }

  const settingsCases: [string, Partial<ParzenSettings>][] = [
    ['defaults', { considerPrior: true, considerMagicClip: true }],
    ['no prior', { considerPrior: false, considerMagicClip: true }],
    [
      'endpoints, no clip',
      { considerPrior: true, considerEndpoints: true, considerMagicClip: false },
    ],
  ];
  for (const [name, distribution] of [
    ...sortedCases,
    ['a log int', new IntDistribution(1, 1000, { log: true })] as const,
  ]) {
    for (const [settingsName, overrides] of settingsCases) {
      it(`builds ${name}'s kernels straight from sorted values (${settingsName})`, () => {
        const space = new EstimatorSpace([['x', distribution]]);
        const [dim] = space.dims;
        const random = new Random(11);
        const settings = { ...NO_PRIOR, ...overrides };
        const draw = (): number => {
          // Half the draws bunch near the low end, so widths differ and ints repeat.
          const u = random.uniform() < 0.5 ? 0.05 * random.uniform() : random.uniform();
          const value = distribution.toExternal(
            distribution.log
              ? Math.exp(Math.log(distribution.low) * (1 - u) + Math.log(distribution.high) * u)
              : distribution.low * (1 - u) + distribution.high * u,
          );
          return distribution.log ? Math.log(value) : value;
        };
        const n = 300;
        const observed = Float64Array.from({ length: n }, draw);
        const weights = Float64Array.from({ length: n }, () => random.uniformIn(0.01, 1));
        const general = new ParzenEstimator(space.dims, [observed], weights, settings);
        const rows = Int32Array.from(argsortStable(observed));
        const values = Float64Array.from(rows, (r) => observed[r]!);
        const mixture = new ParzenWorkspace().mixtureOf(
          weights,
          settings.considerPrior ? settings.priorWeight : 0,
        );
        const direct = SortedKernels.fromSorted(dim!, values, rows, mixture, settings);
        const points = Float64Array.from({ length: 80 }, draw);
        points[0] = dim!.kind === 'discrete' ? distribution.low : dim!.low;
        points[1] = dim!.kind === 'discrete' ? distribution.high : dim!.high;
        const expected = new Float64Array(80);
        const actual = new Float64Array(80);
        general.logPdf([points], 80, expected);
        direct.logPdf(points, 80, actual);
        actual.forEach((v, i) => close(v, expected[i]!, 1e-12));
      });
    }
  }

  it('builds sorted kernels into reused buffers as into fresh ones', () => {
    // One set of buffers serves every parameter of a proposal, so an estimator built into
    // them must not depend on what the previous one left there (widths, built blocks).
    const buffers = new SortedBuffers();
    const random = new Random(5);
    const settings = { ...NO_PRIOR, considerPrior: true, considerMagicClip: true };
    const cases = [
      [new FloatDistribution(-5, 10), 700],
      [new IntDistribution(1, 100), 300],
      [new FloatDistribution(0, 1), 120],
      [new IntDistribution(1, 100), 900],
    ] as const;
    for (const [distribution, n] of cases) {
      const [dim] = new EstimatorSpace([['x', distribution]]).dims;
      const observed = Float64Array.from({ length: n }, () =>
        distribution.toExternal(random.uniformIn(distribution.low, distribution.high)),
      );
      const rows = Int32Array.from(argsortStable(observed));
      const values = Float64Array.from(rows, (r) => observed[r]!);
      const weights = Float64Array.from({ length: n }, () => random.uniformIn(0.01, 1));
      const mixture = new ParzenWorkspace().mixtureOf(weights, 1);
      const points = Float64Array.from({ length: 40 }, () => observed[random.integer(n)]!);
      const fresh = new Float64Array(40);
      const reused = new Float64Array(40);
      SortedKernels.fromSorted(dim!, values, rows, mixture, settings).logPdf(points, 40, fresh);
      SortedKernels.fromSorted(dim!, values, rows, mixture, settings, buffers).logPdf(
        points,
        40,
        reused,
      );
      assert.deepEqual(reused, fresh, `${distribution.kind} with ${n} observations`);
    }
  });

  it('gives joint int kernels the exact mass of each grid cell', () => {
    // Joint kernels share one width, so their cell masses come from a table; check them
    // against the mixture written out with Φ.
    const space = new EstimatorSpace([['n', new IntDistribution(0, 30, { step: 3 })]]);
    const observed = Float64Array.of(0, 9, 9, 21, 30);
    const weights = Float64Array.of(1, 0.5, 1, 2, 1);
    const settings = { ...NO_PRIOR, considerPrior: true, multivariate: true };
    const estimator = new ParzenEstimator(space.dims, [observed], weights, settings);
    const range = 33;
    // Scott's rule on the observations' sample standard deviation, then the magic clip.
    const mean = observed.reduce((a, b) => a + b, 0) / 5;
    const sd = Math.sqrt(observed.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    const width = Math.max(range / 7, sd * 5 ** (-1 / 5));
    const mus = [...observed, 15];
    const sigmas = [...observed].map(() => width).concat(range);
    const mixture = [...weights, 1];
    const total = mixture.reduce((a, b) => a + b, 0);
    const mass = (mu: number, sigma: number, lo: number, hi: number): number =>
      ndtr((hi - mu) / sigma) - ndtr((lo - mu) / sigma);
    const grid = Array.from({ length: 11 }, (_, i) => 3 * i);
    const expected = grid.map((x) =>
      Math.log(
        mus.reduce((sum, mu, j) => {
          const cell = mass(mu, sigmas[j]!, x - 1.5, x + 1.5);
          return sum + (mixture[j]! / total) * (cell / mass(mu, sigmas[j]!, -1.5, 31.5));
        }, 0),
      ),
    );
    logPdfAt(estimator, grid).forEach((v, i) => close(v, expected[i]!, 1e-10));
  });
});
