import type { Distribution, InternalValue } from '../distributions/index.js';
import type { FrozenTrial, StudyDirection, TrialState } from '../trial/index.js';

/**
 * What a sampler or pruner may read of a study: a snapshot of its trials taken when the
 * current trial was asked for (refreshed before pruning decisions), never the store itself.
 */
export interface StudyView {
  readonly studyName: string;
  readonly directions: readonly StudyDirection[];
  /** Trials ordered by number; the array is a snapshot and must not be mutated. */
  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[];
}

/**
 * Proposes parameter values. As in Optuna, a sampler may sample a *relative* search space
 * jointly (the space it infers from finished trials, before the objective runs) and samples
 * every other parameter *independently* when the objective first asks for it.
 *
 * Samplers work in the internal numeric form of each distribution (see `InternalValue`)
 * and must be deterministic given their seed and the trials they are shown.
 */
export interface Sampler {
  /** The parameters to sample jointly for `trial`; `{}` for purely independent samplers. */
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): Record<string, Distribution>;
  /** Internal values for (a subset of) the relative search space. */
  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    searchSpace: Record<string, Distribution>,
  ): Map<string, InternalValue>;
  /**
   * An internal value for one parameter outside the relative sample. `trial` is the trial as
   * it started (its number and attributes), not including the parameters chosen since.
   */
  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): InternalValue;
  /** Called when a trial starts, before `inferRelativeSearchSpace`. */
  beforeTrial?(study: StudyView, trial: FrozenTrial): void;
  /** Called when a trial is about to finish, before its state is stored. */
  afterTrial?(
    study: StudyView,
    trial: FrozenTrial,
    state: TrialState,
    values: readonly number[] | undefined,
  ): void;
}
