import type { Distribution, InternalValue } from '../../distributions/index.js';
import type { FrozenTrial } from '../../trial/index.js';
import type { EstimatorSpace } from './space.js';

/** Observations of a space: one column per coordinate, and a weight per row. */
export interface Observations {
  readonly columns: Float64Array[];
  readonly weights: Float64Array;
  /**
   * Per coordinate, the rows in stable ascending order of value, when the cache knew it
   * (every parameter scalar and cached); the bandwidth rule then needs no sort.
   */
  readonly orders: Int32Array[] | undefined;
}

/**
 * Buffers for the columns that {@link ObservationCache.collect} returns, reused from one call
 * to the next: columns read with a scratch are valid only until its next use. The bad trials'
 * columns are most trials times every coordinate, and allocating them anew on every proposal
 * cost more than reading them.
 */
export class ColumnScratch {
  private columns: Float64Array[] = [];
  private rows = new Int32Array(0);

  /** `nColumns` columns and a row index of at least `size` entries each, cut to `size`. */
  take(nColumns: number, size: number): { columns: Float64Array[]; rows: Int32Array } {
    if (this.rows.length < size) {
      const capacity = Math.max(size, 2 * this.rows.length);
      this.rows = new Int32Array(capacity);
      this.columns = this.columns.map(() => new Float64Array(capacity));
    }
    while (this.columns.length < nColumns) this.columns.push(new Float64Array(this.rows.length));
    return {
      columns: this.columns.slice(0, nColumns).map((column) => column.subarray(0, size)),
      rows: this.rows.subarray(0, size),
    };
  }
}

/** One scalar parameter's coordinates, by trial number; NaN where a trial has no usable value. */
interface Column {
  readonly reference: Distribution;
  values: Float64Array;
  /** Numbers of the filled trials that have a value, by (value, number) ascending. */
  sorted: Int32Array;
  nSorted: number;
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

  /**
   * The observations of `trials` in `space`, weighted by `fixedWeights` or `weightsFunc`;
   * `withOrders`: also each column's value order, which only the neighbour bandwidth rule
   * (univariate kernels) uses.
   */
  collect(
    space: EstimatorSpace,
    trials: readonly FrozenTrial[],
    fixedWeights: Float64Array | undefined,
    weightsFunc: (n: number) => ArrayLike<number>,
    withOrders: boolean,
    scratch?: ColumnScratch,
  ): Observations {
    const cached = space.params.map((param) => this.usableColumn(param.name, param.distribution));
    const allCached = cached.every((column) => column !== undefined);
    const { columns: full, rows } = (scratch ?? new ColumnScratch()).take(
      space.dims.length,
      trials.length,
    );
    let n = 0;
    const whole = allCached ? this.readColumns(cached as Column[], trials, full) : false;
    if (whole) {
      n = trials.length;
      for (let t = 0; t < n; t++) rows[t] = t;
    }
    for (let t = 0; t < trials.length && !whole; t++) {
      const trial = trials[t]!;
      const usable =
        allCached && trial.state !== 'RUNNING'
          ? this.readCached(trial, cached as Column[], full, n)
          : readTrial(space, trial, full, n);
      if (usable) rows[n++] = t;
    }
    const columns = full.map((column) => column.subarray(0, n));
    // Reading the order off a column costs O(trials seen); a small set sorts itself faster.
    const readOrders = allCached && withOrders && 16 * n >= this.seen.size;
    const orders = readOrders ? this.ordersOf(cached as Column[], trials, rows, n) : undefined;
    const memo = n === trials.length ? this.weightsMemo.get(trials) : undefined;
    if (memo !== undefined && memo.fixed === fixedWeights) {
      return { columns, weights: memo.weights, orders };
    }
    const weights = new Float64Array(n);
    if (n === trials.length) this.weightsMemo.set(trials, { fixed: fixedWeights, weights });
    if (fixedWeights !== undefined) {
      for (let r = 0; r < n; r++) weights[r] = fixedWeights[rows[r]!]!;
    } else {
      const given = weightsFunc(n);
      for (let r = 0; r < n; r++) weights[r] = given[r] ?? 0;
    }
    return { columns, weights, orders };
  }

  /**
   * One scalar parameter's values among `trials` (finished, in number order), ascending, with
   * each value's row: its trial's index in `trials`. Read off the column's kept order in
   * O(trials seen), no sort, into buffers that the next call reuses. Undefined when the
   * general path is needed: a RUNNING trial, a trial without a usable value, or a parameter
   * without a column.
   */
  sortedObservations(
    name: string,
    distribution: Distribution,
    trials: readonly FrozenTrial[],
  ): { values: Float64Array; rows: Int32Array } | undefined {
    const column = this.usableColumn(name, distribution);
    if (column === undefined) return undefined;
    const rowOf = this.rowsFor(trials)?.rowOf;
    if (rowOf === undefined) return undefined;
    const n = trials.length;
    const { columns, rows } = this.sortedScratch.take(1, n);
    const values = columns[0]!;
    let at = 0;
    for (let i = 0; i < column.nSorted && at < n; i++) {
      const number = column.sorted[i]!;
      const row = rowOf[number]!;
      if (row >= 0) {
        values[at] = column.values[number]!;
        rows[at++] = row;
      }
    }
    return at === n ? { values, rows } : undefined;
  }

  private readonly sortedScratch = new ColumnScratch();

