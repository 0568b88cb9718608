import { describe, ValueError } from '../errors.js';
import type { StudyView } from '../samplers/base.js';
import type { FrozenTrial } from '../trial/index.js';
import type { Pruner } from './base.js';
import { dominates } from '../multiobjective/dominance.js';
import { checkInteger, checkKnownKeys } from './validate.js';
import { hasNaN, lastStep, otherTrials, signOf, toMinimization } from './values.js';

/** Options of {@link ParetoPruner}. */
export interface ParetoPrunerOptions {
  /** No pruning until this many trials have completed. Default 5. */
  nStartupTrials?: number;
  /** No pruning at steps below this one. Default 0. */
  nWarmupSteps?: number;
  /**
   * How far, in [0, 1), each point of the other trials' front moves toward the reference
   * point before a trial is held against it: 0 prunes anything the front dominates, larger
   * values prune only trials further behind. Default 0.5.
   */
  shrink?: number;
  /**
   * The reference point, one value per objective in the study's own directions (a bad value
   * for each). Default: at each step, the worst value of each objective reported there.
   */
  referencePoint?: readonly number[];
}

/** Defaults of {@link ParetoPrunerOptions}; no reference point means one derived per step. */
export const PARETO_DEFAULTS: Readonly<Omit<Required<ParetoPrunerOptions>, 'referencePoint'>> =
  Object.freeze({ nStartupTrials: 5, nWarmupSteps: 0, shrink: 0.5 });

const OWNER = 'ParetoPruner';

/**
 * Pruning for multi-objective studies (it works with one objective as well). At its latest
 * step past warm-up, a trial is pruned when its reported vector is dominated by the Pareto
 * front of the other trials' vectors at that same step, each front point first moved the
 * fraction `shrink` of the way toward the reference point. The shrink leaves a margin, so a
 * trial is stopped only when it is clearly behind the best trade-offs seen at that point of
 * training, not merely behind one of them.
 *
 * Values must be one number per objective. A trial whose vector has a NaN is pruned; other
 * trials' vectors with a NaN are left out.
 */
export class ParetoPruner implements Pruner {
  private readonly options: Readonly<Omit<Required<ParetoPrunerOptions>, 'referencePoint'>>;
  private readonly referencePoint: readonly number[] | undefined;

  /** @throws {ValueError} for an option out of range or an unknown option. */
  constructor(options: ParetoPrunerOptions = {}) {
    checkKnownKeys(OWNER, options, [...Object.keys(PARETO_DEFAULTS), 'referencePoint']);
    const { referencePoint, ...rest } = options;
    const resolved = { ...PARETO_DEFAULTS, ...rest };
    checkInteger(OWNER, 'nStartupTrials', resolved.nStartupTrials, 0);
    checkInteger(OWNER, 'nWarmupSteps', resolved.nWarmupSteps, 0);
    if (!(typeof resolved.shrink === 'number' && resolved.shrink >= 0 && resolved.shrink < 1)) {
      throw new ValueError(
        `${OWNER}: shrink must be a number in [0, 1), but got shrink=${describe(resolved.shrink)}.`,
      );
    }
    if (
      referencePoint !== undefined &&
      !(Array.isArray(referencePoint) && referencePoint.every((v) => Number.isFinite(v)))
    ) {
      throw new ValueError(
        `${OWNER}: referencePoint must be an array of finite numbers, but got ` +
          `referencePoint=${describe(referencePoint)}.`,
      );
    }
    this.options = Object.freeze(resolved);
    this.referencePoint =
      referencePoint === undefined ? undefined : Object.freeze([...referencePoint]);
  }

  /** @throws {ValueError} for values or a reference point that do not match the objectives. */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const { nStartupTrials, nWarmupSteps, shrink } = this.options;
    const completed = study.getTrials(['COMPLETE']).filter((t) => t.number !== trial.number);
    if (completed.length < nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === undefined || step < nWarmupSteps) return false;

    const value = trial.intermediateValues.get(step)!;
    const own = toMinimization(OWNER, value, study.directions, where(trial, step));
    if (hasNaN(own)) return true;
    const others = this.valuesAt(study, trial, step);
    if (others.length === 0) return false;

    const reference = this.reference(study, [...others, own]);
    return others.some((point) => {
      const shrunk = point.map((v, k) => v + shrink * (reference[k]! - v));
      return dominates(shrunk, own);
    });
  }

  /** The other trials' non-NaN vectors at `step`, in minimization form. */
  private valuesAt(study: StudyView, trial: FrozenTrial, step: number): Float64Array[] {
    const points: Float64Array[] = [];
    for (const other of otherTrials(study, trial)) {
      const value = other.intermediateValues.get(step);
      if (value === undefined) continue;
      const point = toMinimization(OWNER, value, study.directions, where(other, step));
      if (!hasNaN(point)) points.push(point);
    }
    return points;
  }

  /** The reference point in minimization form: the option, or the worst value per objective. */
  private reference(study: StudyView, points: readonly Float64Array[]): Float64Array {
    if (this.referencePoint !== undefined) {
      return toMinimization(OWNER, this.referencePoint, study.directions, 'referencePoint');
    }
    const worst = new Float64Array(study.directions.length).fill(-Infinity);
    for (const point of points) {
      for (let k = 0; k < worst.length; k++) worst[k] = Math.max(worst[k]!, point[k]!);
    }
    return worst;
  }
}

function where(trial: FrozenTrial, step: number): string {
  return `step ${step} of trial ${trial.number}`;
}
