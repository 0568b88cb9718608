import '../../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CategoricalDistribution,
  FloatDistribution,
  IntDistribution,
  Random,
  type Distribution,
} from '../../../src/index.js';
import { JointSums } from '../../../src/samplers/tpe/joint-sums.js';
import {
  ParzenEstimator,
  ParzenWorkspace,
  type ParzenSettings,
} from '../../../src/samplers/tpe/parzen-estimator.js';
import { ndtr } from '../../../src/samplers/tpe/normal.js';
import { EstimatorSpace, type Dimension } from '../../../src/samplers/tpe/space.js';

const MULTIVARIATE: ParzenSettings = {
  considerPrior: true,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: true,
};

const MIXED: [string, Distribution][] = [
  ['x', new FloatDistribution(-5, 10)],
  ['lr', new FloatDistribution(1e-4, 1, { log: true })],
  ['n', new IntDistribution(1, 40)],
  ['k', new IntDistribution(0, 30, { step: 3 })],
  ['c', new CategoricalDistribution(['a', 'b', 'c'])],
];

/** n observations drawn uniformly in the modelled space, with seeded weights. */
function observationsOf(dims: readonly Dimension[], n: number, seed: number) {
  const random = new Random(seed);
  const columns = dims.map((dim) =>
    Float64Array.from({ length: n }, () => {
      if (dim.kind === 'categorical') return Math.floor(random.uniform() * dim.nChoices);
      const u = random.uniform();
      if (dim.kind === 'continuous') return dim.low + u * (dim.high - dim.low);
      return dim.low + Math.round(u * ((dim.high - dim.low) / dim.step)) * dim.step;
    }),
  );
  const weights = Float64Array.from({ length: n }, () => 0.05 + random.uniform());
  return { columns, weights };
}

/**
 * log p(x) of the multivariate mixture written out term by term with Φ and Math.exp: the
 * joint rule's width on every numeric coordinate, truncated to the bounds, cells for ints,
 * smoothed rows for categoricals, the prior as wide as the range.
 */
function reference(
  dims: readonly Dimension[],
  columns: readonly Float64Array[],
  weights: Float64Array,
  settings: ParzenSettings,
  x: readonly number[],
): number {
  const n = weights.length;
  const prior = settings.considerPrior;
  const nK = n + (prior ? 1 : 0);
  const mixture = [...weights, ...(prior ? [settings.priorWeight] : [])];
  const total = mixture.reduce((a, b) => a + b, 0);
  const mass = (mu: number, sigma: number, lo: number, hi: number): number =>
    ndtr((hi - mu) / sigma) - ndtr((lo - mu) / sigma);
  let density = 0;
  for (let j = 0; j < nK; j++) {
    let kernel = mixture[j]! / total;
    dims.forEach((dim, d) => {
      const isPrior = j === n;
      if (dim.kind === 'categorical') {
        const base = settings.priorWeight / nK;
        const row = isPrior ? base : columns[d]![j] === x[d] ? base + 1 : base;
        kernel *= row / (dim.nChoices * base + (isPrior ? 0 : 1));
        return;
      }
      const range = dim.high - dim.low + dim.step;
      const clip = range / Math.min(100, 1 + nK);
      const column = [...columns[d]!];
      const mean = column.reduce((a, b) => a + b, 0) / n;
      const squares = column.reduce((a, b) => a + (b - mean) ** 2, 0);
      const sd = n < 2 ? range / Math.sqrt(12) : Math.sqrt(squares / (n - 1));
      const width = Math.min(range, Math.max(clip, sd * n ** (-1 / (dims.length + 4))));
      const sigma = isPrior ? range : width;
      const mu = isPrior ? 0.5 * (dim.low + dim.high) : columns[d]![j]!;
      const half = dim.step / 2;
      const z = mass(mu, sigma, dim.low - half, dim.high + half);
      if (dim.kind === 'discrete') {
        kernel *= mass(mu, sigma, x[d]! - half, x[d]! + half) / z;
      } else {
        const u = (x[d]! - mu) / sigma;
        kernel *= Math.exp(-0.5 * u * u) / (sigma * Math.sqrt(2 * Math.PI) * z);
      }
    });
    density += kernel;
  }
  return Math.log(density);
}

