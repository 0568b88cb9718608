import { argsortStable, smallestBandwidth } from './bandwidth.js';
import {
  expNonPositive,
  logGaussMass,
  logMassWithin,
  logNormalPdf,
  MAX_NEG_LOG_MASS,
} from './normal.js';
import type { Mixture } from './parzen-estimator.js';
import type { Dimension } from './space.js';
import { CellMasses } from './cell-masses.js';
import { BLOCK, Layout, SortedBuffers } from './sorted-layout.js';

/**
 * A kernel more than this many nats below the best one changes the density by under 3e-16
 * of itself, below double precision; such kernels are skipped (as in the general path).
 */
const LOG_CUTOFF = 36;
const LOG_NORMAL_AT_0 = logNormalPdf(0);
/** Kernels wider than this share of the range (the prior, lone outliers) are always summed. */
const WIDE = 0.125;

/** What {@link SortedKernels} needs of one numeric coordinate's kernels. */
export interface NumericKernelSet {
  readonly kind: 'continuous' | 'discrete';
  readonly dim: Dimension;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly invSigma: Float64Array;
  /** Continuous: −log σ − log √(2π) − log mass on the bounds. Discrete: −log mass. */
  readonly offset: Float64Array;
  /** The kernels in stable ascending order of mean, if already known. */
  readonly order: Int32Array | undefined;
}

/** How a one-coordinate estimator's kernels are shaped, for {@link SortedKernels.fromSorted}. */
export interface SortedSettings {
  readonly considerPrior: boolean;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
}

/**
 * The kernels of a one-coordinate Parzen estimator sorted by mean and cut into blocks, so
 * that the density at a point sums only the kernels within reach: univariate TPE's estimator
 * of the bad trials has one narrow kernel per trial, and a candidate is near few of them.
 * Each block keeps its mean range, widest kernel and a bound on its constant terms (from its
 * largest weight and smallest width), which bound every term in it; blocks whose bound is
 * LOG_CUTOFF below the best term found are skipped, with the same result as the full sum up
 * to that cutoff. A block's normalizers are computed the first time a sum reaches it.
 * Kernels with equal mean and width (repeated ints) are merged. O(n) to build given the order
 * of the means, O(n log n) without.
 */
export class SortedKernels {
  private readonly kind: 'continuous' | 'discrete';
  private readonly dim: Dimension;
  private readonly mu: Float64Array;
  private readonly sigma: Float64Array;
  private readonly inv: Float64Array;
  /** Normalized weights; a merged kernel's is the sum of its kernels'. */
  private readonly weight: Float64Array;
  /** log weight, NaN for a merged kernel until its block is built. */
  private readonly logWeight: Float64Array;
  /** log weight + offset (+ log 1/σ for discrete kernels, the bound of the cell mass). */
  private readonly constant: Float64Array;
  private readonly offset: Float64Array;
  private readonly nNarrow: number;
  private readonly nWide: number;
  private readonly blockLow: Float64Array;
  private readonly blockHigh: Float64Array;
  private readonly blockSigma: Float64Array;
  /** An upper bound of the constants in each block, known before the block is built. */
  private readonly blockConstant: Float64Array;
  /**
   * Whether a block's offsets and constants are computed. They cost a normalizer and logs per
   * kernel, and a search for the best candidate reaches only the blocks near the candidates.
   */
  private readonly built: Uint8Array;
  private readonly maxSigma: number;
  private readonly maxConstant: number;
  /** Cell masses of discrete kernels with the clipped width, which most kernels have. */
  private readonly cells: CellMasses;
  /** Running state of the point being summed: the largest term and Σ exp(term − best). */
  private best = -Infinity;
  private total = 0;

  /** From kernels already built (means and widths; offsets follow from them), in any order. */
  static of(kernels: NumericKernelSet, mixture: Mixture): SortedKernels {
    const { mu, sigma, dim } = kernels;
    const { weights, logWeights } = mixture;
    const buffers = new SortedBuffers();
    const layout = new Layout(buffers, mu.length, WIDE * (dim.high - dim.low + dim.step));
    for (const j of kernels.order ?? argsortStable(mu)) {
      layout.add(mu[j]!, sigma[j]!, kernels.invSigma[j]!, weights[j]!, logWeights[j]!);
    }
    return new SortedKernels(kernels.kind, dim, layout, buffers, Number.NaN);
  }

