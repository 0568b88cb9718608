import type { Distribution, InternalValue } from '../../distributions/index.js';
import type { FrozenTrial } from '../../trial/index.js';
import type { EstimatorSpace } from './space.js';

/** Observations of a space: one column per coordinate, and a weight per row. */
export interface Observations {
  readonly columns: Float64Array[];
  readonly weights: Float64Array;
}

/** One scalar parameter's coordinates, by trial number; NaN where a trial has no usable value. */
interface Column {
  readonly reference: Distribution;
  values: Float64Array;
}

/**
 * The coordinates of finished trials, kept per scalar parameter and indexed by trial number,
 * so that each proposal reads one typed-array entry per trial and parameter instead of
 * walking the trial's maps. Finished trials never change, so each is read once. A value
 * counts only when the trial's distribution equals the one the column was started with;
 * spaces whose distribution differs from it, simplex parameters and RUNNING trials take the
 * general path.
 */
export class ObservationCache {
  private readonly columns = new Map<string, Column>();
  private filled = new Uint8Array(64);

  /** The observations of `trials` in `space`, weighted by `fixedWeights` or `weightsFunc`. */
  collect(
    space: EstimatorSpace,
    trials: readonly FrozenTrial[],
    fixedWeights: Float64Array | undefined,
    weightsFunc: (n: number) => ArrayLike<number>,
  ): Observations {
    const cached = space.params.map((param) => this.usableColumn(param.name, param.distribution));
    const allCached = cached.every((column) => column !== undefined);
    const full = space.dims.map(() => new Float64Array(trials.length));
    const rows = new Int32Array(trials.length);
    let n = 0;
    for (let t = 0; t < trials.length; t++) {
      const trial = trials[t]!;
      const usable =
        allCached && trial.state !== 'RUNNING'
          ? this.readCached(trial, cached as Column[], full, n)
          : readTrial(space, trial, full, n);
      if (usable) rows[n++] = t;
    }
    const columns = full.map((column) => column.subarray(0, n));
    const weights = new Float64Array(n);
    if (fixedWeights !== undefined) {
      for (let r = 0; r < n; r++) weights[r] = fixedWeights[rows[r]!]!;
    } else {
      const given = weightsFunc(n);
      for (let r = 0; r < n; r++) weights[r] = given[r] ?? 0;
    }
    return { columns, weights };
  }

  /** Copies a finished trial's cached coordinates into row `row`; false if one is missing. */
  private readCached(
    trial: FrozenTrial,
    cached: Column[],
    out: Float64Array[],
    row: number,
  ): boolean {
    this.fill(trial);
    for (let p = 0; p < cached.length; p++) {
      const value = cached[p]!.values[trial.number]!;
      if (Number.isNaN(value)) return false;
      out[p]![row] = value;
    }
    return true;
  }

  /** The column of a scalar parameter whose reference equals `distribution`, if any. */
  private usableColumn(name: string, distribution: Distribution): Column | undefined {
    if (distribution.kind === 'simplex') return undefined;
    const column = this.columns.get(name);
    if (column === undefined) {
      const fresh = {
        reference: distribution,
        values: new Float64Array(this.filled.length).fill(NaN),
      };
      this.columns.set(name, fresh);
      this.refillFrom(fresh, name);
      return fresh;
    }
    return column.reference === distribution || column.reference.equals(distribution)
      ? column
      : undefined;
  }

  /** Records a finished trial's coordinates in every column, once. */
  private fill(trial: FrozenTrial): void {
    const number = trial.number;
    if (number >= this.filled.length) this.grow(number + 1);
    if (this.filled[number] === 1) return;
    this.filled[number] = 1;
    for (const [name, column] of this.columns) {
      column.values[number] = coordinateOf(trial, name, column.reference);
    }
    this.seen.set(number, trial);
  }

  /** Trials already filled, kept so a column started later can be filled from them. */
  private readonly seen = new Map<number, FrozenTrial>();

  private refillFrom(column: Column, name: string): void {
    for (const [number, trial] of this.seen) {
      column.values[number] = coordinateOf(trial, name, column.reference);
    }
  }

  private grow(size: number): void {
    const capacity = Math.max(size, this.filled.length * 2);
    const filled = new Uint8Array(capacity);
    filled.set(this.filled);
    this.filled = filled;
    for (const column of this.columns.values()) {
      const values = new Float64Array(capacity).fill(NaN);
      values.set(column.values);
      column.values = values;
    }
  }
}

/** Encodes a trial's values into row `row` the general way; false if one is unusable. */
function readTrial(
  space: EstimatorSpace,
  trial: FrozenTrial,
  out: Float64Array[],
  row: number,
): boolean {
  for (const param of space.params) {
    const value = compatibleValue(trial, param.name, param.distribution);
    if (value === undefined) return false;
    space.encode(param, value, out, row);
  }
  return true;
}

/** The modelled coordinate of a scalar parameter, or NaN when the trial cannot supply it. */
function coordinateOf(trial: FrozenTrial, name: string, reference: Distribution): number {
  const own = trial.distributions[name];
  if (own === undefined || !(own === reference || own.equals(reference))) return NaN;
  const value = trial.internalParams.get(name) as number;
  const log = reference.kind !== 'categorical' && reference.kind !== 'simplex' && reference.log;
  return log ? Math.log(value) : value;
}

/** A trial's internal value for a parameter, if the given distribution can hold it. */
export function compatibleValue(
  trial: FrozenTrial,
  name: string,
  distribution: Distribution,
): InternalValue | undefined {
  const own = trial.distributions[name];
  if (own === undefined) return undefined;
  const value = trial.internalParams.get(name);
  if (value === undefined) return undefined;
  if (own === distribution || own.equals(distribution)) return value;
  if (own.kind !== distribution.kind) return undefined;
  if (own.kind === 'categorical') {
    const choice = own.choices[value as number];
    const index = (distribution as typeof own).choices.indexOf(choice!);
    return index < 0 ? undefined : index;
  }
  return (distribution.contains as (v: InternalValue) => boolean)(value) ? value : undefined;
}
