/**
 * The kernel-by-kernel layout that {@link JointSums} scores: how it is filled from kernels
 * already built or straight from observations, and the prior kernel, kept and evaluated on its
 * own (its width differs from the observations').
 */
import { logGaussMass, logMassWithin, logNormalPdf, massWithin } from './normal.js';
import type { CategoricalKernels, Kernels, NumericKernels } from './kernels.js';
import type { MassTable } from './kernel-sums.js';
import type { ParzenSettings } from './parzen-estimator.js';
import type { Dimension } from './space.js';

/** How far a value may sit from a grid point, in steps, and still be read as on it. */
export const ON_GRID = 1e-9;
const LOG_NORMAL_AT_0 = logNormalPdf(0);
/** A product of kernel masses is folded into its log before it could underflow. */
const TINY_PRODUCT = 1e-200;

/** Where each kind of coordinate sits among the estimator's coordinates. */
export interface CoordinateIndex {
  readonly continuous: readonly number[];
  readonly discrete: readonly number[];
  readonly categorical: readonly number[];
}

/**
 * The prior kernel, coordinate by coordinate: its mean, inverse width and log normalizer on
 * numeric coordinates (the normalizer also holds the log density's constant on continuous
 * ones), the log probability of any choice on categorical ones.
 */
export interface PriorKernel {
  readonly logWeight: number;
  readonly dims: readonly Dimension[];
  readonly mu: Float64Array;
  readonly inv: Float64Array;
  readonly offset: Float64Array;
}

/** Everything `JointSums` keeps, laid out kernel by kernel. */
export interface Layout {
  readonly n: number;
  readonly coordinates: CoordinateIndex;
  /** Per kernel: log weight, every coordinate's normalizer, and the categorical low terms. */
  readonly base: Float64Array;
  /** Per continuous coordinate, √½ / width; means times it, kernel by kernel. */
  readonly scale: Float64Array;
  readonly means: Float64Array;
  /** Discrete coordinates' mass tables end to end, and where each one's centre is. */
  readonly masses: Float64Array;
  readonly tableAt: Int32Array;
  readonly low: Float64Array;
  readonly step: Float64Array;
  /** Each kernel's mean on each discrete coordinate, in grid steps from the low end. */
  readonly grid: Int32Array;
  /** Each kernel's choice on each categorical coordinate, and what matching it adds. */
  readonly choices: Int32Array;
  readonly lift: Float64Array;
  readonly prior: PriorKernel | undefined;
}

/** One numeric coordinate of kernels of one width, its masses within the bounds still to take. */
interface SharedWidth {
  readonly mu: Float64Array;
  readonly lo: number;
  readonly hi: number;
  readonly inv: number;
  /** A discrete coordinate's masses, kernel by kernel, computed once per grid point. */
  readonly cells?: Float64Array;
}

/** Fills a {@link Layout} one coordinate at a time. */
export class Builder {
  private readonly base: Float64Array;
  private readonly scale: number[] = [];
  private readonly means: Float64Array;
  private readonly tables: Float64Array[] = [];
  private readonly tableAt: number[] = [];
  private readonly low: number[] = [];
  private readonly step: number[] = [];
  private readonly grid: Int32Array;
  private readonly choices: Int32Array;
  private readonly lift: number[] = [];
  private readonly shared: SharedWidth[] = [];
  private readonly gridSizes: number[] = [];
  private nMasses = 0;

  constructor(
    private readonly n: number,
    private readonly coordinates: CoordinateIndex,
    logWeights: Float64Array,
  ) {
    this.base = Float64Array.from(logWeights);
    this.means = new Float64Array(n * coordinates.continuous.length);
    this.grid = new Int32Array(n * coordinates.discrete.length);
    this.choices = new Int32Array(n * coordinates.categorical.length);
  }

  /** A categorical coordinate: each kernel's choice, its low term, and the lift on a match. */
  addCategorical(observed: Float64Array, logLow: number, logTop: number): void {
    const { n, base, choices } = this;
    const nk = this.coordinates.categorical.length;
    const k = this.lift.length;
    this.lift.push(logTop - logLow);
    for (let j = 0; j < n; j++) {
      choices[j * nk + k] = observed[j]!;
      base[j]! += logLow;
    }
  }

