/**
 * Joint kernels summed one kernel at a time over all coordinates. In a joint estimator every
 * observation kernel of a coordinate has the same width, so a continuous coordinate's term
 * is a squared difference of pre-scaled values, a discrete coordinate's a lookup in its table
 * of cell masses by grid distance, and a categorical coordinate's one comparison; the
 * constant parts of all coordinates fold into one number per kernel. Each kernel's log term
 * is then built in registers, without the per-coordinate passes over a scratch row that the
 * general path makes.
 */
import { jointBandwidth } from './bandwidth.js';
import {
  Builder,
  categoricalRow,
  indexOf,
  ON_GRID,
  onGrid,
  priorFromDims,
  priorOf,
  priorTerm,
  sharesWidth,
  type Layout,
} from './joint-layout.js';
import { cellMassTable, type MassTable } from './kernel-sums.js';
import type { Kernels } from './kernels.js';
import { expNonPositive } from './normal.js';
import type { Mixture, ParzenSettings } from './parzen-estimator.js';
import type { Dimension } from './space.js';

/** A term more than this many nats below the best one is below double precision; skipped. */
const LOG_CUTOFF = 36;
/** Kernels summed between the checks of {@link JointSums.argmaxRatio}. */
const ARGMAX_CHUNK = 64;

/**
 * The observation kernels of a joint Parzen estimator laid out kernel by kernel, plus the
 * prior (its own width) evaluated on its own. Built only when every numeric coordinate's
 * observation kernels share one width and every discrete one has a mass table with its means
 * on the grid; {@link JointSums.logPdf} equals the general sum to rounding.
 */
export class JointSums {
  private readonly layout: Layout;
  private readonly terms: Float64Array;

  private constructor(layout: Layout) {
    this.layout = layout;
    this.terms = new Float64Array(layout.n);
  }

  /**
   * The layout of a joint estimator's kernels already built (the first `n` are observations,
   * the last, if any, the prior), or undefined when its conditions fail.
   */
  static of(
    kernels: readonly Kernels[],
    tables: readonly (MassTable | undefined)[],
    logWeights: Float64Array,
    n: number,
  ): JointSums | undefined {
    if (n === 0 || logWeights.length > n + 1) return undefined;
    const coordinates = indexOf(kernels.map((k) => k.dim));
    for (let d = 0; d < kernels.length; d++) {
      const coordinate = kernels[d]!;
      if (coordinate.kind === 'categorical') continue;
      if (!sharesWidth(coordinate.sigma, n)) return undefined;
      if (coordinate.kind === 'discrete') {
        const table = tables[d];
        if (table === undefined || table.nShared < n || !onGrid(coordinate, n)) return undefined;
      }
    }
    const builder = new Builder(n, coordinates, logWeights.subarray(0, n));
    for (let d = 0; d < kernels.length; d++) {
      const coordinate = kernels[d]!;
      if (coordinate.kind === 'categorical') {
        const [, logLow, logTop] = coordinate.rowLogs;
        builder.addCategorical(coordinate.observed, logLow, logTop);
      } else {
        builder.addNumeric(coordinate, tables[d]);
      }
    }
    const prior = logWeights.length > n ? priorOf(kernels, logWeights[n]!, n) : undefined;
    return new JointSums(builder.finish(prior));
  }

