import type { Random } from '../../random.js';
import { bandwidths } from './bandwidth.js';
import { logGaussMass, logNormalPdf, truncatedNormalQuantile } from './normal.js';
import type { Dimension } from './space.js';

/** How a {@link ParzenEstimator} is built; see `TPESamplerOptions` for each field. */
export interface ParzenSettings {
  readonly considerPrior: boolean;
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  readonly multivariate: boolean;
}

/**
 * A kernel more than this many nats below the best one changes the density by under 3e-16
 * of itself, below double precision; such kernels are skipped.
 */
const LOG_CUTOFF = 36;
const LOG_NORMAL_AT_0 = logNormalPdf(0);

/** The kernels of one numeric coordinate: truncated normals, on a grid when discrete. */
interface NumericKernels {
  readonly kind: 'continuous' | 'discrete';
  readonly dim: Dimension;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly invSigma: Float64Array;
  /** Continuous: −log σ − log √(2π) − log mass on [low, high]. Discrete: −log mass. */
  readonly offset: Float64Array;
}

/** The kernels of one categorical coordinate: a row of choice probabilities per kernel. */
interface CategoricalKernels {
  readonly kind: 'categorical';
  readonly dim: Dimension;
  readonly logProbs: Float64Array;
  readonly cumulative: Float64Array;
}

type Kernels = NumericKernels | CategoricalKernels;

/**
 * Scratch buffers for {@link ParzenEstimator.logPdf}, grown as needed and shared by the
 * estimators of a sampler (they are used one after another), so proposals do not allocate
 * them anew.
 */
export class ParzenWorkspace {
  private acc = new Float64Array(0);
  private upper = new Float64Array(0);
  private slack = new Float64Array(0);

  /** Buffers of at least `size` entries; `upper` and `slack` only when asked for. */
  reserve(
    size: number,
    bounds: boolean,
  ): { acc: Float64Array; upper: Float64Array; slack: Float64Array } {
    if (this.acc.length < size) this.acc = new Float64Array(size);
    if (bounds && this.upper.length < size) {
      this.upper = new Float64Array(size);
      this.slack = new Float64Array(size);
    }
    return { acc: this.acc, upper: this.upper, slack: this.slack };
  }
}

/**
 * A mixture of product kernels over a set of coordinates: one kernel per observation plus a
 * wide prior kernel, weighted. Built once per proposal; {@link ParzenEstimator.logPdf}
 * evaluates every candidate against every kernel in one pass over typed arrays.
 *
 * Numeric coordinates use truncated normal kernels (discrete ones integrate each kernel over
 * the grid cell, as in Optuna 4), categorical coordinates a smoothed kernel that puts
 * `1 + priorWeight / nKernels` on the observed choice and `priorWeight / nKernels` on the rest.
 */
export class ParzenEstimator {
  readonly nKernels: number;
  private readonly logWeights: Float64Array;
  private readonly cumulativeWeights: Float64Array;
  private readonly kernels: readonly Kernels[];
  private readonly discrete: readonly NumericKernels[];
  private readonly discreteDims: readonly number[];
  private readonly workspace: ParzenWorkspace;

  /**
   * @param columns one column of n observations per coordinate, in the modelled space.
   * @param weights n non-negative observation weights, not all zero when n > 0.
   */
  constructor(
    dims: readonly Dimension[],
    columns: readonly Float64Array[],
    weights: Float64Array,
    settings: ParzenSettings,
    workspace: ParzenWorkspace = new ParzenWorkspace(),
  ) {
    this.workspace = workspace;
    const n = weights.length;
    const prior = settings.considerPrior || n === 0;
    this.nKernels = n + (prior ? 1 : 0);
    const mixture = new Float64Array(this.nKernels);
    mixture.set(weights);
    if (prior) mixture[n] = n === 0 ? 1 : settings.priorWeight;
    let total = 0;
    for (const w of mixture) total += w;
    this.logWeights = mixture.map((w) => Math.log(w / total));
    this.cumulativeWeights = new Float64Array(this.nKernels);
    let running = 0;
    for (let j = 0; j < this.nKernels; j++) {
      running += mixture[j]! / total;
      this.cumulativeWeights[j] = running;
    }
    const jointDims = settings.multivariate ? dims.length : 0;
    this.kernels = dims.map((dim, d) =>
      dim.kind === 'categorical'
        ? categoricalKernels(dim, columns[d]!, n, this.nKernels, settings)
        : numericKernels(dim, columns[d]!, prior, settings, jointDims),
    );
    this.discreteDims = dims.flatMap((dim, d) => (dim.kind === 'discrete' ? [d] : []));
    this.discrete = this.discreteDims.map((d) => this.kernels[d] as NumericKernels);
  }

