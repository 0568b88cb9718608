/**
 * The kernels of a Parzen estimator, one set per coordinate: truncated normals for numeric
 * coordinates (on the grid when discrete), smoothed choice rows for categorical ones; how
 * they are built from observations and how a point is drawn from one of them.
 */
import type { Random } from '../../random.js';
import { argsortStable, bandwidths } from './bandwidth.js';
import { logMassWithin, logNormalPdf, truncatedNormalQuantile } from './normal.js';
import type { ParzenSettings } from './parzen-estimator.js';
import type { NumericKernelSet } from './sorted-kernels.js';
import { snapToLogGrid, type Dimension } from './space.js';

/** The kernels of one numeric coordinate: truncated normals, on a grid when discrete. */
export type NumericKernels = NumericKernelSet;

/**
 * The kernels of one categorical coordinate. Every row is the same smoothing `base` on each
 * choice, plus 1 on the observed choice for an observation's row, normalized; rows are read
 * from these few numbers rather than stored (n · c entries).
 */
export interface CategoricalKernels {
  readonly kind: 'categorical';
  readonly dim: Dimension;
  /** The observed choice of each observation kernel. */
  readonly observed: Float64Array;
  readonly base: number;
  /** Normalizers of a prior row and of an observation row. */
  readonly baseRow: number;
  readonly observedRow: number;
  /** log p of a prior row's choices, of an observation row's other choices, of its own. */
  readonly rowLogs: readonly [number, number, number];
}

/** One coordinate's kernels. */
export type Kernels = NumericKernels | CategoricalKernels;

/**
 * The kernels of one numeric coordinate: one per observation plus the prior (mean at the
 * middle, as wide as the range) when asked, with widths by the neighbour rule (univariate) or
 * the joint rule (`jointDims` > 0, or a simplex block), and each kernel's log normalizer over
 * the bounds. `observedOrder`, the observations' value order when known, saves a sort. O(n).
 */
export function numericKernels(
  dim: Dimension,
  observed: Float64Array,
  prior: boolean,
  settings: ParzenSettings,
  jointDims: number,
  observedOrder: Int32Array | undefined,
): NumericKernels {
  const n = observed.length;
  const { low, high, step } = dim;
  const nK = n + (prior ? 1 : 0);
  const mu = new Float64Array(nK);
  mu.set(observed);
  if (prior) mu[n] = 0.5 * (low + high);
  const joint = jointDims > 0 ? jointDims : dim.blockSize > 1 ? dim.blockSize : 0;
  // The neighbour rule sorts the means (the prior's included); the order is kept for
  // SortedKernels.
  let order: Int32Array | undefined;
  if (joint === 0) {
    order = observedOrder === undefined ? argsortStable(mu) : withPrior(observedOrder, mu, prior);
  }
  const sigmas = bandwidths(
    observed,
    {
      low,
      high,
      step,
      prior,
      considerEndpoints: settings.considerEndpoints,
      considerMagicClip: settings.considerMagicClip,
      jointDims: joint,
    },
    order,
  );
  const sigma = new Float64Array(nK);
  sigma.set(sigmas);
  if (prior) sigma[n] = high - low + step;
  const invSigma = new Float64Array(nK);
  const offset = new Float64Array(nK);
  const lo = low - step / 2;
  const hi = high + step / 2;
  const logNormalAt0 = logNormalPdf(0);
  // Joint kernels share one width: its log is taken once.
  let lastSigma = Number.NaN;
  let lastLogSigma = Number.NaN;
  for (let j = 0; j < nK; j++) {
    const s = sigma[j]!;
    const inv = 1 / s;
    invSigma[j] = inv;
    const mass = logMassWithin((lo - mu[j]!) * inv, (hi - mu[j]!) * inv);
    if (step > 0) {
      offset[j] = -mass;
      continue;
    }
    if (s !== lastSigma) {
      lastSigma = s;
      lastLogSigma = Math.log(s);
    }
    offset[j] = -lastLogSigma - mass + logNormalAt0;
  }
  const kind = step > 0 ? 'discrete' : 'continuous';
  return { kind, dim, mu, sigma, invSigma, offset, order };
}

/**
 * The stable order of all kernel means from that of the observations: the prior (index n,
 * last in appearance) goes after every observation not above its mean. O(n).
 */
