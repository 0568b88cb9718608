import type { Random } from '../../random.js';
import { argsortStable, bandwidths } from './bandwidth.js';
import {
  expNonPositive,
  logGaussMass,
  logMassWithin,
  logNormalPdf,
  truncatedNormalQuantile,
} from './normal.js';
import { SortedKernels, type NumericKernelSet } from './sorted-kernels.js';
import { snapToLogGrid, type Dimension } from './space.js';

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
/** Kernels summed together over every coordinate before the next ones (fits in L1 cache). */
const CHUNK = 128;

/** Kernels [from, to) of nK, in rows of nK sums per sample. */
interface KernelRange {
  readonly from: number;
  readonly to: number;
  readonly nK: number;
}

/** Kernel count from which one-coordinate estimators sum only the kernels near each point. */
export const SORT_FROM = 64;

/** The kernels of one numeric coordinate: truncated normals, on a grid when discrete. */
type NumericKernels = NumericKernelSet;

/**
 * The kernels of one categorical coordinate. Every row is the same smoothing `base` on each
 * choice, plus 1 on the observed choice for an observation's row, normalized; rows are read
 * from these few numbers rather than stored (n · c entries).
 */
interface CategoricalKernels {
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

type Kernels = NumericKernels | CategoricalKernels;

/**
 * Scratch buffers for {@link ParzenEstimator.logPdf}, grown as needed and shared by the
 * estimators of a sampler (they are used one after another), so proposals do not allocate
 * them anew.
 */
export class ParzenWorkspace {
  /**
   * Mixtures by weights array: every parameter of a univariate proposal shares the same
   * trials and weights array (see ObservationCache), so their logs are taken once.
   */
  private readonly mixtures = new WeakMap<
    Float64Array,
    { priorWeight: number; mixture: Mixture }
  >();