  /**
   * Straight from observations sorted by value, for the estimator of univariate TPE: each
   * kernel's width by the neighbour rule and its offset are computed in the same pass, with
   * no intermediate arrays; the result equals `of` on the kernels `ParzenEstimator` would
   * build. `rows[i]` is the index in the mixture of the i-th smallest observation; the prior,
   * if any, is its last kernel. O(n). With `buffers`, the estimator lives in them and is valid
   * only until their next use.
   */
  static fromSorted(
    dim: Dimension,
    values: Float64Array,
    rows: Int32Array,
    mixture: Mixture,
    settings: SortedSettings,
    buffers = new SortedBuffers(),
  ): SortedKernels {
    const { low, high, step } = dim;
    const { weights, logWeights } = mixture;
    const n = values.length;
    const prior = settings.considerPrior || n === 0;
    const m = n + (prior ? 1 : 0);
    const range = high - low + step;
    const lo = low - step / 2;
    const hi = high + step / 2;
    const priorMu = 0.5 * (low + high);
    const minSigma = smallestBandwidth(range, m, settings.considerMagicClip);
    const layout = new Layout(buffers, m, WIDE * range);
    // The prior's place among the sorted means: after every observation not above it.
    const priorAt = prior ? countAtMost(values, priorMu) : -1;
    const trimEnds = !settings.considerEndpoints && m >= 2;
    // Most kernels share the clipped width, so its inverse is kept rather than taken again.
    let lastSigma = Number.NaN;
    let lastInv = Number.NaN;
    // Walking the points (the sorted means with the prior's among them) with both neighbours.
    let before = lo;
    let current = m > 0 ? (priorAt === 0 ? priorMu : values[0]!) : hi;
    for (let q = 0; q < m; q++) {
      const nextIndex = priorAt >= 0 && q + 1 > priorAt ? q : q + 1;
      const after = q + 1 >= m ? hi : q + 1 === priorAt ? priorMu : values[nextIndex]!;
      if (q === priorAt) {
        layout.add(priorMu, range, 1 / range, weights[n]!, logWeights[n]!);
      } else {
        const mu = current;
        let gap = mu - before > after - mu ? mu - before : after - mu;
        if (trimEnds && q === 0) gap = after - mu;
        else if (trimEnds && q === m - 1) gap = mu - before;
        const sigma = Math.min(range, Math.max(minSigma, gap));
        if (sigma !== lastSigma) {
          lastSigma = sigma;
          lastInv = 1 / sigma;
        }
        const row = rows[priorAt >= 0 && q > priorAt ? q - 1 : q]!;
        layout.add(mu, sigma, lastInv, weights[row]!, logWeights[row]!);
      }
      before = current;
      current = after;
    }
    const kind = step > 0 ? 'discrete' : 'continuous';
    return new SortedKernels(kind, dim, layout, buffers, minSigma);
  }

  private constructor(
    kind: 'continuous' | 'discrete',
    dim: Dimension,
    layout: Layout,
    buffers: SortedBuffers,
    tableSigma: number,
  ) {
    this.kind = kind;
    this.dim = dim;
    const { nNarrow, nWide } = layout.finish();
    const at = nNarrow + nWide;
    this.nNarrow = nNarrow;
    this.nWide = nWide;
    this.mu = buffers.mu.subarray(0, at);
    this.sigma = buffers.sigma.subarray(0, at);
    this.inv = buffers.inv.subarray(0, at);
    this.weight = buffers.weight.subarray(0, at);
    this.logWeight = buffers.logWeight.subarray(0, at);
    this.offset = buffers.offset.subarray(0, at);
    this.constant = buffers.constant.subarray(0, at);
    const nBlocks = Math.ceil(nNarrow / BLOCK);
    this.blockLow = buffers.blockLow.subarray(0, nBlocks);
    this.blockHigh = buffers.blockHigh.subarray(0, nBlocks);
    this.blockSigma = buffers.blockSigma.subarray(0, nBlocks);
    this.blockConstant = buffers.blockConstant.subarray(0, nBlocks);
    this.built = buffers.built.subarray(0, nBlocks);
    this.built.fill(0);
    // A constant is log weight − log σ (+ log φ(0) when continuous) + −log mass, so each
    // block's is bounded by its largest weight and smallest width.
    const shift = MAX_NEG_LOG_MASS + (kind === 'continuous' ? LOG_NORMAL_AT_0 : 0);
    const { mu, sigma, weight, blockLow, blockHigh, blockSigma, blockConstant } = this;
    let maxSigma = 0;
    let maxConstant = -Infinity;
    for (let b = 0; b < nBlocks; b++) {
      const from = b * BLOCK;
      const to = Math.min(nNarrow, from + BLOCK);
      let largestSigma = 0;
      let smallestSigma = Infinity;
      let largestWeight = 0;
      for (let r = from; r < to; r++) {
        const width = sigma[r]!;
        if (width > largestSigma) largestSigma = width;
        if (width < smallestSigma) smallestSigma = width;
        if (weight[r]! > largestWeight) largestWeight = weight[r]!;
      }
      blockLow[b] = mu[from]!;
      blockHigh[b] = mu[to - 1]!;
      blockSigma[b] = largestSigma;
      const bound = Math.log(largestWeight) - Math.log(smallestSigma) + shift;
      blockConstant[b] = bound;
      if (largestSigma > maxSigma) maxSigma = largestSigma;
      if (bound > maxConstant) maxConstant = bound;
    }
    this.maxSigma = maxSigma;
    this.maxConstant = maxConstant;
    // Past a few entries per kernel, filling the table costs more than its lookups save.
    const size = kind === 'discrete' ? CellMasses.size(dim) : 0;
    const tabled = size > 0 && size <= 4 * at;
    const table = buffers.cells.take(tabled ? size : 0);
    this.cells = new CellMasses(dim, tabled ? tableSigma : Number.NaN, table);
    this.build(nNarrow, at);
  }

