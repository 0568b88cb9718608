/**
 * The arrays of `SortedKernels` and how its kernels are laid out in them: the narrow ones in
 * order of mean (cut into blocks), the wide ones after them.
 */

import { CellTableBuffer } from './cell-masses.js';

/** Kernels per block; each block keeps bounds that let a candidate skip it whole. */
export const BLOCK = 16;

/**
 * The arrays of `SortedKernels`, kept from one estimator to the next: univariate TPE
 * builds one per numeric parameter per proposal, each used and dropped before the next, and
 * allocating its dozen arrays of n entries anew cost about as much as filling them.
 */
export class SortedBuffers {
  mu = new Float64Array(0);
  sigma = new Float64Array(0);
  inv = new Float64Array(0);
  weight = new Float64Array(0);
  /** log weight; NaN for a merged kernel, whose log is taken when it is needed. */
  logWeight = new Float64Array(0);
  offset = new Float64Array(0);
  constant = new Float64Array(0);
  blockLow = new Float64Array(0);
  blockHigh = new Float64Array(0);
  blockSigma = new Float64Array(0);
  blockConstant = new Float64Array(0);
  built = new Uint8Array(0);
  /** The estimator's table of cell masses. */
  readonly cells = new CellTableBuffer();

  /** Room for `size` kernels (and their blocks); what the arrays held is lost on growth. */
  reserve(size: number): void {
    if (this.mu.length >= size) return;
    const capacity = Math.max(size, 2 * this.mu.length);
    const blocks = Math.ceil(capacity / BLOCK);
    this.mu = new Float64Array(capacity);
    this.sigma = new Float64Array(capacity);
    this.inv = new Float64Array(capacity);
    this.weight = new Float64Array(capacity);
    this.logWeight = new Float64Array(capacity);
    this.offset = new Float64Array(capacity);
    this.constant = new Float64Array(capacity);
    this.blockLow = new Float64Array(blocks);
    this.blockHigh = new Float64Array(blocks);
    this.blockSigma = new Float64Array(blocks);
    this.blockConstant = new Float64Array(blocks);
    this.built = new Uint8Array(blocks);
  }
}

/**
 * Kernels being laid out in `SortedKernels`' order: the narrow ones in order of mean (neighbours
 * with equal mean and width merged into one), then the wide ones, given in order of mean.
 */
export class Layout {
  private readonly mu: Float64Array;
  private readonly sigma: Float64Array;
  private readonly inv: Float64Array;
  private readonly weight: Float64Array;
  private readonly logWeight: Float64Array;
  private nNarrow = 0;
  /** Wide kernels, filled from the end of `capacity` backwards, moved after the narrow ones. */
  private nWide = 0;

  constructor(
    buffers: SortedBuffers,
    private readonly capacity: number,
    private readonly wideLimit: number,
  ) {
    buffers.reserve(capacity);
    ({
      mu: this.mu,
      sigma: this.sigma,
      inv: this.inv,
      weight: this.weight,
      logWeight: this.logWeight,
    } = buffers);
  }

  add(mu: number, sigma: number, inv: number, weight: number, logWeight: number): void {
    if (sigma > this.wideLimit) {
      this.put(this.capacity - 1 - this.nWide++, mu, sigma, inv, weight, logWeight);
      return;
    }
    const last = this.nNarrow - 1;
    if (last >= 0 && this.mu[last] === mu && this.inv[last] === inv) {
      this.weight[last]! += weight;
      this.logWeight[last] = Number.NaN;
      return;
    }
    this.put(this.nNarrow++, mu, sigma, inv, weight, logWeight);
  }

  /** Moves the wide kernels, in order of mean, right after the narrow ones. */
  finish(): { nNarrow: number; nWide: number } {
    const { nNarrow, nWide, capacity } = this;
    // Copied out first: the two ranges may overlap.
    const wide = [this.mu, this.sigma, this.inv, this.weight, this.logWeight].map((array) =>
      array.slice(capacity - nWide, capacity).reverse(),
    );
    for (let k = 0; k < nWide; k++) {
      const [mu, sigma, inv, weight, logWeight] = wide.map((array) => array[k]!);
      this.put(nNarrow + k, mu!, sigma!, inv!, weight!, logWeight!);
    }
    return { nNarrow, nWide };
  }

  private put(
    at: number,
    mu: number,
    sigma: number,
    inv: number,
    weight: number,
    logWeight: number,
  ): void {
    this.mu[at] = mu;
    this.sigma[at] = sigma;
    this.inv[at] = inv;
    this.weight[at] = weight;
    this.logWeight[at] = logWeight;
  }
}
