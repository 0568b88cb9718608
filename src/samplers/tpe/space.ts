import type { Distribution, InternalValue } from '../../distributions/index.js';

/**
 * One coordinate that a Parzen estimator models. Float and int parameters are one coordinate
 * (in log space when `log`), categoricals one coordinate over choice indices, and a simplex
 * k − 1 coordinates (its additive log-ratios) that form one block.
 */
export interface Dimension {
  readonly kind: 'continuous' | 'discrete' | 'categorical';
  /** Bounds in the modelled space (logs taken); for `discrete`, the ends of the grid. */
  readonly low: number;
  readonly high: number;
  /** Grid spacing of a `discrete` coordinate; 0 otherwise. */
  readonly step: number;
  /** Number of choices of a `categorical` coordinate; 0 otherwise. */
  readonly nChoices: number;
  /** Coordinates in this one's block: k − 1 for a simplex, 1 otherwise. */
  readonly blockSize: number;
  /**
   * Step of a log-scaled int's grid on the original scale, 0 otherwise. Its coordinate is
   * continuous on [ln(low − ½), ln(high + ½)], but a candidate is the log of a grid value, so
   * that it is scored where it will be evaluated.
   */
  readonly logGridStep: number;
  /** The grid's ends on the original scale, for `logGridStep` > 0. */
  readonly gridLow: number;
  readonly gridHigh: number;
}

/** Where one parameter lives among the coordinates. */
export interface ParamLayout {
  readonly name: string;
  readonly distribution: Distribution;
  readonly offset: number;
  readonly size: number;
}

/** The log of the grid value of a log-scaled int nearest to exp(y). */
export function snapToLogGrid(dim: Dimension, y: number): number {
  const { gridLow, gridHigh, logGridStep } = dim;
  const k = Math.round((Math.exp(y) - gridLow) / logGridStep);
  return Math.log(Math.min(gridHigh, Math.max(gridLow, gridLow + k * logGridStep)));
}

/**
 * The modelled space of a set of parameters: coordinates, and the maps between a parameter's
 * internal value and its coordinates. Float and int parameters with `log` are modelled on the
 * log scale; a log-scaled int covers [ln(low − ½), ln(high + ½)] continuously and is rounded
 * back, as Optuna does.
 */
export class EstimatorSpace {
  readonly params: readonly ParamLayout[];
  readonly dims: readonly Dimension[];

  constructor(entries: readonly (readonly [string, Distribution])[]) {
    const params: ParamLayout[] = [];
    const dims: Dimension[] = [];
    for (const [name, distribution] of entries) {
      const own = dimensionsOf(distribution);
      params.push({ name, distribution, offset: dims.length, size: own.length });
      dims.push(...own);
    }
    this.params = params;
    this.dims = dims;
  }

  /** Writes the coordinates of one parameter's internal value into `columns` at `row`. */
  encode(param: ParamLayout, internal: InternalValue, columns: Float64Array[], row: number): void {
    if (typeof internal !== 'number') {
      for (let i = 0; i < param.size; i++) columns[param.offset + i]![row] = internal[i]!;
      return;
    }
    const { distribution } = param;
    const log =
      distribution.kind !== 'categorical' && distribution.kind !== 'simplex' && distribution.log;
    columns[param.offset]![row] = log ? Math.log(internal) : internal;
  }

  /** The internal value of one parameter at `row` of coordinate columns. */
  decode(param: ParamLayout, columns: readonly Float64Array[], row: number): InternalValue {
    const { distribution, offset } = param;
    const y = columns[offset]![row]!;
    switch (distribution.kind) {
      case 'categorical':
        return y;
      case 'simplex': {
        const coords = new Float64Array(param.size);
        for (let i = 0; i < param.size; i++) {
          coords[i] = Math.min(
            distribution.high,
            Math.max(distribution.low, columns[offset + i]![row]!),
          );
        }
        return coords;
      }
      case 'float':
      case 'int': {
        const value = distribution.log ? Math.exp(y) : y;
        return distribution.toExternal(value);
      }
    }
  }
}

function dimensionsOf(distribution: Distribution): Dimension[] {
  switch (distribution.kind) {
    case 'categorical':
      return [
        dimension(
          'categorical',
          0,
          distribution.choices.length - 1,
          0,
          distribution.choices.length,
        ),
      ];
    case 'simplex': {
      const size = distribution.dimension;
      const one = {
        ...dimension('continuous', distribution.low, distribution.high),
        blockSize: size,
      };
      return Array.from({ length: size }, () => one);
    }
    case 'float': {
      const { low, high, log, step } = distribution;
      if (log) return [dimension('continuous', Math.log(low), Math.log(high))];
      if (step !== undefined) return [dimension('discrete', low, high, step)];
      return [dimension('continuous', low, high)];
    }
    case 'int': {
      const { low, high, log, step } = distribution;
      if (!log) return [dimension('discrete', low, high, step)];
      const base = dimension('continuous', Math.log(low - step / 2), Math.log(high + step / 2));
      return [{ ...base, logGridStep: step, gridLow: low, gridHigh: high }];
    }
  }
}

function dimension(
  kind: Dimension['kind'],
  low: number,
  high: number,
  step = 0,
  nChoices = 0,
): Dimension {
  return { kind, low, high, step, nChoices, blockSize: 1, logGridStep: 0, gridLow: 0, gridHigh: 0 };
}