const close = (actual: number, expected: number, tolerance = 1e-10): void =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} is not close to ${expected}`,
  );

describe('JointSums', () => {
  const space = new EstimatorSpace(MIXED);
  const cases = [
    { n: 3, settings: MULTIVARIATE },
    { n: 7, settings: MULTIVARIATE },
    { n: 300, settings: MULTIVARIATE },
    { n: 40, settings: { ...MULTIVARIATE, considerPrior: false } },
    { n: 40, settings: { ...MULTIVARIATE, considerMagicClip: false, priorWeight: 2 } },
  ];

  for (const { n, settings } of cases) {
    const label = `${n} observations, prior ${settings.considerPrior}, clip ${
      settings.considerMagicClip
    }`;
    it(`has the density of the mixture written out, built either way (${label})`, () => {
      const { columns, weights } = observationsOf(space.dims, n, n);
      const workspace = new ParzenWorkspace();
      const mixture = workspace.mixtureOf(
        weights,
        settings.considerPrior ? settings.priorWeight : 0,
      );
      const direct = JointSums.fromObservations(space.dims, columns, mixture, settings);
      assert.ok(direct !== undefined);
      const estimator = new ParzenEstimator(space.dims, columns, weights, settings, workspace);
      const points = estimator.sample(new Random(99), 40);
      const fromObservations = new Float64Array(40);
      const fromKernels = new Float64Array(40);
      assert.equal(direct.logPdf(points, 40, fromObservations), true);
      estimator.logPdf(points, 40, fromKernels);
      for (let s = 0; s < 40; s++) {
        const expected = reference(
          space.dims,
          columns,
          weights,
          settings,
          points.map((column) => column[s]!),
        );
        close(fromObservations[s]!, expected);
        close(fromKernels[s]!, expected);
      }
    });
  }

  it('picks the largest ratio, the first on ties, as scoring every candidate does', () => {
    const { columns, weights } = observationsOf(space.dims, 500, 5);
    const workspace = new ParzenWorkspace();
    const mixture = workspace.mixtureOf(weights, 1);
    const joint = JointSums.fromObservations(space.dims, columns, mixture, MULTIVARIATE)!;
    const estimator = new ParzenEstimator(space.dims, columns, weights, MULTIVARIATE, workspace);
    const random = new Random(3);
    for (let round = 0; round < 50; round++) {
      const points = estimator.sample(random, 24);
      // Repeat a point, so that two candidates tie exactly.
      for (const column of points) column[17] = column[4]!;
      const logPdf = new Float64Array(24);
      joint.logPdf(points, 24, logPdf);
      const logOther = Float64Array.from(logPdf, (v) => v + 3 * random.uniform());
      logOther[17] = logOther[4]!;
      if (round % 5 === 0) logOther[round % 24] = -Infinity;
      let expected = 0;
      for (let s = 1; s < 24; s++) {
        if (logOther[s]! - logPdf[s]! > logOther[expected]! - logPdf[expected]!) expected = s;
      }
      assert.equal(joint.argmaxRatio(points, 24, logOther), expected);
      assert.equal(estimator.argmaxRatio(points, 24, logOther), expected);
    }
  });

  it('keeps the normalizers of so many coordinates that their product would underflow', () => {
    // 1200 coordinates with every mean on a bound, where each mass within the bounds is
    // about one half: their product is far below the smallest double.
    const many = new EstimatorSpace(
      Array.from({ length: 1200 }, (_, i): [string, Distribution] => [
        `x${i}`,
        new FloatDistribution(0, 1),
      ]),
    );
    const columns = many.dims.map(() => Float64Array.from({ length: 6 }, (_, j) => j % 2));
    const weights = new Float64Array(6).fill(1);
    const workspace = new ParzenWorkspace();
    const mixture = workspace.mixtureOf(weights, 1);
    const joint = JointSums.fromObservations(many.dims, columns, mixture, MULTIVARIATE)!;
    const estimator = new ParzenEstimator(many.dims, columns, weights, MULTIVARIATE, workspace);
    const points = estimator.sample(new Random(2), 8);
    const fromObservations = new Float64Array(8);
    const fromKernels = new Float64Array(8);
    assert.equal(joint.logPdf(points, 8, fromObservations), true);
    estimator.logPdf(points, 8, fromKernels);
    for (let s = 0; s < 8; s++) close(fromObservations[s]!, fromKernels[s]!);
  });

  it('declines points off a discrete grid, so the general path scores them', () => {
    const { columns, weights } = observationsOf(space.dims, 20, 8);
    const mixture = new ParzenWorkspace().mixtureOf(weights, 1);
    const joint = JointSums.fromObservations(space.dims, columns, mixture, MULTIVARIATE)!;
    const points = space.dims.map((dim) => Float64Array.of(dim.low));
    points[2]![0] = 1.5;
    assert.equal(joint.logPdf(points, 1, new Float64Array(1)), false);
    assert.equal(joint.argmaxRatio(points, 1, Float64Array.of(0)), -1);
  });

  it('is not built where the kernels need the general path', () => {
    const wide = new EstimatorSpace([
      ['x', new FloatDistribution(0, 1)],
      ['n', new IntDistribution(0, 100_000)],
    ]);
    const { columns, weights } = observationsOf(wide.dims, 10, 1);
    const mixture = new ParzenWorkspace().mixtureOf(weights, 1);
    // A grid of 100 001 points is too big to tabulate for 11 kernels.
    assert.equal(JointSums.fromObservations(wide.dims, columns, mixture, MULTIVARIATE), undefined);
    const one = new EstimatorSpace([['x', new FloatDistribution(0, 1)]]);
    const single = observationsOf(one.dims, 10, 1);
    const own = new ParzenWorkspace().mixtureOf(single.weights, 1);
    assert.equal(
      JointSums.fromObservations(one.dims, single.columns, own, MULTIVARIATE),
      undefined,
    );
  });
});
