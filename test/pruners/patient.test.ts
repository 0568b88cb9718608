import '../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValueError } from '../../src/errors.js';
import { PatientPruner, type Pruner } from '../../src/pruners/index.js';
import type { StudyDirection } from '../../src/trial/index.js';
import { trialOf, viewOf } from './support.js';

describe('PatientPruner', () => {
  const cases: [string, number[], number, StudyDirection, boolean][] = [
    [
      'prunes when the last patience + 1 values are all ' + 'worse',
      [5, 4, 3, 3.5, 3.2, 3.1],
      0,
      'minimize',
      true,
    ],
    [
      'keeps a trial that improved within the ' + 'window',
      [5, 4, 3, 3.5, 3.2, 2.9],
      0,
      'minimize',
      false,
    ],
    ['counts an equal best as no worsening', [5, 4, 3, 3.5, 3.2, 3], 0, 'minimize', false],
    ['tolerates a worsening up to minDelta', [5, 4, 3, 3.5, 3.2, 3.1], 0.2, 'minimize', false],
    ['prunes a worsening beyond minDelta', [5, 4, 3, 3.5, 3.4, 3.3], 0.2, 'minimize', true],
    ['waits for more than patience + 1 values', [5, 6, 7], 0, 'minimize', false],
    ['reads a maximized study upward', [1, 2, 3, 2.5, 2.8, 2.9], 0, 'maximize', true],
    ['keeps a maximized trial still rising', [1, 2, 3, 2.5, 2.8, 3.1], 0, 'maximize', false],
    ['ignores NaN values', [5, 4, 3, NaN, 2.9, NaN], 0, 'minimize', false],
  ];
  for (const [rule, curve, minDelta, direction, prune] of cases) {
    it(rule, () => {
      const pruner = new PatientPruner(null, { patience: 2, minDelta });
      assert.equal(pruner.prune(viewOf([], [direction]), trialOf(0, 'RUNNING', curve)), prune);
    });
  }

  it('asks the wrapped pruner only once the trial has stalled, and follows its answer', () => {
    const asked: number[] = [];
    const wrapped = (answer: boolean): Pruner => ({
      prune: (_study, trial) => (asked.push(trial.intermediateValues.size), answer),
    });
    const study = viewOf([]);
    const improving = trialOf(0, 'RUNNING', [5, 4, 3, 2]);
    const stalled = trialOf(0, 'RUNNING', [1, 4, 3, 2]);
    assert.equal(new PatientPruner(wrapped(true), { patience: 2 }).prune(study, improving), false);
    assert.deepEqual(asked, []);
    assert.equal(new PatientPruner(wrapped(true), { patience: 2 }).prune(study, stalled), true);
    assert.equal(new PatientPruner(wrapped(false), { patience: 2 }).prune(study, stalled), false);
    assert.deepEqual(asked, [4, 4]);
  });

  const invalid: [Pruner | null, object, string][] = [
    [null, { patience: -1 }, 'patience must be an integer >= 0, but got patience=-1.'],
    [null, {}, 'patience must be an integer >= 0, but got patience=undefined.'],
    [
      null,
      { patience: 1, minDelta: -0.1 },
      'minDelta must be a finite number >= 0, but got ' + 'minDelta=-0.1.',
    ],
    [{} as Pruner, { patience: 1 }, 'wrapped must be a Pruner or null, but got wrapped={}.'],
  ];
  for (const [wrapped, options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)} in the constructor`, () => {
      assert.throws(
        () => new PatientPruner(wrapped, options as { patience: number }),
        new ValueError(`PatientPruner: ${message}`),
      );
    });
  }
});
