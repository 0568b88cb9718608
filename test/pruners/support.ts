/**
 * Hand-made trials and study views for pruner tests: a learning curve becomes a frozen trial
 * exactly as a store would hand it to a pruner.
 */
import type { StudyView } from '../../src/samplers/base.js';
import {
  emptyTrialRecord,
  freezeTrial,
  type FrozenTrial,
  type IntermediateValue,
  type StudyDirection,
  type TrialState,
} from '../../src/trial/index.js';

/** Values reported at steps 0, 1, 2, … */
export type Curve = readonly IntermediateValue[];

/** A frozen trial with the given number and state that reported `curve` at steps 0, 1, … */
export function trialOf(number: number, state: TrialState, curve: Curve): FrozenTrial {
  return trialAt(
    number,
    state,
    curve.map((value, step) => [step, value] as const),
  );
}

/** A frozen trial that reported the given `[step, value]` pairs (steps may skip). */
export function trialAt(
  number: number,
  state: TrialState,
  pairs: readonly (readonly [number, IntermediateValue])[],
): FrozenTrial {
  const record = emptyTrialRecord(number + 1, number, state);
  for (const [step, value] of pairs) record.intermediateValues.set(step, value);
  if (state === 'COMPLETE') {
    const last = pairs[pairs.length - 1]?.[1] ?? 0;
    record.values = typeof last === 'number' ? [last] : [...last];
  }
  return freezeTrial(record);
}

/** The first `n` steps of a trial, as the trial looked after reporting step `n - 1`. */
export function prefix(trial: FrozenTrial, n: number): FrozenTrial {
  const record = emptyTrialRecord(trial.id, trial.number, 'RUNNING');
  const steps = [...trial.intermediateValues].slice(0, n);
  for (const [step, value] of steps) record.intermediateValues.set(step, value);
  return freezeTrial(record);
}

/** A study view over fixed trials, ordered by number. */
export function viewOf(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[] = ['minimize'],
  studyName = 'pruner-test',
): StudyView {
  const sorted = [...trials].sort((a, b) => a.number - b.number);
  return {
    studyName,
    directions,
    getTrials: (states) =>
      states === undefined ? sorted : sorted.filter((trial) => states.includes(trial.state)),
  };
}

/** Deterministic pseudo-random numbers in [0, 1) for building curves (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
