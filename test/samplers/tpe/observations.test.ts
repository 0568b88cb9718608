import '../../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  createStudy,
  FloatDistribution,
  IntDistribution,
  RandomSampler,
  type FrozenTrial,
} from '../../../src/index.js';
import { ObservationCache } from '../../../src/samplers/tpe/observations.js';

async function history(nTrials: number): Promise<readonly FrozenTrial[]> {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 4 }) });
  await study.optimize(
    (trial) => {
      const x = trial.suggestFloat('x', 1e-3, 10, { log: true });
      const n = trial.suggestInt('n', 1, 20);
      return x + n;
    },
    { nTrials },
  );
  return study.getTrials();
}

describe('ObservationCache.sortedObservations', () => {
  it('lists a parameter over some trials by value, each with its row among them', async () => {
    const trials = await history(150);
    // Every third trial left out, as the good trials are left out of the bad ones.
    const subset = trials.filter((trial) => trial.number % 3 !== 0);
    for (const [name, distribution, toCoordinate] of [
      ['x', new FloatDistribution(1e-3, 10, { log: true }), Math.log],
      ['n', new IntDistribution(1, 20), (v: number) => v],
    ] as const) {
      const cache = new ObservationCache();
      const sorted = cache.sortedObservations(name, distribution, subset);
      assert.ok(sorted !== undefined);
      const { values, rows } = sorted;
      assert.equal(values.length, subset.length);
      assert.deepEqual(
        [...rows].sort((a, b) => a - b),
        subset.map((_, row) => row),
      );
      for (let i = 0; i < values.length; i++) {
        const own = subset[rows[i]!]!.params[name] as number;
        assert.equal(values[i], toCoordinate(own));
        if (i > 0) {
          // Ascending, equal values in row order (the order a stable sort gives).
          assert.ok(
            values[i - 1]! < values[i]! || (values[i - 1] === values[i] && rows[i - 1]! < rows[i]!),
          );
        }
      }
    }
  });

  it('declines trials it cannot read from the cache', async () => {
    const trials = await history(20);
    const cache = new ObservationCache();
    const other = new FloatDistribution(0, 1);
    assert.equal(cache.sortedObservations('x', other, trials), undefined, 'other distribution');
    const running = { ...trials[0]!, state: 'RUNNING' } as FrozenTrial;
    const distribution = new IntDistribution(1, 20);
    assert.equal(cache.sortedObservations('n', distribution, [running]), undefined, 'running');
    assert.equal(cache.sortedObservations('missing', distribution, trials), undefined, 'absent');
  });
});

describe('ObservationCache.knowRows', () => {
  it('reads the same rows from numbers it is given as from the trials themselves', async () => {
    const trials = await history(120);
    const distribution = new IntDistribution(1, 20);
    // Two disjoint lists, as a split gives; neither cache has filled any trial yet.
    const lists = [
      trials.filter((trial) => trial.number % 4 === 1),
      trials.filter((trial) => trial.number % 4 !== 1),
    ];
    const told = new ObservationCache();
    const fresh = new ObservationCache();
    for (const list of lists) {
      told.knowRows(
        list,
        Int32Array.from(list, (trial) => trial.number),
      );
      const known = told.sortedObservations('n', distribution, list);
      assert.ok(known !== undefined);
      assert.deepEqual(known, fresh.sortedObservations('n', distribution, list));
    }
  });
});
