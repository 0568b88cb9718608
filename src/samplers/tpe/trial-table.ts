import type { FrozenTrial, StudyDirection, TrialState } from '../../trial/index.js';
import { argsortStable } from './bandwidth.js';
import type { Split } from './split.js';

/** A split with the trial numbers of each half, in the same order. */
export interface NumberedSplit extends Split {
  readonly belowNumbers: Int32Array;
  readonly aboveNumbers: Int32Array;
}

const OTHER = 0;
const COMPLETE = 1;
const PRUNED = 2;
const RUNNING = 3;

function stateCode(state: TrialState): number {
  if (state === 'COMPLETE') return COMPLETE;
  if (state === 'PRUNED') return PRUNED;
  return state === 'RUNNING' ? RUNNING : OTHER;
}

/**
 * What the good/bad split reads of each trial of a study snapshot (id, number, state, value),
 * kept in typed arrays from one proposal to the next. A snapshot holds the same frozen object
 * for a trial until the trial changes, so a new snapshot is compared with the last one entry
 * by entry, and only new or changed trials are read. The split of a thousand trials then
 * touches no trial object; reading them cost most of a split, and more once a study's
 * objective had run between two proposals and pushed them out of the caches.
 */
export class TrialTable {
  private trials: readonly FrozenTrial[] = [];
  private ids = new Float64Array(0);
  private numbers = new Float64Array(0);
  private states = new Uint8Array(0);
  /** The only value of a COMPLETE single-objective trial; NaN otherwise. */
  private values = new Float64Array(0);

  /**
   * {@link splitTrials} of the finished trials other than `skip`, for the usual case: one
   * objective, no constraints, trials in number order, and none PRUNED, nor RUNNING under the
   * constant liar. Undefined where the general split is needed.
   */
  splitSingle(
    trials: readonly FrozenTrial[],
    skip: number,
    direction: StudyDirection,
    constantLiar: boolean,
    gamma: (nFinished: number) => number,
  ): NumberedSplit | undefined {
    this.update(trials);
    const { ids, numbers, states, values } = this;
    const n = trials.length;
    let nComplete = 0;
    for (let i = 0; i < n; i++) {
      if (i > 0 && numbers[i]! < numbers[i - 1]!) return undefined;
      if (ids[i] === skip) continue;
      const state = states[i]!;
      if (state === PRUNED || (constantLiar && state === RUNNING)) return undefined;
      if (state === COMPLETE) {
        if (Number.isNaN(values[i]!)) return undefined;
        nComplete++;
      }
    }
    const k = Math.min(nComplete, Math.max(0, Math.floor(gamma(nComplete))));
    const sign = direction === 'minimize' ? 1 : -1;
    const chosen = this.best(n, skip, sign, k, nComplete);
    const below: FrozenTrial[] = [];
    const above: FrozenTrial[] = [];
    const belowNumbers = new Int32Array(k);
    const belowRanks = new Int32Array(k);
    const aboveNumbers = new Int32Array(nComplete - k);
    for (let i = 0; i < n; i++) {
      if (states[i] !== COMPLETE || ids[i] === skip) continue;
      if (chosen[i]! > 0) {
        belowNumbers[below.length] = numbers[i]!;
        belowRanks[below.length] = chosen[i]! - 1;
        below.push(trials[i]!);
      } else {
        aboveNumbers[above.length] = numbers[i]!;
        above.push(trials[i]!);
      }
    }
    return { below, above, belowWeights: undefined, belowRanks, belowNumbers, aboveNumbers };
  }

  /**
   * The k COMPLETE trials (not `skip`) of least sign × value, ties by number: 1 + its rank at
   * each of their indices, 0 elsewhere.
   */
  private best(n: number, skip: number, sign: number, k: number, nComplete: number): Int32Array {
    const { ids, states, values } = this;
    const chosen = new Int32Array(n);
    if (k === 0) return chosen;
    if (4 * k >= nComplete) {
      // Most of them are wanted: a stable sort of all keys costs no more.
      const keys = new Float64Array(nComplete);
      const index = new Int32Array(nComplete);
      let m = 0;
      for (let i = 0; i < n; i++) {
        if (states[i] !== COMPLETE || ids[i] === skip) continue;
        keys[m] = sign * values[i]!;
        index[m++] = i;
      }
      const order = argsortStable(keys);
      for (let r = 0; r < k; r++) chosen[index[order[r]!]!] = r + 1;
      return chosen;
    }
    // The best so far, ascending; a later trial with an equal key ranks after.
    const keys = new Float64Array(k);
    const kept = new Int32Array(k);
    let size = 0;
    for (let i = 0; i < n; i++) {
      if (states[i] !== COMPLETE || ids[i] === skip) continue;
      const key = sign * values[i]!;
      if (size === k) {
        if (!(key < keys[k - 1]!)) continue;
        size--;
      }
      let at = size;
      for (; at > 0 && keys[at - 1]! > key; at--) {
        keys[at] = keys[at - 1]!;
        kept[at] = kept[at - 1]!;
      }
      keys[at] = key;
      kept[at] = i;
      size++;
    }
    for (let r = 0; r < k; r++) chosen[kept[r]!] = r + 1;
    return chosen;
  }

  /** Reads the trials of `trials` that are not, at the same index, the last snapshot's. */
  private update(trials: readonly FrozenTrial[]): void {
    const last = this.trials;
    if (trials === last) return;
    const n = trials.length;
    if (this.ids.length < n) this.grow(Math.max(n, 2 * this.ids.length));
    const { ids, numbers, states, values } = this;
    for (let i = 0; i < n; i++) {
      const trial = trials[i]!;
      if (i < last.length && last[i] === trial) continue;
      const state = stateCode(trial.state);
      ids[i] = trial.id;
      numbers[i] = trial.number;
      states[i] = state;
      const own = trial.values;
      values[i] = state === COMPLETE && own !== undefined && own.length === 1 ? own[0]! : NaN;
    }
    this.trials = trials;
  }

  private grow(capacity: number): void {
    const resized = <T extends Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const out = make(capacity);
      out.set(old);
      return out;
    };
    this.ids = resized(this.ids, (c) => new Float64Array(c));
    this.numbers = resized(this.numbers, (c) => new Float64Array(c));
    this.states = resized(this.states, (c) => new Uint8Array(c));
    this.values = resized(this.values, (c) => new Float64Array(c));
  }
}