  /** The mixture of `weights` plus a prior of `priorWeight` (0: none; alone if no weights). */
  mixtureOf(weights: Float64Array, priorWeight: number): Mixture {
    const known = this.mixtures.get(weights);
    if (known !== undefined && known.priorWeight === priorWeight) return known.mixture;
    const n = weights.length;
    const prior = priorWeight > 0 || n === 0;
    const nK = n + (prior ? 1 : 0);
    const raw = new Float64Array(nK);
    raw.set(weights);
    if (prior) raw[n] = n === 0 ? 1 : priorWeight;
    let total = 0;
    for (let j = 0; j < nK; j++) total += raw[j]!;
    const normalized = new Float64Array(nK);
    const logWeights = new Float64Array(nK);
    const cumulative = new Float64Array(nK);
    let running = 0;
    for (let j = 0; j < nK; j++) {
      const w = raw[j]! / total;
      normalized[j] = w;
      logWeights[j] = Math.log(w);
      running += w;
      cumulative[j] = running;
    }
    const mixture = { weights: normalized, logWeights, cumulative };
    this.mixtures.set(weights, { priorWeight, mixture });
    return mixture;
  }

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

/** The normalized weights of a mixture, their logs and running sums (to draw a kernel). */
export interface Mixture {
  readonly weights: Float64Array;
  readonly logWeights: Float64Array;
  readonly cumulative: Float64Array;
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
  /** One numeric coordinate with many kernels: sorted, so each point sums only nearby ones. */
  private readonly sorted: SortedKernels | undefined;
  private readonly tables: readonly (MassTable | undefined)[];
  /** One categorical coordinate: the mixture's log probability of each choice. */
  private readonly choiceLogPdf: Float64Array | undefined;

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
    orders?: readonly Int32Array[],
  ) {
    this.workspace = workspace;
    const n = weights.length;
    const prior = settings.considerPrior || n === 0;
    this.nKernels = n + (prior ? 1 : 0);
    const mixture = workspace.mixtureOf(weights, prior ? settings.priorWeight : 0);
    this.logWeights = mixture.logWeights;
    this.cumulativeWeights = mixture.cumulative;
    const jointDims = settings.multivariate ? dims.length : 0;
    this.kernels = dims.map((dim, d) =>
      dim.kind === 'categorical'
        ? categoricalKernels(dim, columns[d]!, n, this.nKernels, settings)
        : numericKernels(dim, columns[d]!, prior, settings, jointDims, orders?.[d]),
    );
    // Discrete coordinates whose observation kernels share one width (joint kernels) read
    // exact cell masses from a table; the others take the bound-and-refine path.
    this.tables = this.kernels.map((k) => (k.kind === 'discrete' ? massTable(k) : undefined));
    this.discreteDims = dims.flatMap((dim, d) =>
      dim.kind === 'discrete' && this.tables[d] === undefined ? [d] : [],
    );
    this.discrete = this.discreteDims.map((d) => this.kernels[d] as NumericKernels);
    const only = this.kernels[0];
    this.sorted =
      this.kernels.length === 1 && only!.kind !== 'categorical' && this.nKernels >= SORT_FROM
        ? SortedKernels.of(only!, mixture)
        : undefined;
    this.choiceLogPdf =
      this.kernels.length === 1 && only!.kind === 'categorical'
        ? mixtureOfChoices(only!, mixture.weights)
        : undefined;
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
    if (this.sorted !== undefined) {
      this.sorted.logPdf(samples[0]!, nSamples, out);
      return;
    }
    if (this.choiceLogPdf !== undefined) {
      for (let s = 0; s < nSamples; s++) out[s] = this.choiceLogPdf[samples[0]![s]!]!;
      return;
    }
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
    // Kernels a chunk at a time, every coordinate, so that the chunk's sums stay in cache.
    for (let from = 0; from < nK; from += CHUNK) {
      const range = { from, to: Math.min(nK, from + CHUNK), nK };
      for (let d = 0; d < this.kernels.length; d++) {
        const kernels = this.kernels[d]!;
        const table = this.tables[d];
        if (table !== undefined) {
          addTabled(kernels as NumericKernels, table, samples[d]!, nSamples, range, acc);
        } else if (kernels.kind === 'discrete') {
          addDiscreteBounds(kernels, samples[d]!, nSamples, range, acc, upper, slack);
        } else {
          addLogDensity(kernels, samples[d]!, nSamples, range, acc);
        }
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

function categoricalKernels(
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
function mixtureOfChoices(kernels: CategoricalKernels, weights: Float64Array): Float64Array {
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

function addLogDensity(
  kernels: Kernels,
  xs: Float64Array,
  nSamples: number,
  { from, to, nK }: KernelRange,
  acc: Float64Array,
): void {
  if (kernels.kind === 'categorical') {
    const { observed } = kernels;
    const [logBase, logLow, logTop] = kernels.rowLogs;
    const n = Math.min(to, observed.length);
    for (let s = 0; s < nSamples; s++) {
      const choice = xs[s]!;
      const row = s * nK;
      for (let j = from; j < n; j++) acc[row + j]! += observed[j] === choice ? logTop : logLow;
      for (let j = Math.max(from, n); j < to; j++) acc[row + j]! += logBase;
    }
    return;
  }
  const { mu, invSigma, offset } = kernels;
  if (kernels.kind === 'continuous') {
    for (let s = 0; s < nSamples; s++) {
      const x = xs[s]!;
      const row = s * nK;
      for (let j = from; j < to; j++) {
        const z = (x - mu[j]!) * invSigma[j]!;
        acc[row + j]! += offset[j]! - 0.5 * z * z;
      }
    }
    return;
  }
  throw new Error('discrete kernels are added by addDiscreteBounds');
}

/**
 * Exact log masses of grid cells under the kernels of width `sigma` (kernels 0..nShared − 1),
 * by the offset of the cell from the kernel's mean in grid steps: mass(k) for k in
 * [−(G − 1), G − 1]. Both the candidates and the observed means lie on the grid, so a kernel's
 * mass at a candidate is one lookup.
 */
interface MassTable {
  readonly nShared: number;
  readonly gridSize: number;
  readonly logMass: Float64Array;
}

/** Largest grid (points) tabulated; beyond, the table would cost more than it saves. */
const MAX_TABLE_GRID = 4096;

/** A table when all observation kernels of a discrete coordinate have one width. */
function massTable(kernels: NumericKernels): MassTable | undefined {
  const { sigma, dim } = kernels;
  const nK = sigma.length;
  const gridSize = Math.round((dim.high - dim.low) / dim.step) + 1;
  // The neighbour rule (kernels sorted) gives each kernel its own width; a big grid costs more
  // to tabulate than the lookups save.
  if (kernels.order !== undefined || gridSize > MAX_TABLE_GRID || gridSize > 12 * nK) {
    return undefined;
  }
  const width = sigma[0]!;
  let nShared = 1;
  while (nShared < nK && sigma[nShared] === width) nShared++;
  if (nShared < nK - 1) return undefined;
  const inv = 1 / width;
  const half = dim.step / 2;
  const logMass = new Float64Array(2 * gridSize - 1);
  for (let k = -(gridSize - 1); k < gridSize; k++) {
    const center = k * dim.step;
    logMass[k + gridSize - 1] = logGaussMass((center - half) * inv, (center + half) * inv);
  }
  return { nShared, gridSize, logMass };
}

/**
 * Adds the log cell masses of a tabled discrete coordinate: a lookup for the shared-width
 * kernels, the exact mass for the rest (the prior) and for any mean off the grid.
 */
function addTabled(
  kernels: NumericKernels,
  table: MassTable,
  xs: Float64Array,
  nSamples: number,
  { from, to, nK }: KernelRange,
  acc: Float64Array,
): void {
  const { mu, offset, dim } = kernels;
  const { nShared, gridSize, logMass } = table;
  const invStep = 1 / dim.step;
  const center = gridSize - 1;
  for (let s = 0; s < nSamples; s++) {
    const x = xs[s]!;
    const row = s * nK;
    const shared = Math.min(to, nShared);
    for (let j = from; j < shared; j++) {
      const steps = (x - mu[j]!) * invStep;
      const k = Math.round(steps);
      acc[row + j]! +=
        Math.abs(steps - k) < 1e-9
          ? logMass[k + center]! + offset[j]!
          : exactDiscrete(kernels, x, j);
    }
    for (let j = Math.max(from, shared); j < to; j++) acc[row + j]! += exactDiscrete(kernels, x, j);
  }
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
  { from, to, nK }: KernelRange,
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
    for (let j = from; j < to; j++) {
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
    if (t > floor) total += expNonPositive(t - max);
  }
  return max + Math.log(total);
}
