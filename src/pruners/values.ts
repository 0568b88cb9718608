import { describe, ValueError } from '../errors.js';
import type { StudyView } from '../samplers/base.js';
import type { FrozenTrial, IntermediateValue, StudyDirection } from '../trial/index.js';

/**
 * Reading intermediate values for pruning decisions. Every helper is a pure function of the
 * trials it is given, which is what lets a pruner decide the same way in any process and after
 * any resume.
 */

/** The largest reported step of a trial, or undefined when it has reported nothing. */
export function lastStep(trial: FrozenTrial): number | undefined {
  let last: number | undefined;
  for (const step of trial.intermediateValues.keys()) {
    if (last === undefined || step > last) last = step;
  }
  return last;
}

/** The largest reported step below `step`, or -1 when there is none. */
export function previousStep(trial: FrozenTrial, step: number): number {
  let previous = -1;
  for (const s of trial.intermediateValues.keys()) {
    if (s < step && s > previous) previous = s;
  }
  return previous;
}

/**
 * Whether `step` is the first report at or past the latest pruning check point, the check
 * points being `nWarmupSteps + k * intervalSteps`. A check postponed because nothing was
 * reported at its step happens at the next report, as in Optuna.
 */
export function isCheckStep(
  trial: FrozenTrial,
  step: number,
  nWarmupSteps: number,
  intervalSteps: number,
): boolean {
  const checkPoint =
    Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  return previousStep(trial, step) < checkPoint;
}

/** +1 for minimize and -1 for maximize: multiplying by it gives minimization form. */
export function signOf(direction: StudyDirection): number {
  return direction === 'minimize' ? 1 : -1;
}

/**
 * The study's only direction. Pruners that rank scalar values refuse multi-objective studies
 * with a message that names the pruners that can judge them.
 * @throws {ValueError} when the study has several objectives.
 */
export function singleDirection(owner: string, study: StudyView): StudyDirection {
  if (study.directions.length !== 1) {
    throw new ValueError(
      `${owner}: the study must have a single objective (for several, use ParetoPruner, ` +
        'SuccessiveHalvingPruner or HyperbandPruner), but got ' +
        `directions=${describe(study.directions)}.`,
    );
  }
  return study.directions[0]!;
}

/**
 * An intermediate value in minimization form, one entry per objective. NaN entries stay NaN;
 * callers decide what NaN means.
 * @throws {ValueError} when a multi-objective study's value is not one number per objective.
 */
export function toMinimization(
  owner: string,
  value: IntermediateValue,
  directions: readonly StudyDirection[],
  where: string,
): Float64Array {
  const entries = typeof value === 'number' ? [value] : value;
  if (entries.length !== directions.length) {
    throw new ValueError(
      `${owner}: intermediate values must hold one number per objective (report an array of ` +
        `${directions.length}), but got value=${describe(value)} at ${where}.`,
    );
  }
  const point = new Float64Array(directions.length);
  for (let k = 0; k < point.length; k++) point[k] = entries[k]! * signOf(directions[k]!);
  return point;
}

/** Whether any entry of a point is NaN. */
export function hasNaN(point: ArrayLike<number>): boolean {
  for (let k = 0; k < point.length; k++) if (Number.isNaN(point[k])) return true;
  return false;
}

/** The study's trials other than `trial`, in trial-number order. */
export function otherTrials(study: StudyView, trial: FrozenTrial): FrozenTrial[] {
  return study.getTrials().filter((other) => other.number !== trial.number);
}