  /**
   * Computes the offsets and constants of kernels [from, to): each kernel's normalizer over
   * the bounds, and the log of a merged kernel's weight. The formulas are `numericKernels`'.
   */
  private build(from: number, to: number): void {
    const { mu, sigma, inv, logWeight, offset, constant, dim } = this;
    const discrete = this.kind === 'discrete';
    const lo = dim.low - dim.step / 2;
    const hi = dim.high + dim.step / 2;
    let lastSigma = Number.NaN;
    let lastLog = Number.NaN;
    for (let r = from; r < to; r++) {
      const s = sigma[r]!;
      if (s !== lastSigma) {
        lastSigma = s;
        // Discrete kernels need log 1/σ, continuous ones log σ.
        lastLog = discrete ? Math.log(inv[r]!) : Math.log(s);
      }
      const mass = logMassWithin((lo - mu[r]!) * inv[r]!, (hi - mu[r]!) * inv[r]!);
      if (Number.isNaN(logWeight[r]!)) logWeight[r] = Math.log(this.weight[r]!);
      offset[r] = discrete ? -mass : -lastLog - mass + LOG_NORMAL_AT_0;
      constant[r] = logWeight[r]! + offset[r]! + (discrete ? lastLog : 0);
    }
  }

  /** log p(x) of each of `nSamples` points into `out`. */
  logPdf(xs: Float64Array, nSamples: number, out: Float64Array): void {
    for (let s = 0; s < nSamples; s++) out[s] = this.logPdfAt(xs[s]!);
  }

  /**
   * The index of the point with the largest `logOther[s] − log p(x_s)`, the first on ties, as
   * scoring every point with {@link SortedKernels.logPdf} gives it, with less work: each
   * point's sum grows a block at a time from the blocks nearest to it, and since a block only
   * raises log p, `logOther − (log of the sum so far)` bounds the point's score from above.
   * The point with the highest bound gets the next block; once that point is complete, its
   * score is at least every other bound, so it is the answer.
   */
  argmaxRatio(xs: Float64Array, nSamples: number, logOther: Float64Array): number {
    const walks = Array.from({ length: nSamples }, (_, s) => this.startWalk(xs[s]!));
    const bound = new Float64Array(nSamples);
    const update = (s: number): void => {
      const walk = walks[s]!;
      const b = logOther[s]! - (walk.best + Math.log(walk.total));
      bound[s] = Number.isNaN(b) ? -Infinity : b;
    };
    for (let s = 0; s < nSamples; s++) update(s);
    for (;;) {
      let s = 0;
      for (let r = 1; r < nSamples; r++) if (bound[r]! > bound[s]!) s = r;
      const walk = walks[s]!;
      if (bound[s] === -Infinity || !this.stepWalk(walk)) return s;
      update(s);
    }
  }

  /** A point's sum with its wide kernels and its own block added, ready to walk outwards. */
  private startWalk(x: number): Walk {
    const walk = this.walkAt(x);
    this.best = -Infinity;
    this.total = 0;
    this.addRange(this.nNarrow, this.nNarrow + this.nWide, x, walk.left, walk.right, walk.logWidth);
    walk.best = this.best;
    walk.total = this.total;
    this.stepWalk(walk);
    return walk;
  }

  /** The cell of x and the blocks around it, nothing summed yet. */
  private walkAt(x: number): Walk {
    const discrete = this.kind === 'discrete';
    const { dim } = this;
    const half = dim.step / 2;
    const left = discrete ? Math.max(x - half, dim.low - half) : x;
    const right = discrete ? Math.min(x + half, dim.high + half) : x;
    const logWidth = discrete ? Math.log(right - left) + LOG_NORMAL_AT_0 : 0;
    const nBlocks = this.blockLow.length;
    const start = nBlocks === 0 ? 0 : Math.min(nBlocks - 1, upperBound(this.blockLow, x));
    return { x, left, right, logWidth, up: start, down: start - 1, best: -Infinity, total: 0 };
  }

