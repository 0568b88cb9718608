import type { StudyView } from '../samplers/base.js';
import type { FrozenTrial, StudyDirection } from '../trial/index.js';
import type { Pruner } from './base.js';
import { crowdingDistance } from '../multiobjective/crowding-distance.js';
import { nonDominatedSort } from '../multiobjective/non-dominated-sort.js';
import { checkInteger, checkKnownKeys } from './validate.js';
import { hasNaN, lastStep, otherTrials, previousStep, toMinimization } from './values.js';

/** Options of {@link SuccessiveHalvingPruner}. */
export interface SuccessiveHalvingPrunerOptions {
  /**
   * Steps a trial runs before its first rung; `'auto'` (default) takes the longest completed
   * trial's last step / 100, at least 1, and prunes nothing until a trial has completed.
   */
  minResource?: number | 'auto';
  /** Each rung keeps the best 1 / `reductionFactor` of the trials that reach it. Default 4. */
  reductionFactor?: number;
  /** Rung r is at step `minResource * reductionFactor ** (minEarlyStoppingRate + r)`. Default 0. */
  minEarlyStoppingRate?: number;
  /** A trial is pruned at a rung until more than this many trials have reached it. Default 0. */
  bootstrapCount?: number;
}

/** Defaults of {@link SuccessiveHalvingPrunerOptions}. */
export const SUCCESSIVE_HALVING_DEFAULTS: Readonly<Required<SuccessiveHalvingPrunerOptions>> =
  Object.freeze({
    minResource: 'auto',
    reductionFactor: 4,
    minEarlyStoppingRate: 0,
    bootstrapCount: 0,
  });

/** @internal The resolved rung schedule of one successive-halving run. */
export interface RungSchedule {
  minResource: number;
  reductionFactor: number;
  minEarlyStoppingRate: number;
  bootstrapCount: number;
}

const OWNER = 'SuccessiveHalvingPruner';

/**
 * Asynchronous successive halving (ASHA; Li et al., "A System for Massively Parallel
 * Hyperparameter Tuning", MLSys 2020). Rungs sit at geometrically spaced steps; when a trial
 * first reports at or past a rung, it goes on only if its value there is among the best
 * 1 / `reductionFactor` of the values of every trial that has reached that rung so far.
 *
 * Optuna records a trial's rung values as system attributes; hpo pruners never write to the
 * store, so a trial's value at rung r is read back as its value at its first reported step at
 * or past the rung's step. That keeps decisions a function of stored values alone.
 *
 * In multi-objective studies the rung is ranked by non-dominated rank, then by crowding
 * distance (MO-ASHA; Schmucker et al., 2021), and the value must be one number per objective.
 * NaN counts as the worst value; a trial whose own rung value has a NaN is pruned.
 */
export class SuccessiveHalvingPruner implements Pruner {
  private readonly options: Readonly<Required<SuccessiveHalvingPrunerOptions>>;

  /** @throws {ValueError} for an option out of range or an unknown option. */
  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    checkKnownKeys(OWNER, options, Object.keys(SUCCESSIVE_HALVING_DEFAULTS));
    const resolved = { ...SUCCESSIVE_HALVING_DEFAULTS, ...options };
    if (resolved.minResource !== 'auto') {
      checkInteger(OWNER, 'minResource', resolved.minResource, 1);
    }
    checkInteger(OWNER, 'reductionFactor', resolved.reductionFactor, 2);
    checkInteger(OWNER, 'minEarlyStoppingRate', resolved.minEarlyStoppingRate, 0);
    checkInteger(OWNER, 'bootstrapCount', resolved.bootstrapCount, 0);
    this.options = Object.freeze(resolved);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const minResource =
      this.options.minResource === 'auto' ? estimateMinResource(study) : this.options.minResource;
    if (minResource === undefined) return false;
    const schedule = { ...this.options, minResource };
    return pruneAtRungs(OWNER, schedule, otherTrials(study, trial), trial, study.directions);
  }
}

/** The longest completed trial's last step / 100, at least 1; undefined before any completes. */
function estimateMinResource(study: StudyView): number | undefined {
  let longest: number | undefined;
  for (const trial of study.getTrials(['COMPLETE'])) {
    const step = lastStep(trial);
    if (step !== undefined && (longest === undefined || step > longest)) longest = step;
  }
  return longest === undefined ? undefined : Math.max(Math.floor(longest / 100), 1);
}

