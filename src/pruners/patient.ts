import { describe, ValueError } from '../errors.js';
import type { StudyView } from '../samplers/base.js';
import type { FrozenTrial } from '../trial/index.js';
import type { Pruner } from './base.js';
import { checkInteger, checkKnownKeys, checkNonNegative } from './validate.js';
import { signOf, singleDirection } from './values.js';

/** Options of {@link PatientPruner}. */
export interface PatientPrunerOptions {
  /** Steps without improvement tolerated before the wrapped pruner is consulted. Required. */
  patience: number;
  /** How much better than the earlier best a value must be to count as progress. Default 0. */
  minDelta?: number;
}

const OWNER = 'PatientPruner';

/**
 * Defers to another pruner only once a trial has stopped improving: when the best of its
 * last `patience + 1` values is no better than the best before them by more than `minDelta`.
 * With no wrapped pruner (`null`), a trial that stops improving is pruned. Single-objective
 * studies only. NaN values are ignored; a window of only NaN never counts as progress.
 */
export class PatientPruner implements Pruner {
  private readonly wrapped: Pruner | null;
  private readonly patience: number;
  private readonly minDelta: number;

  /**
   * @param wrapped the pruner to consult once patience runs out, or `null` to prune then.
   * @throws {ValueError} for a negative or non-integer `patience`, a bad `minDelta`.
   */
  constructor(wrapped: Pruner | null, options: PatientPrunerOptions) {
    checkKnownKeys(OWNER, options, ['patience', 'minDelta']);
    if (wrapped !== null && typeof wrapped?.prune !== 'function') {
      throw new ValueError(
        `${OWNER}: wrapped must be a Pruner or null, but got wrapped=${describe(wrapped)}.`,
      );
    }
    this.wrapped = wrapped;
    this.patience = checkInteger(OWNER, 'patience', options.patience, 0);
    this.minDelta = checkNonNegative(OWNER, 'minDelta', options.minDelta ?? 0);
  }

  /** @throws {ValueError} in a study with several objectives. */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const sign = signOf(singleDirection(OWNER, study));
    const steps = [...trial.intermediateValues.keys()].sort((a, b) => a - b);
    if (steps.length <= this.patience + 1) return false;

    const split = steps.length - this.patience - 1;
    const bestOf = (from: number, to: number) => {
      let best = Infinity;
      for (let i = from; i < to; i++) {
        const v = sign * (trial.intermediateValues.get(steps[i]!) as number);
        if (v < best) best = v;
      }
      return best;
    };
    const stalled = bestOf(0, split) + this.minDelta < bestOf(split, steps.length);
    if (!stalled) return false;
    return this.wrapped === null ? true : this.wrapped.prune(study, trial);
  }
}
