import '../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValueError } from '../../src/errors.js';
import { MedianPruner, PercentilePruner } from '../../src/pruners/index.js';
import type { StudyDirection } from '../../src/trial/index.js';
import { trialAt, trialOf, viewOf } from './support.js';

// Completed curves; at step 1 the values are 2, 4 and 6 (median 4).
const completed = [
  trialOf(0, 'COMPLETE', [1, 2, 3]),
  trialOf(1, 'COMPLETE', [3, 4, 5]),
  trialOf(2, 'COMPLETE', [5, 6, 7]),
];
const view = (directions: StudyDirection[] = ['minimize']) => viewOf(completed, directions);

describe('MedianPruner', () => {
  const cases: { rule: string; curve: number[]; direction?: StudyDirection; prune: boolean }[] = [
    { rule: 'prunes a best value above the median', curve: [9, 4.5], prune: true },
    { rule: 'keeps a best value below the median', curve: [9, 3.9], prune: false },
    { rule: 'keeps a value equal to the median', curve: [9, 4], prune: false },
    { rule: 'judges the best value so far, not the latest', curve: [1, 10], prune: false },
    {
      rule: 'flips for maximize: keeps ' + 'above',
      curve: [0, 4.5],
      direction: 'maximize',
      prune: false,
    },
    {
      rule: 'flips for maximize: prunes ' + 'below',
      curve: [0, 3.9],
      direction: 'maximize',
      prune: true,
    },
    { rule: 'prunes a trial whose values are all NaN', curve: [NaN, NaN], prune: true },
    { rule: 'ignores NaN among its own values', curve: [NaN, 3], prune: false },
  ];
  for (const { rule, curve, direction = 'minimize', prune } of cases) {
    it(rule, () => {
      const pruner = new MedianPruner({ nStartupTrials: 0 });
      assert.equal(pruner.prune(view([direction]), trialOf(3, 'RUNNING', curve)), prune);
    });
  }

  it('waits for nStartupTrials completed trials', () => {
    const bad = trialOf(3, 'RUNNING', [9, 9]);
    assert.equal(new MedianPruner({ nStartupTrials: 4 }).prune(view(), bad), false);
    assert.equal(new MedianPruner({ nStartupTrials: 3 }).prune(view(), bad), true);
  });

  it('counts only completed trials, not running or pruned ones', () => {
    const others = [trialOf(0, 'RUNNING', [0, 0]), trialOf(1, 'PRUNED', [0, 0])];
    const bad = trialOf(3, 'RUNNING', [9, 9]);
    assert.equal(new MedianPruner({ nStartupTrials: 0 }).prune(viewOf(others), bad), false);
  });

  it('waits for nWarmupSteps', () => {
    const bad = trialOf(3, 'RUNNING', [9, 9]);
    const warmup = (nWarmupSteps: number) => new MedianPruner({ nStartupTrials: 0, nWarmupSteps });
    assert.equal(warmup(2).prune(view(), bad), false);
    assert.equal(warmup(1).prune(view(), bad), true);
  });

  it(
    'checks every intervalSteps steps from the warm-up, postponing a check to the next ' + 'report',
    () => {
      const pruner = new MedianPruner({ nStartupTrials: 0, nWarmupSteps: 0, intervalSteps: 2 });
      assert.equal(pruner.prune(view(), trialOf(3, 'RUNNING', [9])), true);
      assert.equal(pruner.prune(view(), trialOf(3, 'RUNNING', [9, 9])), false);
      assert.equal(pruner.prune(view(), trialOf(3, 'RUNNING', [9, 9, 9])), true);
      const late = new MedianPruner({ nStartupTrials: 0, nWarmupSteps: 1, intervalSteps: 2 });
      assert.equal(
        late.prune(
          view(),
          trialAt(3, 'RUNNING', [
            [0, 9],
            [2, 9],
          ]),
        ),
        true,
      );
      assert.equal(late.prune(view(), trialOf(3, 'RUNNING', [9, 9, 9])), false);
    },
  );

  it('needs nMinTrials completed values at the step', () => {
    const bad = trialOf(3, 'RUNNING', [9, 9]);
    assert.equal(new MedianPruner({ nStartupTrials: 0, nMinTrials: 4 }).prune(view(), bad), false);
    assert.equal(new MedianPruner({ nStartupTrials: 0, nMinTrials: 3 }).prune(view(), bad), true);
  });

  it('does not prune at a step no completed trial reported', () => {
    const bad = trialAt(3, 'RUNNING', [[7, 99]]);
    assert.equal(new MedianPruner({ nStartupTrials: 0 }).prune(view(), bad), false);
  });

  it('refuses a multi-objective study and names the pruners that can judge one', () => {
    assert.throws(
      () => new MedianPruner().prune(view(['minimize', 'maximize']), trialOf(3, 'RUNNING', [1])),
      new ValueError(
        'MedianPruner: the study must have a single objective (for several, use ParetoPruner, ' +
          'SuccessiveHalvingPruner or HyperbandPruner), but got directions=["minimize", ' +
          '"maximize"].',
      ),
    );
  });
});

