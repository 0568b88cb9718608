/**
 * Sums of a joint Parzen estimator's log kernels over candidates: every candidate against
 * every kernel, coordinate by coordinate, in rows of a scratch array; discrete coordinates by
 * exact cell masses (from a table when the kernels share a width, else bounded first and
 * refined only where they can matter); then one log-sum-exp per candidate.
 */
import type { Kernels, NumericKernels } from './kernels.js';
import type { Dimension } from './space.js';
import { CellMasses } from './cell-masses.js';
import { expNonPositive, logGaussMass, logNormalPdf } from './normal.js';

/**
 * A kernel more than this many nats below the best one changes the density by under 3e-16
 * of itself, below double precision; such kernels are skipped.
 */
const LOG_CUTOFF = 36;
const LOG_NORMAL_AT_0 = logNormalPdf(0);

/** Kernels summed together over every coordinate before the next ones (fits in L1 cache). */
export const CHUNK = 128;

/** Kernels [from, to) of nK, in rows of nK sums per sample. */
export interface KernelRange {
  readonly from: number;
  readonly to: number;
  readonly nK: number;
}

/** Adds each continuous or categorical kernel's log density at each sample to its sum. */
export function addLogDensity(
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
export interface MassTable {
  readonly nShared: number;
  readonly gridSize: number;
  readonly logMass: Float64Array;
}

/** Largest grid (points) tabulated; beyond, the table would cost more than it saves. */
const MAX_TABLE_GRID = 4096;

/** A table when all observation kernels of a discrete coordinate have one width. */
export function massTable(kernels: NumericKernels): MassTable | undefined {
  const { sigma, dim } = kernels;
  const nK = sigma.length;
  // The neighbour rule (kernels sorted) gives each kernel its own width.
  if (kernels.order !== undefined) return undefined;
  const width = sigma[0]!;
  let nShared = 1;
  while (nShared < nK && sigma[nShared] === width) nShared++;
  if (nShared < nK - 1) return undefined;
  return cellMassTable(kernels.dim, width, nShared, nK);
}

/**
 * The table of log cell masses of `nShared` kernels of width `sigma` on a discrete
 * coordinate, or undefined where a big grid would cost more to tabulate than its lookups
 * save over `nKernels` kernels.
 */
export function cellMassTable(
  dim: Dimension,
  sigma: number,
  nShared: number,
  nKernels: number,
): MassTable | undefined {
  const gridSize = Math.round((dim.high - dim.low) / dim.step) + 1;
  if (gridSize > MAX_TABLE_GRID || gridSize > 12 * nKernels) return undefined;
  const inv = 1 / sigma;
  const half = dim.step / 2;
  const logMass = new Float64Array(2 * gridSize - 1);
  const middle = gridSize - 1;
  // The cells k steps either side of the mean have the same mass: computed once, for k ≥ 0,
  // from the same arguments as the cell −k (negated and swapped), so it is the same number.
  for (let k = 0; k < gridSize; k++) {
    const center = k * dim.step;
    const mass = logGaussMass((center - half) * inv, (center + half) * inv);
    logMass[middle + k] = mass;
    logMass[middle - k] = mass;
  }
  return { nShared, gridSize, logMass };
}

/**
 * Adds the log cell masses of a tabled discrete coordinate: a lookup for the shared-width
 * kernels, the exact mass for the rest (the prior) and for any mean off the grid.
 */
export function addTabled(
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
export function addDiscreteBounds(
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

/**
 * Replaces the bounds of discrete coordinates by exact log masses where they can matter,
 * reading them from each coordinate's `cells` where it has them.
 */
export function refineDiscrete(
  discrete: readonly NumericKernels[],
  cells: readonly (CellMasses | undefined)[],
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
        exact += exactDiscrete(discrete[t]!, samples[dimIndex[t]!]![s]!, j, cells[t]);
      }
      acc[row + j] = exact;
    }
  }
}

/** A kernel's exact log mass on the grid cell around x, over its mass on the whole grid. */
function exactDiscrete(kernels: NumericKernels, x: number, j: number, cells?: CellMasses): number {
  const { mu, invSigma, offset, dim } = kernels;
  const half = dim.step / 2;
  const lowEnd = Math.max(x - half, dim.low - half) - mu[j]!;
  const highEnd = Math.min(x + half, dim.high + half) - mu[j]!;
  const a = lowEnd * invSigma[j]!;
  const b = highEnd * invSigma[j]!;
  const mass =
    cells === undefined
      ? logGaussMass(a, b)
      : cells.logMass(kernels.sigma[j]!, lowEnd, highEnd, a, b);
  return mass + offset[j]!;
}

/**
 * Cell masses for the discrete kernels of the narrowest width, which the magic clip gives
 * most of them, when the grid is small enough for the lookups to pay for the table.
 */
export function cellMassesOf(
  kernels: NumericKernels,
  lookups: number,
  table: (size: number) => Float64Array,
): CellMasses | undefined {
  const size = CellMasses.size(kernels.dim);
  if (size > lookups) return undefined;
  const { sigma } = kernels;
  let narrowest = Infinity;
  for (let j = 0; j < sigma.length; j++) if (sigma[j]! < narrowest) narrowest = sigma[j]!;
  return new CellMasses(kernels.dim, narrowest, table(size));
}

/** log Σ exp over one row, skipping terms too small to change the sum. */
export function logSumExpRow(acc: Float64Array, start: number, length: number): number {
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