  /** `nSamples` draws from the mixture, one column per coordinate. O(nSamples · dims). */
  sample(random: Random, nSamples: number): Float64Array[] {
    const out = this.kernels.map(() => new Float64Array(nSamples));
    for (let s = 0; s < nSamples; s++) {
      const j = searchCumulative(this.cumulativeWeights, 0, this.nKernels, random.uniform());
      for (let d = 0; d < this.kernels.length; d++) {
        out[d]![s] = drawFromKernel(this.kernels[d]!, j, random);
      }
    }
    return out;
  }

  /**
   * Writes log p(x) of each of `nSamples` points (columns as {@link ParzenEstimator.sample}
   * returns them) into `out`. O(nSamples · nKernels · dims), with one exp per kernel that is
   * within reach of the best one.
   */
  logPdf(samples: readonly Float64Array[], nSamples: number, out: Float64Array): void {
    // Candidates often repeat (categorical and int draws), and a repeat has the same density.
    const { first, unique } = distinctRows(samples, nSamples);
    if (unique.length === nSamples) {
      this.logPdfOfDistinct(samples, nSamples, out);
      return;
    }
    const compact = samples.map((column) => Float64Array.from(unique, (s) => column[s]!));
    const values = new Float64Array(unique.length);
    this.logPdfOfDistinct(compact, unique.length, values);
    for (let s = 0; s < nSamples; s++) out[s] = values[first[s]!]!;
  }

  private logPdfOfDistinct(
    samples: readonly Float64Array[],
    nSamples: number,
    out: Float64Array,
  ): void {
    const nK = this.nKernels;
    const size = nSamples * nK;
    const hasDiscrete = this.discrete.length > 0;
    const { acc, upper, slack } = this.workspace.reserve(size, hasDiscrete);
    for (let s = 0; s < nSamples; s++) acc.set(this.logWeights, s * nK);
    if (hasDiscrete) {
      upper.fill(0, 0, size);
      slack.fill(0, 0, size);
    }
    for (let d = 0; d < this.kernels.length; d++) {
      const kernels = this.kernels[d]!;
      if (kernels.kind === 'discrete') {
        addDiscreteBounds(kernels, samples[d]!, nSamples, nK, acc, upper, slack);
      } else {
        addLogDensity(kernels, samples[d]!, nSamples, nK, acc);
      }
    }
    if (hasDiscrete) {
      refineDiscrete(this.discrete, samples, this.discreteDims, nSamples, nK, {
        acc,
        upper,
        slack,
      });
    }
    for (let s = 0; s < nSamples; s++) out[s] = logSumExpRow(acc, s * nK, nK);
  }
}

/**
 * For each sample, the position among the distinct samples of its first equal; and the index
 * of each distinct sample. O(nSamples² · dims), small next to the kernel sums.
 */
function distinctRows(
  samples: readonly Float64Array[],
  nSamples: number,
): { first: Int32Array; unique: number[] } {
  const first = new Int32Array(nSamples);
  const unique: number[] = [];
  for (let s = 0; s < nSamples; s++) {
    let match = -1;
    for (let u = 0; u < unique.length && match < 0; u++) {
      if (samples.every((column) => column[unique[u]!] === column[s])) match = u;
    }
    if (match < 0) {
      match = unique.length;
      unique.push(s);
    }
    first[s] = match;
  }
  return { first, unique };
}

