import { argsortStable } from './bandwidth.js';
import { logAddExp, logGaussMass, logNormalPdf } from './normal.js';
import type { Dimension } from './space.js';

/**
 * A kernel more than this many nats below the best one changes the density by under 3e-16
 * of itself, below double precision; such kernels are skipped (as in the general path).
 */
const LOG_CUTOFF = 36;
const LOG_NORMAL_AT_0 = logNormalPdf(0);
/** Kernels per block; each block keeps bounds that let a candidate skip it whole. */
const BLOCK = 16;
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

/**
 * The kernels of a one-coordinate Parzen estimator sorted by mean and cut into blocks, so
 * that the density at a point sums only the kernels within reach: univariate TPE's estimator
 * of the bad trials has one narrow kernel per trial, and a candidate is near few of them.
 * Each block keeps its mean range, widest kernel and largest constant term, which bound every
 * term in it; blocks whose bound is LOG_CUTOFF below the best term found are skipped, with
 * the same result as the full sum up to that cutoff. Kernels with equal mean and width (repeated
 * ints) are merged. O(n) to build given the order of the means, O(n log n) without.
 */
export class SortedKernels {
  private readonly mu: Float64Array;
  private readonly inv: Float64Array;
  /** log weight + offset (+ log 1/σ for discrete kernels, the bound of the cell mass). */
  private readonly constant: Float64Array;
  private readonly logWeight: Float64Array;
  private readonly offset: Float64Array;
  private readonly nWide: number;
  private readonly blockLow: Float64Array;
  private readonly blockHigh: Float64Array;
  private readonly blockSigma: Float64Array;
  private readonly blockConstant: Float64Array;
  private readonly nNarrow: number = 0;
  private readonly terms: Float64Array;
  private readonly maxSigma: number;
  private readonly maxConstant: number;
  /** Running state of the point being summed. */
  private count = 0;
  private best = -Infinity;

  constructor(
    private readonly kernels: NumericKernelSet,
    logWeights: Float64Array,
  ) {
    const { mu, sigma, dim } = kernels;
    const nK = mu.length;
    const wideLimit = WIDE * (dim.high - dim.low + dim.step);
    const sorted = kernels.order ?? argsortStable(mu);
    let nWide = 0;
    for (let j = 0; j < nK; j++) if (sigma[j]! > wideLimit) nWide++;
    // Narrow kernels first, in order of mean; the wide ones after them.
    const all = new Int32Array(nK);
    const m = nK - nWide;
    let narrowAt = 0;
    let wideAt = m;
    for (let r = 0; r < nK; r++) {
      const j = sorted[r]!;
      if (sigma[j]! > wideLimit) all[wideAt++] = j;
      else all[narrowAt++] = j;
    }
    this.mu = new Float64Array(nK);
    this.inv = new Float64Array(nK);
    this.constant = new Float64Array(nK);
    this.logWeight = new Float64Array(nK);
    this.offset = new Float64Array(nK);
    const discrete = kernels.kind === 'discrete';
    // Kernels with the same mean and width (repeated ints and categories' neighbours) are one
    // kernel with their summed weight.
    let at = 0;
    for (let r = 0; r < nK; r++) {
      const j = all[r]!;
      const inv = kernels.invSigma[j]!;
      if (r < m && at > 0 && this.mu[at - 1] === mu[j] && this.inv[at - 1] === inv) {
        this.logWeight[at - 1] = logAddExp(this.logWeight[at - 1]!, logWeights[j]!);
      } else {
        if (r === m) this.nNarrow = at;
        this.mu[at] = mu[j]!;
        this.inv[at] = inv;
        this.logWeight[at] = logWeights[j]!;
        this.offset[at] = kernels.offset[j]!;
        at++;
      }
    }
    if (m === nK) this.nNarrow = at;
    this.nWide = nWide;
    const extra = discrete ? 1 : 0;
    for (let r = 0; r < at; r++) {
      this.constant[r] = this.logWeight[r]! + this.offset[r]! + extra * Math.log(this.inv[r]!);
    }
    const nBlocks = Math.ceil(this.nNarrow / BLOCK);
    this.blockLow = new Float64Array(nBlocks);
    this.blockHigh = new Float64Array(nBlocks);
    this.blockSigma = new Float64Array(nBlocks);
    this.blockConstant = new Float64Array(nBlocks).fill(-Infinity);
    for (let r = 0; r < this.nNarrow; r++) {
      const b = (r / BLOCK) | 0;
      if (r % BLOCK === 0) this.blockLow[b] = this.mu[r]!;
      this.blockHigh[b] = this.mu[r]!;
      this.blockSigma[b] = Math.max(this.blockSigma[b]!, 1 / this.inv[r]!);
      this.blockConstant[b] = Math.max(this.blockConstant[b]!, this.constant[r]!);
    }
    this.terms = new Float64Array(nK);
    let maxSigma = 0;
    let maxConstant = -Infinity;
    for (let b = 0; b < nBlocks; b++) {
      maxSigma = Math.max(maxSigma, this.blockSigma[b]!);
      maxConstant = Math.max(maxConstant, this.blockConstant[b]!);
    }
    this.maxSigma = maxSigma;
    this.maxConstant = maxConstant;
  }