function withPrior(observedOrder: Int32Array, mu: Float64Array, prior: boolean): Int32Array {
  const n = observedOrder.length;
  if (!prior) return observedOrder;
  const priorMu = mu[n]!;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (mu[observedOrder[mid]!]! <= priorMu) lo = mid + 1;
    else hi = mid;
  }
  const order = new Int32Array(n + 1);
  order.set(observedOrder.subarray(0, lo));
  order[lo] = n;
  order.set(observedOrder.subarray(lo), lo + 1);
  return order;
}

/** The kernels of one categorical coordinate over `n` observations (`nK` with the prior). */
export function categoricalKernels(
  dim: Dimension,
  observed: Float64Array,
  n: number,
  nK: number,
  settings: ParzenSettings,
): CategoricalKernels {
  const c = dim.nChoices;
  const base = n === 0 ? 1 / c : settings.priorWeight / nK;
  const baseRow = 1 / (c * base);
  const observedRow = 1 / (c * base + 1);
  const rowLogs = [
    Math.log(base * baseRow),
    Math.log(base * observedRow),
    Math.log((base + 1) * observedRow),
  ] as const;
  return { kind: 'categorical', dim, observed, base, baseRow, observedRow, rowLogs };
}

/** A choice drawn from kernel j's row, by inversion of its running sums in choice order. */
function drawChoice(kernels: CategoricalKernels, j: number, u: number): number {
  const c = kernels.dim.nChoices;
  const isObserved = j < kernels.observed.length;
  const scale = isObserved ? kernels.observedRow : kernels.baseRow;
  const choice = isObserved ? kernels.observed[j]! : -1;
  let running = 0;
  for (let k = 0; k < c - 1; k++) {
    running += (k === choice ? kernels.base + 1 : kernels.base) * scale;
    if (running > u) return k;
  }
  return c - 1;
}

/** log Σ_j w_j p_j(k) for each choice k: the whole mixture over one categorical. O(nK + c). */
export function mixtureOfChoices(kernels: CategoricalKernels, weights: Float64Array): Float64Array {
  const { observed, rowLogs } = kernels;
  const [logBase, logLow, logTop] = rowLogs;
  const c = kernels.dim.nChoices;
  const n = observed.length;
  // An observation's row is low everywhere but top on its choice; the prior's row is flat.
  const onChoice = new Float64Array(c);
  let observedTotal = 0;
  for (let j = 0; j < n; j++) {
    const w = weights[j]!;
    observedTotal += w;
    onChoice[observed[j]!]! += w;
  }
  let priorTotal = 0;
  for (let j = n; j < weights.length; j++) priorTotal += weights[j]!;
  const low = Math.exp(logLow);
  const lift = Math.exp(logTop) - low;
  const flat = observedTotal * low + priorTotal * Math.exp(logBase);
  return Float64Array.from(onChoice, (w) => Math.log(flat + w * lift));
}

/**
 * One draw from kernel j of a coordinate: a choice, or a truncated normal by inversion,
 * snapped to the grid (or the log grid of a log-scaled int) where the coordinate has one.
 */
export function drawFromKernel(kernels: Kernels, j: number, random: Random): number {
  const { dim } = kernels;
  if (kernels.kind === 'categorical') {
    return drawChoice(kernels, j, random.uniform());
  }
  const mu = kernels.mu[j]!;
  const sigma = kernels.sigma[j]!;
  const half = dim.step / 2;
  const a = (dim.low - half - mu) / sigma;
  const b = (dim.high + half - mu) / sigma;
  const x = mu + sigma * truncatedNormalQuantile(random.uniform(), a, b);
  if (kernels.kind === 'continuous') {
    // A log-scaled int's candidate is scored at its grid value, as Optuna does: scored at the
    // raw draw, the wide cell of the lowest value (ln ½ to ln 1.5) wins on its edges.
    if (dim.logGridStep > 0) return snapToLogGrid(dim, x);
    return Math.min(dim.high, Math.max(dim.low, x));
  }
  const snapped = dim.low + Math.round((x - dim.low) / dim.step) * dim.step;
  return Math.min(dim.high, Math.max(dim.low, snapped));
}
