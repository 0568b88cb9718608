import { describe, ValueError } from '../../errors.js';
import type { FrozenTrial } from '../../trial/index.js';

/**
 * Options of {@link TPESampler}. Every field is optional; defaults are Optuna 4.1's except
 * `goodWeights`, `nEiCandidates` and `considerMagicClip` of univariate TPE, and the joint
 * kernel widths of `multivariate`, where hpo departs from it.
 */
export interface TPESamplerOptions {
  /** Add a wide prior kernel to every estimator. Default true. */
  considerPrior?: boolean;
  /** Weight of the prior kernel against observation weights. Default 1. */
  priorWeight?: number;
  /**
   * Clip bandwidths below at range / min(100, n + 2) (the "magic clip"). Default: true, except
   * false for univariate TPE with several objectives. There the good trials spread along the
   * Pareto front, which keeps l(x) wide by itself, and the clip only stops the parameters that
   * the whole front shares from converging: on seeds 100–199 of the TPE bench, unclipped
   * MOTPE's mean hypervolume rose on ZDT1 109.9 → 111.3, ZDT2 98.1 → 99.2, ZDT3 114.9 → 118.5
   * and DTLZ2 14.91 → 14.93, where a single objective without the clip collapses (Rosenbrock5
   * median regret 27 → 808), and so does multivariate MOTPE (ZDT2 median 104 → 88).
   */
  considerMagicClip?: boolean;
  /** Let the outermost kernels widen up to the bounds. Default false. */
  considerEndpoints?: boolean;
  /** Trials drawn uniformly at random before TPE starts. Default 10. */
  nStartupTrials?: number;
  /**
   * Candidates drawn from l(x) per proposal, ranked by log l(x) − log g(x). Default: 4, or 24
   * with `multivariate` (Optuna's 24). Univariate TPE ranks each parameter's candidates alone,
   * so many of them make it greedy one coordinate at a time; fewer keep more of l(x)'s spread.
   * On seeds 200–399 of the TPE bench, 4 against 24 gave median final regret Branin 5.9e-3 →
   * 5.1e-3, Hartmann6 0.141 → 0.060, Rosenbrock5 34.9 → 21.6, Ackley5 5.48 → 4.71,
   * Styblinski8 50.3 → 44.4, the mixed space 0.033 → 0.007, and unclipped MOTPE's median
   * hypervolume on seeds 100–199 ZDT1 111.6 → 115.4, ZDT2 99.4 → 105.7, ZDT3 118.2 → 121.3,
   * DTLZ2 14.94 → 14.95. Joint candidates gain from more: multivariate with 6 instead of 24
   * lost on all six single-objective problems.
   */
  nEiCandidates?: number;
  /** The number of "good" trials among n finished ones. Default min(⌈0.1 n⌉, 25). */
  gamma?: (n: number) => number;
  /**
   * Weights of n observations in trial-number order. Default: 1 each below 25; beyond, a ramp
   * from 1/n to 1 over the older n − 25 and 1 for the newest 25.
   */
  weights?: (n: number) => ArrayLike<number>;
  /**
   * Single objective: weights of the k good trials by rank, best first, multiplied into
   * `weights`. Default {@link rankWeights}: (ln(k + 1) − ln r)² for the r-th best, which leans
   * l(x) toward the best trials. Optuna weighs the good trials alike, as
   * `(k) => new Float64Array(k).fill(1)` does. Several objectives weigh good trials by
   * hypervolume contribution instead.
   */
  goodWeights?: (k: number) => ArrayLike<number>;
  /** Seed; the same seed and the same trials give the same proposals. Default: random. */
  seed?: number;
  /**
   * Model the intersection search space jointly, with product kernels whose widths follow
   * Scott's rule on the observed spread (Optuna's scale with the range instead, so they never
   * narrow). Default false.
   */
  multivariate?: boolean;
  /** With `multivariate`, model each group of parameters that appear together. Default false. */
  group?: boolean;
  /** Warn when `multivariate` falls back to sampling a parameter alone. Default true. */
  warnIndependentSampling?: boolean;
  /** Count RUNNING trials as bad ones, so parallel workers spread out. Default false. */
  constantLiar?: boolean;
  /**
   * Constraint values of a finished trial; a trial is feasible when every value is ≤ 0.
   * Feasible trials rank before infeasible ones, which rank by total violation (c-TPE style).
   */
  constraintsFunc?: (trial: FrozenTrial) => readonly number[];
}

/**
 * The options with every default filled in, except `considerMagicClip`, whose default depends
 * on the study's number of objectives and is settled per study.
 */
export type ResolvedTPEOptions = Required<
  Omit<TPESamplerOptions, 'seed' | 'constraintsFunc' | 'considerMagicClip'>
> &
  Pick<TPESamplerOptions, 'seed' | 'constraintsFunc' | 'considerMagicClip'>;

/** Optuna's default gamma: min(⌈0.1 n⌉, 25). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default weights: flat below 25, else a linear ramp then 25 ones. O(n). */
export function defaultWeights(n: number): Float64Array {
  const weights = new Float64Array(n).fill(1);
  if (n < 25) return weights;
  const nRamp = n - 25;
  for (let i = 0; i < nRamp; i++) {
    weights[i] = nRamp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (nRamp - 1);
  }
  return weights;
}

