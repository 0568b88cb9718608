import type { Random } from '../../random.js';
import { CellTableBuffer } from './cell-masses.js';
import {
  addDiscreteBounds,
  addLogDensity,
  addTabled,
  cellMassesOf,
  CHUNK,
  logSumExpRow,
  massTable,
  refineDiscrete,
  type MassTable,
} from './kernel-sums.js';
import {
  categoricalKernels,
  drawFromKernel,
  mixtureOfChoices,
  numericKernels,
  type Kernels,
  type NumericKernels,
} from './kernels.js';
import { JointSums } from './joint-sums.js';
import { SortedKernels } from './sorted-kernels.js';
import type { Dimension } from './space.js';

/** How a {@link ParzenEstimator} is built; see `TPESamplerOptions` for each field. */
export interface ParzenSettings {
  readonly considerPrior: boolean;
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  readonly multivariate: boolean;
}

/** Kernel count from which one-coordinate estimators sum only the kernels near each point. */
export const SORT_FROM = 64;

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
    const normalized = new Float64Array(nK);
    normalized.set(weights);
    if (prior) normalized[n] = n === 0 ? 1 : priorWeight;
    let total = 0;
    for (let j = 0; j < nK; j++) total += normalized[j]!;
    const cumulative = new Float64Array(nK);
    let running = 0;
    for (let j = 0; j < nK; j++) {
      const w = normalized[j]! / total;
      normalized[j] = w;
      running += w;
      cumulative[j] = running;
    }
    const mixture = new Mixture(normalized, cumulative);
    this.mixtures.set(weights, { priorWeight, mixture });
    return mixture;
  }

  private readonly cellTables: CellTableBuffer[] = [];

  /**
   * The t-th table of `size` cell masses, all unknown (NaN), for a `CellMasses`; valid
   * until the next call for the same t.
   */
  cellTable(t: number, size: number): Float64Array {
    while (this.cellTables.length <= t) this.cellTables.push(new CellTableBuffer());
    return this.cellTables[t]!.take(size);
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

/**
 * The normalized weights of a mixture, their logs and running sums (to draw a kernel). The logs
 * are taken on first use, once for every estimator that shares the mixture; a proposal whose
 * estimators never read them (categorical parameters alone) takes none.
 */
export class Mixture {
  private logs: Float64Array | undefined;

  constructor(
    readonly weights: Float64Array,
    readonly cumulative: Float64Array,
  ) {}

  get logWeights(): Float64Array {
    if (this.logs === undefined) {
      const { weights } = this;
      this.logs = new Float64Array(weights.length);
      for (let j = 0; j < weights.length; j++) this.logs[j] = Math.log(weights[j]!);
    }
    return this.logs;
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
  private readonly mixture: Mixture;
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
  /** Joint kernels of one width per coordinate, summed kernel by kernel. */
  private readonly joint: JointSums | undefined;

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
    this.mixture = mixture;
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
    this.joint =
      jointDims > 1 ? JointSums.of(this.kernels, this.tables, mixture.logWeights, n) : undefined;
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
    if (this.joint?.logPdf(samples, nSamples, out) === true) return;
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

  /**
   * The index of the point with the largest `logOther[s] − log p(x_s)`, the first on ties:
   * TPE's choice among candidates given the good trials' log density at each. Joint
   * estimators drop points early (see {@link JointSums.argmaxRatio}); the others score all.
   */
  argmaxRatio(samples: readonly Float64Array[], nSamples: number, logOther: Float64Array): number {
    const index = this.joint?.argmaxRatio(samples, nSamples, logOther) ?? -1;
    if (index >= 0) return index;
    const logPdf = new Float64Array(nSamples);
    this.logPdf(samples, nSamples, logPdf);
    return argmaxDifference(logOther, logPdf, nSamples);
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
    const { logWeights } = this.mixture;
    for (let s = 0; s < nSamples; s++) acc.set(logWeights, s * nK);
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
      // Tables live in the workspace, so only for this call: estimators share it.
      const { workspace } = this;
      const cells = this.discrete.map((kernels, t) =>
        cellMassesOf(kernels, nSamples * nK, (length) => workspace.cellTable(t, length)),
      );
      refineDiscrete(this.discrete, cells, samples, this.discreteDims, nSamples, nK, {
        acc,
        upper,
        slack,
      });
    }
    for (let s = 0; s < nSamples; s++) out[s] = logSumExpRow(acc, s * nK, nK);
  }
}

/** The first index of the largest a[s] − b[s]. */
function argmaxDifference(a: Float64Array, b: Float64Array, n: number): number {
  let best = 0;
  for (let s = 1; s < n; s++) {
    if (a[s]! - b[s]! > a[best]! - b[best]!) best = s;
  }
  return best;
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
      const other = unique[u]!;
      let same = true;
      for (let d = 0; d < samples.length && same; d++) same = samples[d]![other] === samples[d]![s];
      if (same) match = u;
    }
    if (match < 0) {
      match = unique.length;
      unique.push(s);
    }
    first[s] = match;
  }
  return { first, unique };
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