  /**
   * Adds the nearer of the next blocks on either side of the point; false when neither side
   * has a block within reach left (the sum is complete).
   */
  private stepWalk(walk: Walk): boolean {
    const nBlocks = this.blockLow.length;
    const { x, left, right, logWidth } = walk;
    this.best = walk.best;
    this.total = walk.total;
    let stepped = false;
    while (!stepped && (walk.up < nBlocks || walk.down >= 0)) {
      const upGap = walk.up < nBlocks ? this.blockLow[walk.up]! - x : Infinity;
      const downGap = walk.down >= 0 ? x - this.blockHigh[walk.down]! : Infinity;
      if (upGap <= downGap) {
        if (this.addBlock(walk.up, x, left, right, logWidth)) {
          walk.up++;
          stepped = true;
        } else {
          walk.up = nBlocks;
        }
      } else if (this.addBlock(walk.down, x, left, right, logWidth)) {
        walk.down--;
        stepped = true;
      } else {
        walk.down = -1;
      }
    }
    walk.best = this.best;
    walk.total = this.total;
    return stepped;
  }

  /** log p(x): the walk from x's block outwards, to its end. */
  private logPdfAt(x: number): number {
    const walk = this.startWalk(x);
    while (this.stepWalk(walk));
    return walk.best + Math.log(walk.total);
  }

  /** Adds block b's kernels unless its bound is out of reach; false when all beyond are. */
  private addBlock(b: number, x: number, left: number, right: number, logWidth: number): boolean {
    const gap = Math.max(0, this.blockLow[b]! - right, left - this.blockHigh[b]!);
    const reach = this.best - LOG_CUTOFF - logWidth;
    const zAll = gap / this.maxSigma;
    if (this.maxConstant - 0.5 * zAll * zAll <= reach) return false;
    const z = gap / this.blockSigma[b]!;
    if (this.blockConstant[b]! - 0.5 * z * z > reach) {
      const from = b * BLOCK;
      const to = Math.min(this.nNarrow, from + BLOCK);
      if (this.built[b] === 0) {
        this.build(from, to);
        this.built[b] = 1;
      }
      this.addRange(from, to, x, left, right, logWidth);
    }
    return true;
  }

  /**
   * Adds the kernels [from, to) to the running sum, skipping those LOG_CUTOFF below the best
   * term so far (one exp per kernel added, none per kernel skipped).
   */
  private addRange(
    from: number,
    to: number,
    x: number,
    left: number,
    right: number,
    logWidth: number,
  ): void {
    const { mu, inv, constant } = this;
    let { best, total } = this;
    const continuous = this.kind === 'continuous';
    for (let r = from; r < to; r++) {
      let t: number;
      if (continuous) {
        const z = (x - mu[r]!) * inv[r]!;
        t = constant[r]! - 0.5 * z * z;
      } else {
        t = this.discreteTerm(r, left, right, logWidth, best);
      }
      if (t > best) {
        total = total * expNonPositive(best - t) + 1;
        best = t;
      } else if (t > best - LOG_CUTOFF) {
        total += expNonPositive(t - best);
      }
    }
    this.best = best;
    this.total = total;
  }

  /** A discrete kernel's log term on the cell, or −Infinity when its bound is out of reach. */
  private discreteTerm(
    r: number,
    left: number,
    right: number,
    logWidth: number,
    best: number,
  ): number {
    const mu = this.mu[r]!;
    const inv = this.inv[r]!;
    const a = (left - mu) * inv;
    const b = (right - mu) * inv;
    const near = a > 0 ? a : b < 0 ? -b : 0;
    if (this.constant[r]! + logWidth - 0.5 * near * near <= best - LOG_CUTOFF) return -Infinity;
    const mass = this.cells.logMass(this.sigma[r]!, left - mu, right - mu, a, b);
    return this.logWeight[r]! + mass + this.offset[r]!;
  }
}

/** A point's sum over the kernels, grown block by block outwards from the point. */
interface Walk {
  readonly x: number;
  /** The point's cell (the point itself when continuous), and its log width plus log φ(0). */
  readonly left: number;
  readonly right: number;
  readonly logWidth: number;
  /** The next blocks to add above and below; nBlocks and −1 once a side is out of reach. */
  up: number;
  down: number;
  best: number;
  total: number;
}

/** How many of the ascending `values` are at most x: the index of the first one above x. */
function countAtMost(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The block whose lower end is the last at or below x (the first block if none is). */
function upperBound(values: Float64Array, x: number): number {
  return Math.max(0, countAtMost(values, x) - 1);
}
