import { logGaussMass } from './normal.js';
import type { Dimension } from './space.js';

/**
 * Log masses of grid cells under the discrete kernels of one width, by the cell's offset from
 * the kernel's mean in grid steps, each computed the first time it is asked for. In univariate
 * TPE on an int most kernels share one width (the clipped one), and the candidates and means
 * lie on a grid of few points, so a proposal asks for the same few offsets over and over; each
 * would otherwise cost two erfc and a log.
 *
 * An entry stands for a cell only when the cell's ends, taken relative to the mean, are exactly
 * the entry's: then the kernel's mass on it is computed from the same two numbers, and the
 * lookup returns what the computation would, to the bit.
 */
export class CellMasses {
  private readonly step: number;
  private readonly half: number;
  /** The index of offset 0: offsets run from −(G − 1) to G − 1 for a grid of G points. */
  private readonly center: number;

  /**
   * @param sigma the width whose masses are kept; kernels of other widths are computed.
   * @param table 2G − 1 entries, from {@link CellMasses.size}, all NaN (not yet known).
   */
  constructor(
    dim: Dimension,
    private readonly sigma: number,
    private readonly table: Float64Array,
  ) {
    this.step = dim.step;
    this.half = dim.step / 2;
    this.center = table.length >> 1;
  }

  /** Entries a table for a discrete coordinate needs: one per offset between grid points. */
  static size(dim: Dimension): number {
    return 2 * Math.round((dim.high - dim.low) / dim.step) + 1;
  }

  /**
   * log(Φ(b) − Φ(a)): the mass of a kernel of width `sigma` on the cell whose ends, relative
   * to the kernel's mean, are `lowEnd` and `highEnd`, and are a and b in units of `sigma`.
   */
  logMass(sigma: number, lowEnd: number, highEnd: number, a: number, b: number): number {
    if (sigma !== this.sigma) return logGaussMass(a, b);
    const { step, half, table } = this;
    const k = Math.round((lowEnd + half) / step);
    const at = k + this.center;
    const exact = lowEnd === k * step - half && highEnd === k * step + half;
    if (!exact || !(at >= 0 && at < table.length)) return logGaussMass(a, b);
    let mass = table[at]!;
    if (Number.isNaN(mass)) {
      mass = logGaussMass(a, b);
      table[at] = mass;
    }
    return mass;
  }
}

/** The array of one {@link CellMasses} table at a time, reused from one table to the next. */
export class CellTableBuffer {
  private buffer = new Float64Array(0);

  /** A table of `size` entries, all unknown (NaN), valid until the next call. */
  take(size: number): Float64Array {
    if (this.buffer.length < size) this.buffer = new Float64Array(size);
    const table = this.buffer.subarray(0, size);
    table.fill(Number.NaN);
    return table;
  }
}