/**
 * @internal The successive-halving decision for `trial` against `others` (every other trial
 * of its bracket). Judges each rung whose step lies in (previous report, latest report], in
 * order, so each rung is judged once, at the first report at or past it.
 */
export function pruneAtRungs(
  owner: string,
  schedule: RungSchedule,
  others: readonly FrozenTrial[],
  trial: FrozenTrial,
  directions: readonly StudyDirection[],
): boolean {
  const step = lastStep(trial);
  if (step === undefined) return false;
  const previous = previousStep(trial, step);
  const value = trial.intermediateValues.get(step)!;
  const own = toMinimization(owner, value, directions, where(trial, step));
  const { minResource, reductionFactor, minEarlyStoppingRate, bootstrapCount } = schedule;

  for (let rung = 0; ; rung++) {
    const rungStep = minResource * reductionFactor ** (minEarlyStoppingRate + rung);
    if (rungStep > step) return false;
    if (rungStep <= previous) continue;
    if (hasNaN(own)) return true;

    const competitors = rungValues(owner, others, rungStep, directions);
    if (competitors.length + 1 <= bootstrapCount) return true;
    if (!isPromotable(own, competitors, reductionFactor)) return true;
  }
}

/** Each other trial's value at a rung: its value at its first reported step >= `rungStep`. */
function rungValues(
  owner: string,
  trials: readonly FrozenTrial[],
  rungStep: number,
  directions: readonly StudyDirection[],
): Float64Array[] {
  const values: Float64Array[] = [];
  for (const trial of trials) {
    let first: number | undefined;
    for (const step of trial.intermediateValues.keys()) {
      if (step >= rungStep && (first === undefined || step < first)) first = step;
    }
    if (first === undefined) continue;
    const value = trial.intermediateValues.get(first)!;
    values.push(nanToWorst(toMinimization(owner, value, directions, where(trial, first))));
  }
  return values;
}

/**
 * Whether `own` is among the best max(1, ⌊n / reductionFactor⌋) of the n values at a rung
 * (the others and itself). A value tied with the last kept one is kept, so ties never
 * depend on trial order. Single objective: by value. Several: by (non-dominated rank,
 * larger crowding distance), ranked over the whole rung.
 */
function isPromotable(
  own: Float64Array,
  competitors: readonly Float64Array[],
  reductionFactor: number,
): boolean {
  const points = [...competitors, own];
  const kept = Math.max(Math.floor(points.length / reductionFactor), 1);
  if (own.length === 1) {
    const sorted = Float64Array.from(points, (point) => point[0]!).sort();
    return own[0]! <= sorted[kept - 1]!;
  }
  const keys = moKeys(points);
  const ownKey = keys[keys.length - 1]!;
  const sorted = [...keys].sort(compareKeys);
  return compareKeys(ownKey, sorted[kept - 1]!) <= 0;
}

type RankKey = readonly [rank: number, crowding: number];

/**
 * (rank, crowding) of every point, in minimization form; crowding is computed within each
 * rank's front.
 */
function moKeys(points: readonly Float64Array[]): RankKey[] {
  const directions = Array.from(points[0]!, () => 'minimize' as const);
  const ranks = nonDominatedSort(points, directions);
  const keys: RankKey[] = new Array(points.length);
  const maxRank = ranks.reduce((a, b) => Math.max(a, b), 0);
  for (let rank = 0; rank <= maxRank; rank++) {
    const members = [...ranks.keys()].filter((i) => ranks[i] === rank);
    const crowding = crowdingDistance(members.map((i) => points[i]!));
    members.forEach((i, m) => (keys[i] = [rank, crowding[m]!]));
  }
  return keys;
}

/** Lower rank first, then larger crowding distance. */
function compareKeys(a: RankKey, b: RankKey): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  if (a[1] === b[1]) return 0;
  return a[1] > b[1] ? -1 : 1;
}

function nanToWorst(point: Float64Array): Float64Array {
  for (let k = 0; k < point.length; k++) if (Number.isNaN(point[k])) point[k] = Infinity;
  return point;
}

function where(trial: FrozenTrial, step: number): string {
  return `step ${step} of trial ${trial.number}`;
}
