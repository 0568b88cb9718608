export type { Pruner } from './base.js';
export { HyperbandPruner, HYPERBAND_DEFAULTS, type HyperbandPrunerOptions } from './hyperband.js';
export { MedianPruner, type MedianPrunerOptions } from './median.js';
export { NopPruner } from './nop.js';
export { PARETO_DEFAULTS, ParetoPruner, type ParetoPrunerOptions } from './pareto.js';
export { PatientPruner, type PatientPrunerOptions } from './patient.js';
export {
  PERCENTILE_WINDOW_DEFAULTS,
  PercentilePruner,
  type PercentilePrunerOptions,
  type PercentileWindowOptions,
} from './percentile.js';
export {
  SUCCESSIVE_HALVING_DEFAULTS,
  SuccessiveHalvingPruner,
  type SuccessiveHalvingPrunerOptions,
} from './successive-halving.js';
export { THRESHOLD_DEFAULTS, ThresholdPruner, type ThresholdPrunerOptions } from './threshold.js';