function numericKernels(
  dim: Dimension,
  observed: Float64Array,
  prior: boolean,
  settings: ParzenSettings,
  jointDims: number,
): NumericKernels {
  const n = observed.length;
  const { low, high, step } = dim;
  const sigmas = bandwidths(observed, {
    low,
    high,
    step,
    prior,
    considerEndpoints: settings.considerEndpoints,
    considerMagicClip: settings.considerMagicClip,
    jointDims: jointDims > 0 ? jointDims : dim.blockSize > 1 ? dim.blockSize : 0,
  });
  const nK = n + (prior ? 1 : 0);
  const mu = new Float64Array(nK);
  const sigma = new Float64Array(nK);
  mu.set(observed);
  sigma.set(sigmas);
  if (prior) {
    mu[n] = 0.5 * (low + high);
    sigma[n] = high - low + step;
  }
  const invSigma = sigma.map((s) => 1 / s);
  const offset = new Float64Array(nK);
  const lo = low - step / 2;
  const hi = high + step / 2;
  for (let j = 0; j < nK; j++) {
    const mass = logMassWithin((lo - mu[j]!) * invSigma[j]!, (hi - mu[j]!) * invSigma[j]!);
    offset[j] = step > 0 ? -mass : -Math.log(sigma[j]!) - mass + logNormalPdf(0);
  }
  return { kind: step > 0 ? 'discrete' : 'continuous', dim, mu, sigma, invSigma, offset };
}

/** Beyond this many σ on both sides, a kernel's mass outside the bounds is below 1e-17. */
const FAR = 8.5;

/** log mass of [a, b], 0 without the erfc calls when both ends are far out. */
function logMassWithin(a: number, b: number): number {
  return a < -FAR && b > FAR ? 0 : logGaussMass(a, b);
}

function categoricalKernels(
  dim: Dimension,
  observed: Float64Array,
  n: number,
  nK: number,
  settings: ParzenSettings,
): CategoricalKernels {
  const c = dim.nChoices;
  const probs = new Float64Array(nK * c);
  if (n === 0) {
    probs.fill(1 / c);
  } else {
    probs.fill(settings.priorWeight / nK);
    for (let j = 0; j < n; j++) probs[j * c + observed[j]!]! += 1;
  }
  const logProbs = new Float64Array(nK * c);
  const cumulative = new Float64Array(nK * c);
  for (let j = 0; j < nK; j++) {
    let total = 0;
    for (let k = 0; k < c; k++) total += probs[j * c + k]!;
    let running = 0;
    for (let k = 0; k < c; k++) {
      const p = probs[j * c + k]! / total;
      logProbs[j * c + k] = Math.log(p);
      running += p;
      cumulative[j * c + k] = running;
    }
    cumulative[j * c + c - 1] = 1;
  }
  return { kind: 'categorical', dim, logProbs, cumulative };
}

/** The first index in [from, to) whose cumulative value exceeds u (the last one otherwise). */
function searchCumulative(cumulative: Float64Array, from: number, to: number, u: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo - from;
}

function drawFromKernel(kernels: Kernels, j: number, random: Random): number {
  const { dim } = kernels;
  if (kernels.kind === 'categorical') {
    const c = dim.nChoices;
    return searchCumulative(kernels.cumulative, j * c, j * c + c, random.uniform());
  }
  const mu = kernels.mu[j]!;
  const sigma = kernels.sigma[j]!;
  const half = dim.step / 2;
  const a = (dim.low - half - mu) / sigma;
  const b = (dim.high + half - mu) / sigma;
  const x = mu + sigma * truncatedNormalQuantile(random.uniform(), a, b);
  if (kernels.kind === 'continuous') return Math.min(dim.high, Math.max(dim.low, x));
  const snapped = dim.low + Math.round((x - dim.low) / dim.step) * dim.step;
  return Math.min(dim.high, Math.max(dim.low, snapped));
}

function addLogDensity(
  kernels: Kernels,
  xs: Float64Array,
  nSamples: number,
  nK: number,
  acc: Float64Array,
): void {
  if (kernels.kind === 'categorical') {
    const c = kernels.dim.nChoices;
    const logProbs = kernels.logProbs;
    for (let s = 0; s < nSamples; s++) {
      const choice = xs[s]!;
      const row = s * nK;
      for (let j = 0; j < nK; j++) acc[row + j]! += logProbs[j * c + choice]!;
    }
    return;
  }
  const { mu, invSigma, offset } = kernels;
  if (kernels.kind === 'continuous') {
    for (let s = 0; s < nSamples; s++) {
      const x = xs[s]!;
      const row = s * nK;
      for (let j = 0; j < nK; j++) {
        const z = (x - mu[j]!) * invSigma[j]!;
        acc[row + j]! += offset[j]! - 0.5 * z * z;
      }
    }
    return;
  }
  throw new Error('discrete kernels are added by addDiscreteBounds');
}

