import '../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  createStudy,
  HyperbandPruner,
  InMemoryStorage,
  loadStudy,
  MedianPruner,
  ParetoPruner,
  RandomSampler,
  SuccessiveHalvingPruner,
  TrialPruned,
  type Pruner,
  type Trial,
} from '../../src/index.js';
import { seeded } from './support.js';

/** Trial n's curve depends only on n: converging to a floor of its own, a few diverging. */
function objective(nObjectives: number) {
  return (trial: Trial): number | number[] => {
    const random = seeded(trial.number + 100);
    const floor = random();
    const rate = 0.2 + random();
    const diverges = random() < 0.2;
    let value: number[] = [];
    for (let step = 0; step < 12; step++) {
      const v = diverges ? 5 + step : floor + 2 * Math.exp(-rate * step);
      value = Array.from({ length: nObjectives }, (_, k) => (k === 0 ? v : v + 1 - floor * 2));
      trial.report(nObjectives === 1 ? value[0]! : value, step);
      if (trial.shouldPrune()) throw new TrialPruned();
    }
    return nObjectives === 1 ? value[0]! : value;
  };
}

async function outcomes(
  makePruner: () => Pruner,
  nObjectives: number,
  resumeAt: number | undefined,
): Promise<string[]> {
  const storage = new InMemoryStorage();
  const directions = Array(nObjectives).fill('minimize');
  const base = { storage, studyName: 'resume', sampler: new RandomSampler({ seed: 0 }) };
  const first = await createStudy({ ...base, directions, pruner: makePruner() });
  await first.optimize(objective(nObjectives), { nTrials: resumeAt ?? 30 });
  if (resumeAt !== undefined) {
    const second = await loadStudy({ ...base, pruner: makePruner() });
    await second.optimize(objective(nObjectives), { nTrials: 30 - resumeAt });
  }
  const trials = await first.getTrials();
  return trials.map((t) => `${t.state}@${Math.max(...t.intermediateValues.keys())}`);
}

describe('pruners in real studies', () => {
  const cases: [string, () => Pruner, number][] = [
    ['MedianPruner', () => new MedianPruner(), 1],
    ['SuccessiveHalvingPruner', () => new SuccessiveHalvingPruner({ reductionFactor: 3 }), 1],
    ['HyperbandPruner', () => new HyperbandPruner({ maxResource: 12 }), 1],
    ['SuccessiveHalvingPruner (two objectives)', () => new SuccessiveHalvingPruner(), 2],
    ['ParetoPruner', () => new ParetoPruner({ nWarmupSteps: 2 }), 2],
  ];
  for (const [name, makePruner, nObjectives] of cases) {
    it(`${name}: a study resumed with a new pruner goes on as an uninterrupted one`, async () => {
      const straight = await outcomes(makePruner, nObjectives, undefined);
      assert.deepEqual(await outcomes(makePruner, nObjectives, 13), straight);
      assert.ok(
        straight.some((o) => o.startsWith('PRUNED')),
        straight.join(' '),
      );
      assert.ok(
        straight.some((o) => o.startsWith('COMPLETE')),
        straight.join(' '),
      );
    });
  }
});