/**
 * hpo's default weights of k good trials, best first: (ln(k + 1) − ln r)² for the r-th best,
 * r from 1 to k, all positive. With k = 25 the best five trials hold 73% of the weight,
 * where log weights like CMA-ES's (the same without the square) give them 49% and Optuna's
 * equal weights 20%. Chosen on seeds 100–199 of the TPE bench's problems, univariate, 200
 * trials: median final regret against equal weights, Rosenbrock5 68 → 27, the mixed space
 * 0.15 → 0.04, Ackley5 6.1 → 5.4, Hartmann6 0.144 → 0.140, Branin 5.0e-3 → 5.7e-3,
 * Styblinski8 49.5 → 50.6; the unsquared logs reached 60 on Rosenbrock5. O(k).
 */
export function rankWeights(k: number): Float64Array {
  const weights = new Float64Array(k);
  const top = Math.log(k + 1);
  for (let r = 0; r < k; r++) weights[r] = (top - Math.log(r + 1)) ** 2;
  return weights;
}

/**
 * The fixed defaults of {@link TPESamplerOptions}. `nEiCandidates` and `considerMagicClip` are
 * absent: theirs depend on `multivariate` and the number of objectives (see
 * {@link defaultEiCandidates} and {@link defaultMagicClip}).
 */
export const TPE_DEFAULTS = Object.freeze({
  considerPrior: true,
  priorWeight: 1,
  considerEndpoints: false,
  nStartupTrials: 10,
  gamma: defaultGamma,
  weights: defaultWeights,
  goodWeights: rankWeights,
  multivariate: false,
  group: false,
  warnIndependentSampling: true,
  constantLiar: false,
});

/** The default `nEiCandidates`: 24 with `multivariate`, 4 without. */
export function defaultEiCandidates(multivariate: boolean): number {
  return multivariate ? 24 : 4;
}

/** The default `considerMagicClip`: false only for univariate TPE with several objectives. */
export function defaultMagicClip(multivariate: boolean, nObjectives: number): boolean {
  return multivariate || nObjectives === 1;
}

/**
 * Fills in defaults, all but `considerMagicClip`'s, and checks every option.
 * @throws {ValueError} naming the bad option.
 */
export function resolveTPEOptions(options: TPESamplerOptions): ResolvedTPEOptions {
  const given = definedOnly(options);
  const unknown = Object.keys(given).filter((key) => !Object.hasOwn(OPTION_KINDS, key));
  if (unknown.length > 0) {
    fail(
      `options must be among ${OPTION_NAMES.join(', ')}, ` +
        `but got ${unknown.map((key) => JSON.stringify(key)).join(', ')}.`,
    );
  }
  for (const key of BOOLEAN_OPTIONS) {
    const value = given[key];
    if (value !== undefined && typeof value !== 'boolean') {
      fail(`${key} must be true or false, but got ${key}=${describe(value)}.`);
    }
  }
  const multivariate = given.multivariate ?? TPE_DEFAULTS.multivariate;
  const resolved = {
    ...TPE_DEFAULTS,
    nEiCandidates: defaultEiCandidates(multivariate),
    ...given,
  };
  checkInteger('nStartupTrials', resolved.nStartupTrials, 0);
  checkInteger('nEiCandidates', resolved.nEiCandidates, 1);
  if (!(Number.isFinite(resolved.priorWeight) && resolved.priorWeight > 0)) {
    fail(
      'priorWeight must be a finite number > 0, ' +
        `but got priorWeight=${describe(resolved.priorWeight)}.`,
    );
  }
  for (const key of ['gamma', 'weights', 'goodWeights'] as const) {
    if (typeof resolved[key] !== 'function') {
      fail(
        `${key} must be a function of the trial count, but got ${key}=${describe(resolved[key])}.`,
      );
    }
  }
  const { constraintsFunc, seed } = resolved;
  if (constraintsFunc !== undefined && typeof constraintsFunc !== 'function') {
    fail(
      `constraintsFunc must be a function, but got constraintsFunc=${describe(constraintsFunc)}.`,
    );
  }
  if (seed !== undefined && !(typeof seed === 'number' && Number.isFinite(seed))) {
    fail(`seed must be a finite number, but got seed=${describe(seed)}.`);
  }
  if (resolved.group && !resolved.multivariate) {
    fail(
      'group needs multivariate: pass multivariate: true with group: true, ' +
        'but got group=true, multivariate=false.',
    );
  }
  return resolved;
}

/** Every option by kind; typed against the interface so that neither can gain a key alone. */
const OPTION_KINDS: Readonly<Record<keyof TPESamplerOptions, 'boolean' | 'checked below'>> = {
  considerPrior: 'boolean',
  considerMagicClip: 'boolean',
  considerEndpoints: 'boolean',
  multivariate: 'boolean',
  group: 'boolean',
  warnIndependentSampling: 'boolean',
  constantLiar: 'boolean',
  priorWeight: 'checked below',
  nStartupTrials: 'checked below',
  nEiCandidates: 'checked below',
  gamma: 'checked below',
  weights: 'checked below',
  goodWeights: 'checked below',
  seed: 'checked below',
  constraintsFunc: 'checked below',
};

const OPTION_NAMES = Object.keys(OPTION_KINDS) as (keyof TPESamplerOptions)[];

const BOOLEAN_OPTIONS = OPTION_NAMES.filter((key) => OPTION_KINDS[key] === 'boolean');

function definedOnly(options: TPESamplerOptions): TPESamplerOptions {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined));
}

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    fail(`${name} must be an integer >= ${min}, but got ${name}=${describe(value)}.`);
  }
}

function fail(message: string): never {
  throw new ValueError(`TPESampler: ${message}`);
}