  /**
   * The joint estimator of `columns` (n observations per coordinate, in the modelled space)
   * built straight from them: what {@link JointSums.of} gives on the kernels that
   * `ParzenEstimator` would build in multivariate mode, without building those kernels (the
   * bad trials' estimator is never sampled from). Undefined where `of` would be.
   * O(n · coordinates), one log per kernel for all numeric normalizers together.
   */
  static fromObservations(
    dims: readonly Dimension[],
    columns: readonly Float64Array[],
    mixture: Mixture,
    settings: ParzenSettings,
  ): JointSums | undefined {
    const n = columns[0]?.length ?? 0;
    const nK = mixture.logWeights.length;
    if (n === 0 || nK > n + 1 || dims.length < 2) return undefined;
    const coordinates = indexOf(dims);
    const builder = new Builder(n, coordinates, mixture.logWeights.subarray(0, n));
    for (let d = 0; d < dims.length; d++) {
      const dim = dims[d]!;
      const column = columns[d]!;
      if (dim.kind === 'categorical') {
        const row = categoricalRow(dim.nChoices, settings.priorWeight / nK);
        builder.addCategorical(column, row.logLow, row.logTop);
        continue;
      }
      const range = dim.high - dim.low + dim.step;
      const sigma = jointBandwidth(column, dims.length, range, nK, settings.considerMagicClip);
      const table = dim.kind === 'discrete' ? cellMassTable(dim, sigma, n, nK) : undefined;
      if (dim.kind === 'discrete' && (table === undefined || !onGrid({ mu: column, dim }, n))) {
        return undefined;
      }
      builder.addShared(dim, column, sigma, table);
    }
    const prior = nK > n ? priorFromDims(dims, mixture.logWeights[n]!, settings, n) : undefined;
    return new JointSums(builder.finish(prior));
  }

  /**
   * Writes log p of each of `nSamples` points into `out`; false, with nothing written, when a
   * point of a discrete coordinate is off the grid (the general path then applies).
   * O(nSamples · n · coordinates).
   */
  logPdf(samples: readonly Float64Array[], nSamples: number, out: Float64Array): boolean {
    if (!this.onGrid(samples, nSamples)) return false;
    const points = this.pointsOf(samples, nSamples);
    for (let s = 0; s < nSamples; s++) {
      points.add(s, 0, this.layout.n);
      out[s] = points.logSum(s);
    }
    return true;
  }

  /**
   * The index of the point with the largest `logOther[s] − log p(x_s)`, the first such on
   * ties: TPE's choice among its candidates, with `logOther` the good trials' log density.
   * Exact, with less work than scoring every point: each point's kernels are summed a chunk
   * at a time, and since a chunk can only raise log p, `logOther − (log of the sum so far)`
   * bounds the point's score from above. The point with the highest bound gets the next chunk;
   * once that point is complete, its score is at least every other bound, so it is the answer.
   * −1 when a point is off the grid.
   */
  argmaxRatio(samples: readonly Float64Array[], nSamples: number, logOther: Float64Array): number {
    if (!this.onGrid(samples, nSamples)) return -1;
    const { n } = this.layout;
    const points = this.pointsOf(samples, nSamples);
    const bound = new Float64Array(nSamples);
    // Kernels not yet summed for each point: [0, left). Summed from the end, where the bad
    // trials' newest (heaviest, under the default weights) kernels are, so bounds fall fast.
    const left = new Int32Array(nSamples).fill(n);
    for (let s = 0; s < nSamples; s++) {
      bound[s] = logOther[s]! - points.logSum(s);
      if (Number.isNaN(bound[s]!)) bound[s] = -Infinity;
    }
    for (;;) {
      // The highest bound, the first on ties.
      let s = 0;
      for (let r = 1; r < nSamples; r++) if (bound[r]! > bound[s]!) s = r;
      if (left[s] === 0 || bound[s] === -Infinity) return s;
      const from = Math.max(0, left[s]! - ARGMAX_CHUNK);
      points.add(s, from, left[s]!);
      left[s] = from;
      bound[s] = logOther[s]! - points.logSum(s);
    }
  }

  /** Whether every point lies on the grid of every discrete coordinate. */
  private onGrid(samples: readonly Float64Array[], nSamples: number): boolean {
    const { coordinates, low, step } = this.layout;
    const { discrete } = coordinates;
    for (let e = 0; e < discrete.length; e++) {
      const xs = samples[discrete[e]!]!;
      for (let s = 0; s < nSamples; s++) {
        const steps = (xs[s]! - low[e]!) / step[e]!;
        if (!(Math.abs(steps - Math.round(steps)) < ON_GRID)) return false;
      }
    }
    return true;
  }