  /** log p(x) of each of `nSamples` points into `out`. */
  logPdf(xs: Float64Array, nSamples: number, out: Float64Array): void {
    for (let s = 0; s < nSamples; s++) out[s] = this.logPdfAt(xs[s]!);
  }

  private logPdfAt(x: number): number {
    const discrete = this.kernels.kind === 'discrete';
    const { dim } = this.kernels;
    const half = dim.step / 2;
    const left = discrete ? Math.max(x - half, dim.low - half) : x;
    const right = discrete ? Math.min(x + half, dim.high + half) : x;
    const logWidth = discrete ? Math.log(right - left) + LOG_NORMAL_AT_0 : 0;
    this.count = 0;
    this.best = -Infinity;
    this.addRange(this.nNarrow, this.nNarrow + this.nWide, x, left, right, logWidth);
    const nBlocks = this.blockLow.length;
    // Walk outwards from the block around x, so the best term is found early; a direction
    // ends where even the widest kernel with the largest constant is out of reach.
    const start = nBlocks === 0 ? 0 : Math.min(nBlocks - 1, upperBound(this.blockLow, x));
    for (let b = start; b < nBlocks; b++) {
      if (!this.addBlock(b, x, left, right, logWidth)) break;
    }
    for (let b = start - 1; b >= 0; b--) {
      if (!this.addBlock(b, x, left, right, logWidth)) break;
    }
    const { count, best } = this;
    if (count === 0) return -Infinity;
    const floor = best - LOG_CUTOFF;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const t = this.terms[i]!;
      if (t > floor) total += Math.exp(t - best);
    }
    return best + Math.log(total);
  }

  /** Adds block b's kernels unless its bound is out of reach; false when all beyond are. */
  private addBlock(b: number, x: number, left: number, right: number, logWidth: number): boolean {
    const gap = Math.max(0, this.blockLow[b]! - right, left - this.blockHigh[b]!);
    const reach = this.best - LOG_CUTOFF - logWidth;
    const zAll = gap / this.maxSigma;
    if (this.maxConstant - 0.5 * zAll * zAll <= reach) return false;
    const z = gap / this.blockSigma[b]!;
    if (this.blockConstant[b]! - 0.5 * z * z > reach) {
      this.addRange(b * BLOCK, Math.min(this.nNarrow, (b + 1) * BLOCK), x, left, right, logWidth);
    }
    return true;
  }

  /** Adds the terms of kernels [from, to) that are within reach of the best one. */
  private addRange(
    from: number,
    to: number,
    x: number,
    left: number,
    right: number,
    logWidth: number,
  ): void {
    const { mu, inv, constant, terms } = this;
    let { best, count } = this;
    if (this.kernels.kind === 'continuous') {
      for (let r = from; r < to; r++) {
        const z = (x - mu[r]!) * inv[r]!;
        const t = constant[r]! - 0.5 * z * z;
        if (t > best - LOG_CUTOFF) {
          terms[count++] = t;
          if (t > best) best = t;
        }
      }
    } else {
      for (let r = from; r < to; r++) {
        const t = this.discreteTerm(r, left, right, logWidth, best);
        if (t > best - LOG_CUTOFF) {
          terms[count++] = t;
          if (t > best) best = t;
        }
      }
    }
    this.best = best;
    this.count = count;
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
    return this.logWeight[r]! + logGaussMass(a, b) + this.offset[r]!;
  }
}

/** The first index whose value is above x, minus one, at least 0: x's block by lower end. */
function upperBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo - 1);
}
