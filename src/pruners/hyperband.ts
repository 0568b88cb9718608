import type { StudyView } from '../samplers/base.js';
import type { FrozenTrial } from '../trial/index.js';
import type { Pruner } from './base.js';
import { pruneAtRungs } from './successive-halving.js';
import { checkInteger, checkKnownKeys } from './validate.js';
import { lastStep, otherTrials } from './values.js';
import { describe, ValueError } from '../errors.js';

/** Options of {@link HyperbandPruner}. */
export interface HyperbandPrunerOptions {
  /** Steps before the first rung of the most aggressive bracket. Default 1. */
  minResource?: number;
  /**
   * The steps of a full trial; `'auto'` (default) takes the longest completed trial's last
   * step + 1 and prunes nothing until a trial has completed.
   */
  maxResource?: number | 'auto';
  /** Each rung keeps the best 1 / `reductionFactor`. Default 3. */
  reductionFactor?: number;
  /** Passed to each bracket's successive halving; needs a fixed `maxResource`. Default 0. */
  bootstrapCount?: number;
}

/** Defaults of {@link HyperbandPrunerOptions}. */
export const HYPERBAND_DEFAULTS: Readonly<Required<HyperbandPrunerOptions>> = Object.freeze({
  minResource: 1,
  maxResource: 'auto',
  reductionFactor: 3,
  bootstrapCount: 0,
});

const OWNER = 'HyperbandPruner';

/**
 * Hyperband (Li et al., JMLR 18, 2018) over asynchronous successive halving: brackets
 * s = 0 … S-1 start their first rung at `minResource * reductionFactor ** s`, where S is the
 * number of rungs that fit between `minResource` and `maxResource`. Each trial belongs to one
 * bracket for good, chosen by a CRC-32 of `"<studyName>_<number>"` (the key Optuna uses, so
 * the same study puts a trial in the same bracket in either library), with brackets weighted
 * by the trials the paper gives them; a trial is compared only with its own bracket's trials.
 *
 * Multi-objective studies promote by non-dominated rank, then crowding distance, as
 * {@link SuccessiveHalvingPruner} does.
 */
export class HyperbandPruner implements Pruner {
  private readonly options: Readonly<Required<HyperbandPrunerOptions>>;

  /** @throws {ValueError} for an option out of range, an unknown option, or a bad pair. */
  constructor(options: HyperbandPrunerOptions = {}) {
    checkKnownKeys(OWNER, options, Object.keys(HYPERBAND_DEFAULTS));
    const resolved = { ...HYPERBAND_DEFAULTS, ...options };
    checkInteger(OWNER, 'minResource', resolved.minResource, 1);
    if (resolved.maxResource !== 'auto') {
      checkInteger(OWNER, 'maxResource', resolved.maxResource, resolved.minResource);
    }
    checkInteger(OWNER, 'reductionFactor', resolved.reductionFactor, 2);
    checkInteger(OWNER, 'bootstrapCount', resolved.bootstrapCount, 0);
    if (resolved.bootstrapCount > 0 && resolved.maxResource === 'auto') {
      throw new ValueError(
        `${OWNER}: maxResource must be a number when bootstrapCount > 0, but got ` +
          `maxResource=${describe(resolved.maxResource)}, ` +
          `bootstrapCount=${resolved.bootstrapCount}.`,
      );
    }
    this.options = Object.freeze(resolved);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const budgets = this.bracketBudgets(study);
    if (budgets === undefined) return false;
    const bracket = bracketOf(study.studyName, trial.number, budgets);
    const others = otherTrials(study, trial).filter(
      (other) => bracketOf(study.studyName, other.number, budgets) === bracket,
    );
    const schedule = { ...this.options, minEarlyStoppingRate: bracket };
    return pruneAtRungs(OWNER, schedule, others, trial, study.directions);
  }

  /** Trials per bracket; undefined while `maxResource` is `'auto'` and none has completed. */
  private bracketBudgets(study: StudyView): number[] | undefined {
    const { minResource, reductionFactor } = this.options;
    const maxResource =
      this.options.maxResource === 'auto' ? autoMax(study) : this.options.maxResource;
    if (maxResource === undefined) return undefined;
    return bracketBudgets(minResource, maxResource, reductionFactor);
  }
}

/**
 * @internal Trials per bracket, ⌈S · η^(S-1-s) / (S-s)⌉ for bracket s of S (the n of the
 * paper's Algorithm 1, as a ratio since the study's length is unknown).
 */
export function bracketBudgets(minResource: number, maxResource: number, eta: number): number[] {
  // Counted in integers: floor(log_eta(max / min)) + 1 in floating point can be off by one.
  let nBrackets = 1;
  while (minResource * eta ** nBrackets <= maxResource) nBrackets++;
  return Array.from({ length: nBrackets }, (_, s) => {
    const rungs = nBrackets - 1 - s;
    return Math.ceil((nBrackets * eta ** rungs) / (rungs + 1));
  });
}

function autoMax(study: StudyView): number | undefined {
  let longest: number | undefined;
  for (const trial of study.getTrials(['COMPLETE'])) {
    const step = lastStep(trial);
    if (step !== undefined && (longest === undefined || step > longest)) longest = step;
  }
  return longest === undefined ? undefined : longest + 1;
}

/** @internal A trial's bracket: its hash modulo the total budget, walked through the budgets. */
export function bracketOf(studyName: string, number: number, budgets: readonly number[]): number {
  const total = budgets.reduce((a, b) => a + b, 0);
  let n = crc32(`${studyName}_${number}`) % total;
  for (let bracket = 0; bracket < budgets.length; bracket++) {
    n -= budgets[bracket]!;
    if (n < 0) return bracket;
  }
  return budgets.length - 1;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib computes it) of a string's UTF-8 bytes; a stable hash. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