describe('PercentilePruner', () => {
  // At step 1 the values are 2, 4, 6: the 25th percentile is 3 and the 75th is 5.
  const table = [
    { percentile: 25, value: 3.5, prune: true },
    { percentile: 25, value: 3, prune: false },
    { percentile: 75, value: 4.9, prune: false },
    { percentile: 75, value: 5.1, prune: true },
    { percentile: 0, value: 2.1, prune: true },
    { percentile: 100, value: 5.9, prune: false },
  ];
  for (const { percentile, value, prune } of table) {
    it(`at the ${percentile}th percentile ${prune ? 'prunes' : 'keeps'} ${value}`, () => {
      const pruner = new PercentilePruner({ percentile, nStartupTrials: 0 });
      assert.equal(pruner.prune(view(), trialOf(3, 'RUNNING', [9, value])), prune);
    });
  }

  it('keeps the best quarter of a maximized study at 25', () => {
    const pruner = new PercentilePruner({ percentile: 25, nStartupTrials: 0 });
    assert.equal(pruner.prune(view(['maximize']), trialOf(3, 'RUNNING', [0, 4.9])), true);
    assert.equal(pruner.prune(view(['maximize']), trialOf(3, 'RUNNING', [0, 5])), false);
  });

  const invalid: [object, string][] = [
    [{ percentile: 101 }, 'percentile must be a number in [0, 100], but got percentile=101.'],
    [{ percentile: NaN }, 'percentile must be a number in [0, 100], but got percentile=NaN.'],
    [
      { percentile: 5, nStartupTrials: -1 },
      'nStartupTrials must be an integer >= 0, but got ' + 'nStartupTrials=-1.',
    ],
    [
      { percentile: 5, nWarmupSteps: 1.5 },
      'nWarmupSteps must be an integer >= 0, but got ' + 'nWarmupSteps=1.5.',
    ],
    [
      { percentile: 5, intervalSteps: 0 },
      'intervalSteps must be an integer >= 1, but got ' + 'intervalSteps=0.',
    ],
    [{ percentile: 5, nMinTrials: 0 }, 'nMinTrials must be an integer >= 1, but got nMinTrials=0.'],
    [
      { percentile: 5, nWarmup: 3 },
      'options must be among percentile, nStartupTrials, ' +
        'nWarmupSteps, intervalSteps, nMinTrials, but got nWarmup=3.',
    ],
  ];
  for (const [options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)} in the constructor`, () => {
      assert.throws(
        () => new PercentilePruner(options as { percentile: number }),
        new ValueError(`PercentilePruner: ${message}`),
      );
    });
  }

  it('names MedianPruner in its own option errors', () => {
    assert.throws(
      () => new MedianPruner({ nStartupTrials: -2 }),
      new ValueError(
        'MedianPruner: nStartupTrials must be an integer >= 0, but got ' + 'nStartupTrials=-2.',
      ),
    );
    const percentileOption = { percentile: 10 } as object;
    assert.throws(() => new MedianPruner(percentileOption), /MedianPruner: options must be among/);
  });
});