  /** A numeric coordinate of kernels already built (their offsets hold the normalizers). */
  addNumeric(kernels: NumericKernels, table: MassTable | undefined): void {
    this.place(kernels.dim, kernels.mu, kernels.sigma[0]!, table);
    const { n, base } = this;
    const { offset } = kernels;
    for (let j = 0; j < n; j++) base[j]! += offset[j]!;
  }

  /**
   * A numeric coordinate straight from its observations, all of width `sigma`: the constant
   * of the log density goes into every kernel's term now, the masses within the bounds when
   * the layout is finished (see {@link Builder.normalize}).
   */
  addShared(dim: Dimension, column: Float64Array, sigma: number, table: MassTable | undefined) {
    this.place(dim, column, sigma, table);
    const { n, base } = this;
    if (dim.kind === 'continuous') {
      const constant = LOG_NORMAL_AT_0 - Math.log(sigma);
      for (let j = 0; j < n; j++) base[j]! += constant;
    }
    const half = dim.step / 2;
    const shared = { mu: column, lo: dim.low - half, hi: dim.high + half, inv: 1 / sigma };
    this.shared.push(
      dim.kind === 'discrete' ? { ...shared, cells: this.cellMasses(shared) } : shared,
    );
  }

  /**
   * The masses within the bounds of the last discrete coordinate placed, kernel by kernel:
   * its means take at most one value per grid point, so each mass is computed once.
   */
  private cellMasses({ mu, lo, hi, inv }: SharedWidth): Float64Array {
    const { n, grid } = this;
    const nd = this.coordinates.discrete.length;
    const e = this.low.length - 1;
    const known = new Float64Array(this.gridSizes[e]!).fill(Number.NaN);
    const masses = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const g = grid[j * nd + e]!;
      let mass = known[g]!;
      if (Number.isNaN(mass)) {
        mass = massWithin((lo - mu[j]!) * inv, (hi - mu[j]!) * inv);
        known[g] = mass;
      }
      masses[j] = mass;
    }
    return masses;
  }

  finish(prior: PriorKernel | undefined): Layout {
    this.normalize();
    const masses = new Float64Array(this.nMasses);
    let at = 0;
    for (const table of this.tables) {
      masses.set(table, at);
      at += table.length;
    }
    return {
      n: this.n,
      coordinates: this.coordinates,
      base: this.base,
      scale: Float64Array.from(this.scale),
      means: this.means,
      masses,
      tableAt: Int32Array.from(this.tableAt),
      low: Float64Array.from(this.low),
      step: Float64Array.from(this.step),
      grid: this.grid,
      choices: this.choices,
      lift: Float64Array.from(this.lift),
      prior,
    };
  }

  /**
   * Puts the normalizers of the coordinates added by {@link Builder.addShared} into `base`:
   * each kernel's masses within the bounds multiplied over those coordinates, in their order,
   * then one log. All kernels at once, before any term is summed: taken lazily inside the
   * term loop of `JointSums`, this code was inlined there by V8 in some processes and not in
   * others, and the loop ran a tenth slower where it was.
   */
  private normalize(): void {
    const { n, base, shared } = this;
    if (shared.length === 0) return;
    const product = new Float64Array(n).fill(1);
    const logs = new Float64Array(n);
    for (const { mu, lo, hi, inv, cells } of shared) {
      for (let j = 0; j < n; j++) {
        const mass =
          cells === undefined ? massWithin((lo - mu[j]!) * inv, (hi - mu[j]!) * inv) : cells[j]!;
        let p = product[j]! * mass;
        if (p < TINY_PRODUCT) {
          logs[j]! += Math.log(p);
          p = 1;
        }
        product[j] = p;
      }
    }
    for (let j = 0; j < n; j++) base[j]! -= logs[j]! + Math.log(product[j]!);
  }

  /** Scaled means of a continuous coordinate, or grid places and the table of a discrete one. */
  private place(dim: Dimension, mu: Float64Array, sigma: number, table: MassTable | undefined) {
    const { n } = this;
    if (dim.kind === 'continuous') {
      const nc = this.coordinates.continuous.length;
      const c = this.scale.length;
      const scale = Math.SQRT1_2 / sigma;
      this.scale.push(scale);
      for (let j = 0; j < n; j++) this.means[j * nc + c] = mu[j]! * scale;
      return;
    }
    const nd = this.coordinates.discrete.length;
    const e = this.low.length;
    const { logMass, gridSize } = table!;
    this.gridSizes.push(gridSize);
    this.tableAt.push(this.nMasses + gridSize - 1);
    this.tables.push(logMass);
    this.nMasses += logMass.length;
    this.low.push(dim.low);
    this.step.push(dim.step);
    for (let j = 0; j < n; j++) this.grid[j * nd + e] = Math.round((mu[j]! - dim.low) / dim.step);
  }
}

