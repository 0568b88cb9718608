import type { StudyView } from '../samplers/base.js';
import type { FrozenTrial } from '../trial/index.js';
import type { Pruner } from './base.js';
import { checkInRange, checkInteger, checkKnownKeys } from './validate.js';
import { isCheckStep, lastStep, signOf, singleDirection } from './values.js';

/** The options shared by {@link PercentilePruner} and {@link MedianPruner}. */
export interface PercentileWindowOptions {
  /** No pruning until this many trials have completed. Default 5. */
  nStartupTrials?: number;
  /** No pruning at steps below this one (steps count from 0). Default 0. */
  nWarmupSteps?: number;
  /** Steps between pruning checks, counted from `nWarmupSteps`. Default 1. */
  intervalSteps?: number;
  /** No pruning at a step where fewer completed trials reported a value. Default 1. */
  nMinTrials?: number;
}

/** Options of {@link PercentilePruner}. */
export interface PercentilePrunerOptions extends PercentileWindowOptions {
  /**
   * The percentile, in [0, 100], of the completed trials' values at the same step that a
   * trial's best value must reach: 25 keeps the best quarter. Required.
   */
  percentile: number;
}

/** Defaults of the optional {@link PercentileWindowOptions}. */
export const PERCENTILE_WINDOW_DEFAULTS: Readonly<Required<PercentileWindowOptions>> =
  Object.freeze({ nStartupTrials: 5, nWarmupSteps: 0, intervalSteps: 1, nMinTrials: 1 });

const KEYS = ['percentile', ...Object.keys(PERCENTILE_WINDOW_DEFAULTS)];

/**
 * Prunes a trial whose best intermediate value so far is worse than the given percentile of
 * the completed trials' values at the trial's latest step. Single-objective studies only.
 *
 * NaN policy: a trial whose every value is NaN is pruned; NaN values of completed trials are
 * left out of the percentile (but count toward `nMinTrials`, as in Optuna).
 */
export class PercentilePruner implements Pruner {
  private readonly options: Readonly<Required<PercentilePrunerOptions>>;
  private readonly owner: string;

  /** @throws {ValueError} for an option out of range or an unknown option. */
  constructor(options: PercentilePrunerOptions, owner = 'PercentilePruner') {
    checkKnownKeys(owner, options, KEYS);
    const resolved = { ...PERCENTILE_WINDOW_DEFAULTS, ...options };
    checkInRange(owner, 'percentile', resolved.percentile, 0, 100);
    checkInteger(owner, 'nStartupTrials', resolved.nStartupTrials, 0);
    checkInteger(owner, 'nWarmupSteps', resolved.nWarmupSteps, 0);
    checkInteger(owner, 'intervalSteps', resolved.intervalSteps, 1);
    checkInteger(owner, 'nMinTrials', resolved.nMinTrials, 1);
    this.options = Object.freeze(resolved);
    this.owner = owner;
  }

  /** @throws {ValueError} in a study with several objectives. */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const sign = signOf(singleDirection(this.owner, study));
    const { nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials } = this.options;
    const completed = study.getTrials(['COMPLETE']).filter((t) => t.number !== trial.number);
    if (completed.length === 0 || completed.length < nStartupTrials) return false;

    const step = lastStep(trial);
    if (step === undefined || step < nWarmupSteps) return false;
    if (!isCheckStep(trial, step, nWarmupSteps, intervalSteps)) return false;

    const best = bestSoFar(trial, sign);
    if (Number.isNaN(best)) return true;
    const atStep: number[] = [];
    for (const other of completed) {
      const value = other.intermediateValues.get(step);
      if (typeof value === 'number') atStep.push(sign * value);
    }
    if (atStep.length < nMinTrials) return false;
    const cutoff = percentile(atStep, this.options.percentile);
    return best > cutoff;
  }
}

/** The best (lowest, in minimization form) non-NaN value a trial reported; NaN if none. */
function bestSoFar(trial: FrozenTrial, sign: number): number {
  let best = Number.NaN;
  for (const value of trial.intermediateValues.values()) {
    const v = sign * (value as number);
    if (!Number.isNaN(v) && !(v >= best)) best = v;
  }
  return best;
}

/**
 * The q-th percentile (0..100) of the non-NaN values by linear interpolation between order
 * statistics (NumPy's default); NaN when every value is NaN. In minimization form, so that a
 * maximized study's 25th percentile keeps its best quarter. O(n log n).
 */
export function percentile(values: readonly number[], q: number): number {
  const sorted = Float64Array.from(values.filter((v) => !Number.isNaN(v))).sort();
  if (sorted.length === 0) return Number.NaN;
  const position = (q / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  if (fraction === 0) return sorted[below]!;
  return sorted[below]! + fraction * (sorted[above]! - sorted[below]!);
}
