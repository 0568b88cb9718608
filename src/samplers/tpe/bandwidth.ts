/**
 * Kernel bandwidths of a Parzen estimator over one numeric coordinate (Bergstra et al., 2011,
 * and Optuna's refinements): each kernel is as wide as its larger gap to a neighbour among the
 * sorted observations (the prior's mean included), or a Scott-like rule for joint kernels;
 * then clipped to [range / min(100, n + 1 + prior), range], the "magic clip".
 */

/** Smallest bandwidth when the magic clip is off. */
const MIN_SIGMA = 1e-12;
/** Scale of the joint-kernel bandwidth rule, as in Optuna's multivariate TPE. */
const SCOTT_SCALE = 0.2;

/** What the bandwidth of one coordinate depends on besides the observations. */
export interface BandwidthSettings {
  readonly low: number;
  readonly high: number;
  /** Grid step of a discrete coordinate, 0 for a continuous one. */
  readonly step: number;
  /** Whether the prior kernel is part of the mixture. */
  readonly prior: boolean;
  readonly considerEndpoints: boolean;
  readonly considerMagicClip: boolean;
  /** Coordinates modelled jointly; 0 for the neighbour rule of univariate TPE. */
  readonly jointDims: number;
}

/**
 * One bandwidth per observation in `mus`. O(n log n) for the neighbour rule, O(n) otherwise.
 */
export function bandwidths(mus: Float64Array, settings: BandwidthSettings): Float64Array {
  const { low, high, step, jointDims, considerMagicClip, prior } = settings;
  const n = mus.length;
  const range = high - low + step;
  const sigmas =
    jointDims > 0
      ? new Float64Array(n).fill(SCOTT_SCALE * Math.max(n, 1) ** (-1 / (jointDims + 4)) * range)
      : neighbourGaps(mus, settings);
  const maxSigma = range;
  const minSigma = considerMagicClip ? range / Math.min(100, 1 + n + (prior ? 1 : 0)) : MIN_SIGMA;
  for (let i = 0; i < n; i++) sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]!));
  return sigmas;
}

/**
 * Each observation's larger gap to its sorted neighbours, the ends and the prior mean
 * included. Sorts a copy natively and finds each observation's place by binary search; equal
 * values take consecutive places in order of appearance, as a stable argsort would give them.
 */
function neighbourGaps(mus: Float64Array, settings: BandwidthSettings): Float64Array {
  const { low, high, step, prior, considerEndpoints } = settings;
  const n = mus.length;
  const m = n + (prior ? 1 : 0);
  const points = new Float64Array(m + 2);
  points.set(mus, 1);
  if (prior) points[n + 1] = 0.5 * (low + high);
  points.subarray(1, m + 1).sort();
  points[0] = low - step / 2;
  points[m + 1] = high + step / 2;

  const sorted = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    sorted[i] = Math.max(points[i + 1]! - points[i]!, points[i + 2]! - points[i + 1]!);
  }
  if (!considerEndpoints && m + 2 >= 4) {
    sorted[0] = points[2]! - points[1]!;
    sorted[m - 1] = points[m]! - points[m - 1]!;
  }
  const gaps = new Float64Array(n);
  const taken = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    const place = lowerBound(points, 1, m + 1, mus[i]!) - 1;
    gaps[i] = sorted[place + taken[place]!]!;
    taken[place]!++;
  }
  return gaps;
}

/** The first index in [from, to) whose value is not below x. */
function lowerBound(values: Float64Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
