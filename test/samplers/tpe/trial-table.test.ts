import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../../../src/random.js';
import { splitTrials } from '../../../src/samplers/tpe/split.js';
import { TrialTable } from '../../../src/samplers/tpe/trial-table.js';
import {
  emptyTrialRecord,
  freezeTrial,
  type FrozenTrial,
  type StudyDirection,
  type TrialState,
} from '../../../src/trial/index.js';

function trialOf(number: number, state: TrialState, value?: number): FrozenTrial {
  const record = emptyTrialRecord(100 + number, number, state);
  if (value !== undefined) record.values = [value];
  return freezeTrial(record);
}

/** The general split of what the sampler shows it: finished trials other than `skip`. */
function reference(
  trials: readonly FrozenTrial[],
  skip: number,
  direction: StudyDirection,
  gamma: (n: number) => number,
): { below: number[]; above: number[]; ranks: number[] } {
  const shown = trials.filter((t) => t.id !== skip && t.state === 'COMPLETE');
  const split = splitTrials(shown, {
    directions: [direction],
    nBelow: Math.max(0, Math.floor(gamma(shown.length))),
    violation: undefined,
  });
  const ranks = [...split.belowRanks!];
  return { below: numbers(split.below), above: numbers(split.above), ranks };
}

function numbers(trials: readonly FrozenTrial[]): number[] {
  return trials.map((trial) => trial.number);
}

const STATES: readonly TrialState[] = ['COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL', 'RUNNING'];

/** n trials in number order with values on a coarse grid, so that many tie. */
function randomTrials(random: Random, n: number): FrozenTrial[] {
  return Array.from({ length: n }, (_, number) => {
    const state = STATES[random.integer(STATES.length)]!;
    return trialOf(number, state, state === 'COMPLETE' ? random.integer(12) - 4 : undefined);
  });
}

describe('TrialTable.splitSingle', () => {
  const gammas: readonly ((n: number) => number)[] = [
    (n) => Math.min(Math.ceil(0.1 * n), 25),
    (n) => 0.4 * n,
    () => 0,
    (n) => n + 3,
  ];

  it('splits as splitTrials does, ties by number, in both directions', () => {
    const random = new Random(7);
    for (let round = 0; round < 200; round++) {
      const trials = randomTrials(random, 1 + random.integer(300));
      const skip = 100 + random.integer(trials.length);
      const direction: StudyDirection = round % 2 === 0 ? 'minimize' : 'maximize';
      const gamma = gammas[round % gammas.length]!;
      const split = new TrialTable().splitSingle(trials, skip, direction, false, gamma);
      assert.ok(split !== undefined);
      assert.equal(split.belowWeights, undefined);
      assert.deepEqual([...split.belowNumbers], numbers(split.below));
      assert.deepEqual([...split.aboveNumbers], numbers(split.above));
      assert.deepEqual(
        { below: numbers(split.below), above: numbers(split.above), ranks: [...split.belowRanks!] },
        reference(trials, skip, direction, gamma),
      );
    }
  });

  it('follows a study from snapshot to snapshot, rereading the trials that changed', () => {
    const random = new Random(11);
    const table = new TrialTable();
    const gamma = gammas[0]!;
    let trials: FrozenTrial[] = [];
    for (let step = 0; step < 120; step++) {
      // Each snapshot finishes some RUNNING trials (new frozen objects) and adds new ones.
      trials = trials.map((trial) =>
        trial.state === 'RUNNING' && random.uniform() < 0.5
          ? trialOf(trial.number, 'COMPLETE', random.integer(20))
          : trial,
      );
      for (let k = random.integer(4); k > 0; k--) {
        trials.push(trialOf(trials.length, 'RUNNING'));
      }
      const skip = trials.at(-1)?.id ?? -1;
      const split = table.splitSingle(trials.slice(), skip, 'minimize', false, gamma)!;
      assert.deepEqual(
        { below: numbers(split.below), above: numbers(split.above), ranks: [...split.belowRanks!] },
        reference(trials, skip, 'minimize', gamma),
        `snapshot ${step}`,
      );
    }
  });

  it('leaves to the general split what only it handles', () => {
    const gamma = gammas[0]!;
    const table = (trials: FrozenTrial[], liar = false) =>
      new TrialTable().splitSingle(trials, -1, 'minimize', liar, gamma);
    const done = [trialOf(0, 'COMPLETE', 1), trialOf(1, 'COMPLETE', 2)];
    assert.ok(table(done) !== undefined);
    assert.equal(table([...done, trialOf(2, 'PRUNED')]), undefined);
    assert.equal(table([...done, trialOf(2, 'RUNNING')], true), undefined);
    assert.ok(table([...done, trialOf(2, 'RUNNING')], false) !== undefined);
    assert.equal(table([done[1]!, done[0]!]), undefined);
    assert.equal(table([...done, trialOf(2, 'COMPLETE', Number.NaN)]), undefined);
  });
});