/**
 * Discrete coordinates in two passes. The first adds, for each kernel, a cheap upper bound of
 * its log mass on the candidate's grid cell (cell width times the largest density on it),
 * and records how far below that a lower bound (width times the smallest density) may be.
 * {@link refineDiscrete} then computes the exact mass only for kernels whose upper bound
 * reaches within LOG_CUTOFF of the best lower bound; the others cannot matter.
 */
function addDiscreteBounds(
  kernels: NumericKernels,
  xs: Float64Array,
  nSamples: number,
  nK: number,
  acc: Float64Array,
  upper: Float64Array,
  slack: Float64Array,
): void {
  const { mu, invSigma, offset, dim } = kernels;
  const half = dim.step / 2;
  for (let s = 0; s < nSamples; s++) {
    const left = Math.max(xs[s]! - half, dim.low - half);
    const right = Math.min(xs[s]! + half, dim.high + half);
    const row = s * nK;
    for (let j = 0; j < nK; j++) {
      const a = (left - mu[j]!) * invSigma[j]!;
      const b = (right - mu[j]!) * invSigma[j]!;
      const near = a > 0 ? a : b < 0 ? -b : 0;
      const far = Math.max(-a, b);
      const logWidth = Math.log(b - a);
      const high = logWidth - 0.5 * near * near + LOG_NORMAL_AT_0 + offset[j]!;
      acc[row + j]! += high;
      upper[row + j]! += high;
      slack[row + j]! += 0.5 * (far * far - near * near);
    }
  }
}

/** Replaces the bounds of discrete coordinates by exact log masses where they can matter. */
function refineDiscrete(
  discrete: readonly NumericKernels[],
  samples: readonly Float64Array[],
  dimIndex: readonly number[],
  nSamples: number,
  nK: number,
  buffers: { acc: Float64Array; upper: Float64Array; slack: Float64Array },
): void {
  const { acc, upper, slack } = buffers;
  for (let s = 0; s < nSamples; s++) {
    const row = s * nK;
    let bestLower = -Infinity;
    for (let j = 0; j < nK; j++) bestLower = Math.max(bestLower, acc[row + j]! - slack[row + j]!);
    const threshold = bestLower - LOG_CUTOFF;
    for (let j = 0; j < nK; j++) {
      if (!(acc[row + j]! > threshold)) {
        acc[row + j] = -Infinity;
        continue;
      }
      let exact = acc[row + j]! - upper[row + j]!;
      for (let t = 0; t < discrete.length; t++) {
        exact += exactDiscrete(discrete[t]!, samples[dimIndex[t]!]![s]!, j);
      }
      acc[row + j] = exact;
    }
  }
}

/** A kernel's exact log mass on the grid cell around x, over its mass on the whole grid. */
function exactDiscrete(kernels: NumericKernels, x: number, j: number): number {
  const { mu, invSigma, offset, dim } = kernels;
  const half = dim.step / 2;
  const left = Math.max(x - half, dim.low - half);
  const right = Math.min(x + half, dim.high + half);
  return logGaussMass((left - mu[j]!) * invSigma[j]!, (right - mu[j]!) * invSigma[j]!) + offset[j]!;
}

/** log Σ exp over one row, skipping terms too small to change the sum. */
function logSumExpRow(acc: Float64Array, start: number, length: number): number {
  let max = -Infinity;
  for (let j = start; j < start + length; j++) if (acc[j]! > max) max = acc[j]!;
  if (max === -Infinity) return -Infinity;
  const floor = max - LOG_CUTOFF;
  let total = 0;
  for (let j = start; j < start + length; j++) {
    const t = acc[j]!;
    if (t > floor) total += Math.exp(t - max);
  }
  return max + Math.log(total);
}