  /**
   * Each trial's index in `trials` by trial number (−1 for others) and the trials' numbers,
   * computed once per trial list (every parameter of a proposal reads the same two lists);
   * undefined when a trial is RUNNING.
   */
  private rowsFor(
    trials: readonly FrozenTrial[],
  ): { rowOf: Int32Array; numbers: Int32Array } | undefined {
    const known = this.rowsMemo.get(trials);
    if (known !== undefined) return known;
    const numbers = new Int32Array(trials.length);
    for (let row = 0; row < trials.length; row++) {
      const trial = trials[row]!;
      if (trial.state === 'RUNNING') return undefined;
      numbers[row] = trial.number;
    }
    return this.knowRows(trials, numbers);
  }

  /**
   * Takes the numbers of `trials` (finished trials, none RUNNING) from a caller that holds
   * them already, so that reading their rows touches only the trials not yet filled.
   */
  knowRows(
    trials: readonly FrozenTrial[],
    numbers: Int32Array,
  ): { rowOf: Int32Array; numbers: Int32Array } {
    for (let row = 0; row < trials.length; row++) {
      const number = numbers[row]!;
      if (number >= this.filled.length || this.filled[number] !== 1) this.fill(trials[row]!);
    }
    const rowOf = new Int32Array(this.filled.length).fill(-1);
    for (let row = 0; row < trials.length; row++) rowOf[numbers[row]!] = row;
    const rows = { rowOf, numbers };
    this.rowsMemo.set(trials, rows);
    return rows;
  }

  private readonly rowsMemo = new WeakMap<
    readonly FrozenTrial[],
    { rowOf: Int32Array; numbers: Int32Array }
  >();

  /** The weights of `trials` from `weightsFunc`, shared by every caller with the same list. */
  weightsOf(
    trials: readonly FrozenTrial[],
    weightsFunc: (n: number) => ArrayLike<number>,
  ): Float64Array {
    const memo = this.weightsMemo.get(trials);
    if (memo !== undefined && memo.fixed === undefined) return memo.weights;
    const given = weightsFunc(trials.length);
    const weights = new Float64Array(trials.length);
    for (let r = 0; r < trials.length; r++) weights[r] = given[r] ?? 0;
    this.weightsMemo.set(trials, { fixed: undefined, weights });
    return weights;
  }

  /**
   * The weights of each trial list whose trials were all rows (the usual case): one array
   * shared by all parameters of a proposal, so estimators can share what they derive from it.
   */
  private readonly weightsMemo = new WeakMap<
    readonly FrozenTrial[],
    { fixed: Float64Array | undefined; weights: Float64Array }
  >();

  /** Rows in value order per column, read off the kept order of all trials. O(trials seen). */
  private ordersOf(
    cached: Column[],
    trials: readonly FrozenTrial[],
    rows: Int32Array,
    n: number,
  ): Int32Array[] | undefined {
    for (let r = 0; r < n; r++) if (trials[rows[r]!]!.state === 'RUNNING') return undefined;
    if (this.rowOf.length < this.filled.length) this.rowOf = new Int32Array(this.filled.length);
    const rowOf = this.rowOf;
    rowOf.fill(-1);
    for (let r = 0; r < n; r++) rowOf[trials[rows[r]!]!.number] = r;
    return cached.map((column) => {
      const order = new Int32Array(n);
      let at = 0;
      for (let i = 0; i < column.nSorted && at < n; i++) {
        const row = rowOf[column.sorted[i]!]!;
        if (row >= 0) order[at++] = row;
      }
      return order;
    });
  }

  private rowOf = new Int32Array(0);

  /**
   * Copies every trial's cached coordinates, column by column, when all are finished and have
   * every value (the usual case, one typed-array read per entry); false, with nothing
   * promised about `out`, when the row-by-row path must decide which trials count.
   */
  private readColumns(
    cached: Column[],
    trials: readonly FrozenTrial[],
    out: Float64Array[],
  ): boolean {
    const numbers = this.rowsFor(trials)?.numbers;
    if (numbers === undefined) return false;
    for (let p = 0; p < cached.length; p++) {
      const values = cached[p]!.values;
      const column = out[p]!;
      for (let r = 0; r < numbers.length; r++) {
        const value = values[numbers[r]!]!;
        if (Number.isNaN(value)) return false;
        column[r] = value;
      }
    }
    return true;
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
        sorted: new Int32Array(this.filled.length),
        nSorted: 0,
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
      const value = coordinateOf(trial, name, column.reference);
      column.values[number] = value;
      if (!Number.isNaN(value)) insertSorted(column, number);
    }
    this.seen.set(number, trial);
  }

  /** Trials already filled, kept so a column started later can be filled from them. */
  private readonly seen = new Map<number, FrozenTrial>();

  private refillFrom(column: Column, name: string): void {
    for (const [number, trial] of this.seen) {
      const value = coordinateOf(trial, name, column.reference);
      column.values[number] = value;
      if (!Number.isNaN(value)) insertSorted(column, number);
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
      const sorted = new Int32Array(capacity);
      sorted.set(column.sorted);
      column.sorted = sorted;
    }
  }
}

/**
 * Inserts a trial number into a column's order by (value, number): a binary search and one
 * shift, O(n) per trial and never a sort.
 */
function insertSorted(column: Column, number: number): void {
  const { values, sorted } = column;
  const value = values[number]!;
  let lo = 0;
  let hi = column.nSorted;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const other = sorted[mid]!;
    const v = values[other]!;
    if (v < value || (v === value && other < number)) lo = mid + 1;
    else hi = mid;
  }
  sorted.copyWithin(lo + 1, lo, column.nSorted);
  sorted[lo] = number;
  column.nSorted++;
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
