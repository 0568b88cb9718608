import type { StudyView } from '../samplers/base.js';
import type { FrozenTrial } from '../trial/index.js';

/**
 * Decides whether a running trial should stop early. A pruner reads only the study view
 * (the stored trials, from every process) and the trial's own snapshot, whose
 * `intermediateValues` include the value just reported; it keeps no state of its own that a
 * resume would lose.
 */
export interface Pruner {
  prune(study: StudyView, trial: FrozenTrial): boolean;
}