  /** The points read into the layout's terms, each sum started with the prior's term. */
  private pointsOf(samples: readonly Float64Array[], nSamples: number): Points {
    const { coordinates, scale, tableAt, low, step, prior } = this.layout;
    const { continuous, discrete, categorical } = coordinates;
    const points = new Points(this.layout, this.terms, nSamples);
    const { x, at, chosen, best, total } = points;
    const nc = continuous.length;
    const nd = discrete.length;
    const nk = categorical.length;
    for (let s = 0; s < nSamples; s++) {
      for (let c = 0; c < nc; c++) x[s * nc + c] = samples[continuous[c]!]![s]! * scale[c]!;
      for (let e = 0; e < nd; e++) {
        const steps = Math.round((samples[discrete[e]!]![s]! - low[e]!) / step[e]!);
        at[s * nd + e] = tableAt[e]! + steps;
      }
      for (let k = 0; k < nk; k++) chosen[s * nk + k] = samples[categorical[k]!]![s]!;
      best[s] = prior === undefined ? -Infinity : priorTerm(prior, samples, s);
      total[s] = prior === undefined ? 0 : 1;
    }
    return points;
  }
}

/**
 * Points being scored against a layout's kernels: each one's coordinates as the kernels read
 * them, and its running log-sum-exp (the largest term and Σ exp(term − largest)).
 */
class Points {
  readonly x: Float64Array;
  readonly at: Int32Array;
  readonly chosen: Int32Array;
  readonly best: Float64Array;
  readonly total: Float64Array;

  constructor(
    private readonly layout: Layout,
    private readonly terms: Float64Array,
    nSamples: number,
  ) {
    const { continuous, discrete, categorical } = layout.coordinates;
    this.x = new Float64Array(nSamples * continuous.length);
    this.at = new Int32Array(nSamples * discrete.length);
    this.chosen = new Int32Array(nSamples * categorical.length);
    this.best = new Float64Array(nSamples);
    this.total = new Float64Array(nSamples);
  }

  /** log of point s's sum so far. */
  logSum(s: number): number {
    return this.best[s]! + Math.log(this.total[s]!);
  }

  /**
   * Adds the observation kernels [from, to) to point s's sum: their terms first (in
   * registers, into a scratch row), then one exp per term within reach of the largest.
   */
  add(s: number, from: number, to: number): void {
    const { base, means, masses, grid, choices, lift } = this.layout;
    const { x, at, chosen, terms } = this;
    const nc = x.length / this.best.length;
    const nd = at.length / this.best.length;
    const nk = chosen.length / this.best.length;
    const xAt = s * nc;
    const atAt = s * nd;
    const chosenAt = s * nk;
    let top = -Infinity;
    for (let j = from; j < to; j++) {
      let q = 0;
      for (let c = 0, o = j * nc; c < nc; c++, o++) {
        const u = x[xAt + c]! - means[o]!;
        q += u * u;
      }
      let t = base[j]! - q;
      for (let e = 0, o = j * nd; e < nd; e++, o++) t += masses[at[atAt + e]! - grid[o]!]!;
      for (let k = 0, o = j * nk; k < nk; k++, o++) {
        if (choices[o] === chosen[chosenAt + k]) t += lift[k]!;
      }
      terms[j] = t;
      if (t > top) top = t;
    }
    let best = this.best[s]!;
    let total = this.total[s]!;
    if (top > best) {
      total = best === -Infinity ? 0 : total * expNonPositive(best - top);
      best = top;
    }
    const floor = best - LOG_CUTOFF;
    for (let j = from; j < to; j++) {
      const t = terms[j]!;
      if (t > floor) total += expNonPositive(t - best);
    }
    this.best[s] = best;
    this.total[s] = total;
  }
}
