import {
  createStudy,
  HyperbandPruner,
  hypervolume,
  MedianPruner,
  NopPruner,
  ParetoPruner,
  SuccessiveHalvingPruner,
  TrialPruned,
  type Pruner,
  type Sampler,
  type Trial,
} from '../../src/index.js';
import { loss, N_STEPS, observed } from './problem.js';

/** What one study used and reached. */
export interface StudyResult {
  steps: number;
  /** Best final loss reported by a completed trial (first objective). */
  best: number;
  /** Noise-free final loss of that trial's configuration: what the study really found. */
  trueBest: number;
  /** Hypervolume of the completed trials' final losses (two objectives). */
  hypervolume: number;
}

/** Reference point of the two-objective hypervolume (both losses start near 1). */
export const REFERENCE_POINT = [1.2, 1.2];

/**
 * The pruners compared, by name, for one or two objectives: each at its defaults, and
 * successive halving and Hyperband also with a first rung at step 5 (a tenth of training).
 */
export function pruners(nObjectives: number): Record<string, () => Pruner> {
  const shared = {
    none: () => new NopPruner(),
    halving: () => new SuccessiveHalvingPruner(),
    hyperband: () => new HyperbandPruner(),
    'halving-min5': () => new SuccessiveHalvingPruner({ minResource: 5, reductionFactor: 3 }),
    'hyperband-min5': () => new HyperbandPruner({ minResource: 5, maxResource: N_STEPS }),
  };
  if (nObjectives === 1) return { ...shared, median: () => new MedianPruner() };
  return {
    ...shared,
    pareto: () => new ParetoPruner(),
    'pareto-0.3': () => new ParetoPruner({ shrink: 0.3 }),
  };
}

/** Runs one study of `nTrials` on the simulated problem and measures it. */
export async function runStudy(
  nObjectives: number,
  seed: number,
  pruner: Pruner,
  sampler: Sampler,
  nTrials: number,
): Promise<StudyResult> {
  let steps = 0;
  const study = await createStudy({
    studyName: `pruning-${seed}`,
    directions: Array(nObjectives).fill('minimize'),
    sampler,
    pruner,
  });
  const objective = (trial: Trial): number | number[] => {
    const x = trial.suggestFloat('x', 0, 1);
    const y = trial.suggestFloat('y', 0, 1);
    let values: number[] = [];
    for (let step = 0; step < N_STEPS; step++) {
      values = Array.from({ length: nObjectives }, (_, k) =>
        observed(k, x, y, step, seed, trial.number),
      );
      steps++;
      trial.report(nObjectives === 1 ? values[0]! : values, step);
      if (trial.shouldPrune()) throw new TrialPruned();
    }
    return nObjectives === 1 ? values[0]! : values;
  };
  await study.optimize(objective, { nTrials });
  const complete = await study.getTrials({ states: ['COMPLETE'] });
  const finals = complete.map((t) => [...t.values!]);
  const chosen = complete.reduce((a, b) => (b.values![0]! < a.values![0]! ? b : a));
  const { x, y } = chosen.params as { x: number; y: number };
  return {
    steps,
    best: chosen.values![0]!,
    trueBest: loss(0, x, y, N_STEPS - 1),
    hypervolume: nObjectives === 2 ? hypervolume(finals, REFERENCE_POINT) : Number.NaN,
  };
}
