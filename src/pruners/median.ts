import type { Pruner } from './base.js';
import { PercentilePruner, type PercentileWindowOptions } from './percentile.js';
import { checkKnownKeys } from './validate.js';

/** Options of {@link MedianPruner}; defaults in `PERCENTILE_WINDOW_DEFAULTS`. */
export type MedianPrunerOptions = PercentileWindowOptions;

/**
 * Prunes a trial whose best intermediate value so far is worse than the median of the
 * completed trials' values at the trial's latest step: the {@link PercentilePruner} at 50.
 * hpo's default pruner. Single-objective studies only.
 */
export class MedianPruner extends PercentilePruner implements Pruner {
  /** @throws {ValueError} for an option out of range or an unknown option. */
  constructor(options: MedianPrunerOptions = {}) {
    checkKnownKeys('MedianPruner', options, [
      'nStartupTrials',
      'nWarmupSteps',
      'intervalSteps',
      'nMinTrials',
    ]);
    super({ ...options, percentile: 50 }, 'MedianPruner');
  }
}
