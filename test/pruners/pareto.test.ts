import '../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValueError } from '../../src/errors.js';
import { ParetoPruner, type ParetoPrunerOptions } from '../../src/pruners/index.js';
import type { StudyDirection } from '../../src/trial/index.js';
import { trialOf, viewOf } from './support.js';

// At step 1 the other trials stand at (1, 4), (4, 1), (2, 2) and (8, 9). Shrunk halfway
// toward the reference point (10, 10), the front becomes (5.5, 7), (7, 5.5) and (6, 6).
const points = [
  [1, 4],
  [4, 1],
  [2, 2],
  [8, 9],
];
const study = (directions: StudyDirection[] = ['minimize', 'minimize'], sign = [1, 1]) =>
  viewOf(
    points.map((p, n) => trialOf(n, 'COMPLETE', [[0, 0], p.map((v, k) => v * sign[k]!)])),
    directions,
  );
const at1 = (point: number[]) => trialOf(9, 'RUNNING', [[0, 0], point]);
const pareto = (options: ParetoPrunerOptions = {}) =>
  new ParetoPruner({ nStartupTrials: 0, referencePoint: [10, 10], ...options });

describe('ParetoPruner', () => {
  const cases: [string, number[], ParetoPrunerOptions, boolean][] = [
    ['prunes a point the shrunk front dominates', [6.5, 6.5], {}, true],
    ['prunes a point behind one shrunk front point', [5.8, 9], {}, true],
    ['keeps a point no shrunk front point dominates', [5, 9], {}, false],
    ['keeps a point the front dominates only before shrinking', [3, 3], {}, false],
    ['with shrink 0, prunes whatever the front dominates', [3, 3], { shrink: 0 }, true],
    ['prunes a vector with a NaN', [NaN, 0], {}, true],
    ['does not prune before nWarmupSteps', [9, 9], { nWarmupSteps: 2 }, false],
    ['waits for nStartupTrials completed trials', [9, 9], { nStartupTrials: 5 }, false],
  ];
  for (const [rule, point, options, prune] of cases) {
    it(rule, () => assert.equal(pareto(options).prune(study(), at1(point)), prune));
  }

  it('derives the reference point from the worst values at the step', () => {
    // Worst values at step 1, with the candidate: (8, 9); shrunk: (4.5, 6.5), (6, 5), (5, 5.5).
    const derived = new ParetoPruner({ nStartupTrials: 0 });
    assert.equal(derived.prune(study(), at1([5.2, 5.6])), true);
    assert.equal(derived.prune(study(), at1([4.8, 5.4])), false);
  });

  it('reads each objective, and the reference point, in its own direction', () => {
    const mixed = study(['minimize', 'maximize'], [1, -1]);
    const pruner = pareto({ referencePoint: [10, -10] });
    assert.equal(pruner.prune(mixed, at1([6.5, -6.5])), true);
    assert.equal(pruner.prune(mixed, at1([5, -9])), false);
  });

  it('leaves out other trials with a NaN and does not prune when none is left', () => {
    const nan = viewOf([trialOf(0, 'COMPLETE', [[NaN, 0]])], ['minimize', 'minimize']);
    assert.equal(pareto().prune(nan, trialOf(9, 'RUNNING', [[9, 9]])), false);
  });

  it('refuses a single number in a study with several objectives', () => {
    assert.throws(
      () => pareto().prune(study(), trialOf(9, 'RUNNING', [0, 3])),
      new ValueError(
        'ParetoPruner: intermediate values must hold one number per objective (report an ' +
          'array of 2), but got value=3 at step 1 of trial 9.',
      ),
    );
  });

  const invalid: [object, string][] = [
    [{ shrink: 1 }, 'shrink must be a number in [0, 1), but got shrink=1.'],
    [{ shrink: -0.1 }, 'shrink must be a number in [0, 1), but got shrink=-0.1.'],
    [{ nWarmupSteps: -1 }, 'nWarmupSteps must be an integer >= 0, but got nWarmupSteps=-1.'],
    [
      { referencePoint: [1, NaN] },
      'referencePoint must be an array of finite numbers, but got ' + 'referencePoint=[1, NaN].',
    ],
  ];
  for (const [options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)} in the constructor`, () => {
      assert.throws(() => new ParetoPruner(options), new ValueError(`ParetoPruner: ${message}`));
    });
  }
});
