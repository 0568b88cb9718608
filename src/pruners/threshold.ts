import { ValueError } from '../errors.js';
import type { FrozenTrial } from '../trial/index.js';
import type { Pruner } from './base.js';
import { checkInteger, checkKnownKeys, checkNumber } from './validate.js';
import { isCheckStep, lastStep } from './values.js';

/** Options of {@link ThresholdPruner}; at least one of `lower` and `upper` is required. */
export interface ThresholdPrunerOptions {
  /** Prune when the latest value is below this. Default -Infinity. */
  lower?: number;
  /** Prune when the latest value is above this. Default +Infinity. */
  upper?: number;
  /** No pruning at steps below this one. Default 0. */
  nWarmupSteps?: number;
  /** Steps between pruning checks, counted from `nWarmupSteps`. Default 1. */
  intervalSteps?: number;
}

/** Defaults of {@link ThresholdPrunerOptions}. */
export const THRESHOLD_DEFAULTS: Readonly<Required<ThresholdPrunerOptions>> = Object.freeze({
  lower: -Infinity,
  upper: Infinity,
  nWarmupSteps: 0,
  intervalSteps: 1,
});

const OWNER = 'ThresholdPruner';

/**
 * Prunes a trial whose latest intermediate value leaves `[lower, upper]` or is NaN: a guard
 * against diverging runs that needs no other trial. In a multi-objective study that reports
 * arrays, every entry is held to the same bounds.
 */
export class ThresholdPruner implements Pruner {
  private readonly options: Readonly<Required<ThresholdPrunerOptions>>;

  /** @throws {ValueError} without bounds, with `lower > upper`, or a bad option. */
  constructor(options: ThresholdPrunerOptions) {
    checkKnownKeys(OWNER, options, Object.keys(THRESHOLD_DEFAULTS));
    if (options.lower === undefined && options.upper === undefined) {
      throw new ValueError(`${OWNER}: lower or upper must be given, but got neither.`);
    }
    const resolved = { ...THRESHOLD_DEFAULTS, ...options };
    checkNumber(OWNER, 'lower', resolved.lower);
    checkNumber(OWNER, 'upper', resolved.upper);
    if (resolved.lower > resolved.upper) {
      throw new ValueError(
        `${OWNER}: lower must be <= upper, ` +
          `but got lower=${resolved.lower}, upper=${resolved.upper}.`,
      );
    }
    checkInteger(OWNER, 'nWarmupSteps', resolved.nWarmupSteps, 0);
    checkInteger(OWNER, 'intervalSteps', resolved.intervalSteps, 1);
    this.options = Object.freeze(resolved);
  }

  prune(_study: unknown, trial: FrozenTrial): boolean {
    const { lower, upper, nWarmupSteps, intervalSteps } = this.options;
    const step = lastStep(trial);
    if (step === undefined || step < nWarmupSteps) return false;
    if (!isCheckStep(trial, step, nWarmupSteps, intervalSteps)) return false;
    const value = trial.intermediateValues.get(step)!;
    const entries = typeof value === 'number' ? [value] : value;
    return entries.some((v) => Number.isNaN(v) || v < lower || v > upper);
  }
}