/** The coordinates of each kind, by position. */
export function indexOf(dims: readonly Dimension[]): CoordinateIndex {
  const of = (kind: Dimension['kind']): number[] =>
    dims.flatMap((dim, d) => (dim.kind === kind ? [d] : []));
  return { continuous: of('continuous'), discrete: of('discrete'), categorical: of('categorical') };
}

/** An observation row of a categorical kernel with smoothing `base` on each of c choices. */
export function categoricalRow(
  nChoices: number,
  base: number,
): { logBase: number; logLow: number; logTop: number } {
  const baseRow = 1 / (nChoices * base);
  const observedRow = 1 / (nChoices * base + 1);
  return {
    logBase: Math.log(base * baseRow),
    logLow: Math.log(base * observedRow),
    logTop: Math.log((base + 1) * observedRow),
  };
}

/** The prior kernel (kernel n) of kernels already built. */
export function priorOf(kernels: readonly Kernels[], logWeight: number, n: number): PriorKernel {
  const size = kernels.length;
  const mu = new Float64Array(size);
  const inv = new Float64Array(size);
  const offset = new Float64Array(size);
  kernels.forEach((coordinate, d) => {
    if (coordinate.kind === 'categorical') {
      offset[d] = (coordinate as CategoricalKernels).rowLogs[0];
      return;
    }
    mu[d] = coordinate.mu[n]!;
    inv[d] = coordinate.invSigma[n]!;
    offset[d] = coordinate.offset[n]!;
  });
  return { logWeight, dims: kernels.map((k) => k.dim), mu, inv, offset };
}

/** The prior kernel as `numericKernels` and `categoricalKernels` build it. */
export function priorFromDims(
  dims: readonly Dimension[],
  logWeight: number,
  settings: ParzenSettings,
  n: number,
): PriorKernel {
  const size = dims.length;
  const mu = new Float64Array(size);
  const inv = new Float64Array(size);
  const offset = new Float64Array(size);
  dims.forEach((dim, d) => {
    if (dim.kind === 'categorical') {
      offset[d] = categoricalRow(dim.nChoices, settings.priorWeight / (n + 1)).logBase;
      return;
    }
    const { low, high, step } = dim;
    const sigma = high - low + step;
    mu[d] = 0.5 * (low + high);
    inv[d] = 1 / sigma;
    const mass = logMassWithin(
      (low - step / 2 - mu[d]!) * inv[d]!,
      (high + step / 2 - mu[d]!) * inv[d]!,
    );
    offset[d] = step > 0 ? -mass : -Math.log(sigma) - mass + LOG_NORMAL_AT_0;
  });
  return { logWeight, dims, mu, inv, offset };
}

/** The prior kernel's log term at point s: every coordinate by its general formula. */
export function priorTerm(prior: PriorKernel, samples: readonly Float64Array[], s: number): number {
  let term = prior.logWeight;
  for (let d = 0; d < prior.dims.length; d++) {
    const dim = prior.dims[d]!;
    const x = samples[d]![s]!;
    if (dim.kind === 'categorical') {
      term += prior.offset[d]!;
    } else if (dim.kind === 'discrete') {
      const half = dim.step / 2;
      const left = Math.max(x - half, dim.low - half);
      const right = Math.min(x + half, dim.high + half);
      const inv = prior.inv[d]!;
      term += logGaussMass((left - prior.mu[d]!) * inv, (right - prior.mu[d]!) * inv);
      term += prior.offset[d]!;
    } else {
      const z = (x - prior.mu[d]!) * prior.inv[d]!;
      term += prior.offset[d]! - 0.5 * z * z;
    }
  }
  return term;
}

/** Whether the first n widths are all equal. */
export function sharesWidth(sigma: Float64Array, n: number): boolean {
  for (let j = 1; j < n; j++) if (sigma[j] !== sigma[0]) return false;
  return true;
}

/** Whether the first n means of a discrete coordinate lie on its grid. */
export function onGrid({ mu, dim }: { mu: Float64Array; dim: Dimension }, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const steps = (mu[j]! - dim.low) / dim.step;
    if (!(Math.abs(steps - Math.round(steps)) < ON_GRID)) return false;
  }
  return true;
}
