import type { Pruner } from './pruners/base.js';
import { MedianPruner } from './pruners/median.js';
import { ParetoPruner } from './pruners/pareto.js';
import type { StudyDirection } from './trial/index.js';
import { TPESampler } from './samplers/tpe/index.js';
import type { Sampler } from './samplers/base.js';

/** The sampler a study gets when none is given. */
export const DEFAULT_SAMPLER = (): Sampler => new TPESampler();

/**
 * The pruner a study gets when none is given: MedianPruner, as in Optuna, for one objective.
 * Median pruning has no meaning for several objectives (Optuna refuses to prune them), so
 * multi-objective studies get ParetoPruner, the same "worse than the others at this step"
 * rule under dominance.
 */
export const DEFAULT_PRUNER = (directions: readonly StudyDirection[]): Pruner =>
  directions.length > 1 ? new ParetoPruner() : new MedianPruner();
