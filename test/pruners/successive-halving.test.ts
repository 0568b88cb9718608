import '../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValueError } from '../../src/errors.js';
import { SuccessiveHalvingPruner } from '../../src/pruners/index.js';
import type { IntermediateValue, StudyDirection } from '../../src/trial/index.js';
import { trialAt, trialOf, viewOf } from './support.js';

// Rungs at steps 1, 2, 4, 8 (minResource 1, reductionFactor 2). At rungs 0 and 1 the other
// trials stand at 1, 2 and 3; a state does not matter, only what was reported.
const others = [
  trialOf(0, 'COMPLETE', [0, 1, 1, 1, 1]),
  trialOf(1, 'PRUNED', [0, 2, 2, 2, 2]),
  trialOf(2, 'RUNNING', [0, 3, 3, 3, 3]),
];
const halving = (options = {}) =>
  new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, ...options });

describe('SuccessiveHalvingPruner', () => {
  const cases: { rule: string; curve: IntermediateValue[]; prune: boolean }[] = [
    { rule: 'does not prune before the first rung', curve: [9], prune: false },
    { rule: 'prunes outside the best half at a rung', curve: [9, 2.5], prune: true },
    { rule: 'keeps a value tied with the last kept one', curve: [9, 2], prune: false },
    { rule: 'judges the next rung against values there', curve: [9, 1, 9], prune: true },
    { rule: 'keeps the best half at the next rung', curve: [9, 1, 1.5], prune: false },
    { rule: 'does not prune between rungs', curve: [9, 1, 1, 50], prune: false },
    { rule: 'prunes a NaN at a rung', curve: [0, NaN], prune: true },
  ];
  for (const { rule, curve, prune } of cases) {
    it(rule, () => {
      assert.equal(halving().prune(viewOf(others), trialOf(3, 'RUNNING', curve)), prune);
    });
  }

  it('judges every rung passed since the previous report when reports skip steps', () => {
    const skipped = trialAt(3, 'RUNNING', [
      [0, 9],
      [4, 2.5],
    ]);
    assert.equal(halving().prune(viewOf(others), skipped), true);
    const good = trialAt(3, 'RUNNING', [
      [0, 9],
      [4, 0.5],
    ]);
    assert.equal(halving().prune(viewOf(others), good), false);
  });

  it("reads another trial's rung value at its first report at or past the rung", () => {
    const sparse = [
      ...others,
      trialAt(4, 'RUNNING', [
        [0, 0],
        [3, 0.5],
      ]),
    ];
    // Rung 1 (step 2): 0.5, 1, 2, 3 and 1.8: the best two of five are 0.5 and 1.
    assert.equal(halving().prune(viewOf(sparse), trialOf(5, 'RUNNING', [9, 1, 1.8])), true);
    assert.equal(halving().prune(viewOf(others), trialOf(5, 'RUNNING', [9, 1, 1.8])), false);
  });

  it('prunes until more than bootstrapCount trials have reached the rung', () => {
    const best = trialOf(3, 'RUNNING', [9, 0.1]);
    assert.equal(halving({ bootstrapCount: 4 }).prune(viewOf(others), best), true);
    assert.equal(halving({ bootstrapCount: 3 }).prune(viewOf(others), best), false);
  });

  it('starts the rungs at minResource * reductionFactor ** minEarlyStoppingRate', () => {
    const pruner = halving({ minEarlyStoppingRate: 1 });
    assert.equal(pruner.prune(viewOf(others), trialOf(3, 'RUNNING', [9, 9])), false);
    assert.equal(pruner.prune(viewOf(others), trialOf(3, 'RUNNING', [9, 9, 9])), true);
  });

  it('keeps the largest values of a maximized study', () => {
    const study = viewOf(others, ['maximize']);
    assert.equal(halving().prune(study, trialOf(3, 'RUNNING', [0, 2.5])), false);
    assert.equal(halving().prune(study, trialOf(3, 'RUNNING', [0, 1.5])), true);
  });

  it("counts other trials' NaN as the worst values", () => {
    const nan = [0, 1, 2].map((n) => trialOf(n, 'COMPLETE', [0, NaN]));
    assert.equal(halving().prune(viewOf(nan), trialOf(3, 'RUNNING', [0, 5])), false);
  });

  it("derives minResource 'auto' from the longest completed trial, after one completes", () => {
    const pruner = new SuccessiveHalvingPruner({ reductionFactor: 2 });
    const bad = (n: number) => trialOf(9, 'RUNNING', Array(n).fill(9));
    assert.equal(pruner.prune(viewOf(others.slice(1)), bad(5)), false);
    const long = trialOf(0, 'COMPLETE', Array(451).fill(0));
    assert.equal(pruner.prune(viewOf([long, ...others.slice(1)]), bad(4)), false);
    assert.equal(pruner.prune(viewOf([long, ...others.slice(1)]), bad(5)), true);
  });

  describe('in a multi-objective study (MO-ASHA)', () => {
    const rung = (points: number[][], directions: StudyDirection[] = ['minimize', 'minimize']) =>
      viewOf(
        points.map((p, n) => trialOf(n, 'COMPLETE', [[0, 0], p])),
        directions,
      );

    const cases: [rule: string, rung: number[][], own: number[], pruned: boolean][] = [
      [
        'prunes a front member with less crowding distance than the kept ones',
        [
          [1, 3],
          [3, 1],
          [4, 4],
          [5, 5],
        ],
        [2, 2],
        true,
      ],
      [
        'keeps a front member when the kept share covers the front',
        [
          [1, 3],
          [4, 4],
          [5, 5],
          [6, 6],
        ],
        [2, 2],
        false,
      ],
      [
        'prunes a dominated point',
        [
          [1, 3],
          [3, 1],
          [2, 2],
          [5, 5],
        ],
        [4, 4],
        true,
      ],
    ];
    for (const [rule, points, own, pruned] of cases) {
      it(rule, () => {
        const decision = halving().prune(rung(points), trialOf(9, 'RUNNING', [[0, 0], own]));
        assert.equal(decision, pruned);
      });
    }

    it('reads each objective in its own direction', () => {
      const study = rung(
        [
          [1, -3],
          [4, -4],
          [5, -5],
          [6, -6],
        ],
        ['minimize', 'maximize'],
      );
      assert.equal(
        halving().prune(
          study,
          trialOf(9, 'RUNNING', [
            [0, 0],
            [2, -2],
          ]),
        ),
        false,
      );
      assert.equal(
        halving().prune(
          study,
          trialOf(9, 'RUNNING', [
            [0, 0],
            [6.5, -5.5],
          ]),
        ),
        true,
      );
    });

    it('prunes a vector with a NaN', () => {
      const study = rung([[1, 3]]);
      assert.equal(
        halving().prune(
          study,
          trialOf(9, 'RUNNING', [
            [0, 0],
            [NaN, 0],
          ]),
        ),
        true,
      );
    });

    it('refuses a single number in a study with several objectives', () => {
      assert.throws(
        () => halving().prune(rung([[1, 3]]), trialOf(9, 'RUNNING', [0, 1])),
        new ValueError(
          'SuccessiveHalvingPruner: intermediate values must hold one number per objective ' +
            '(report an array of 2), but got value=1 at step 1 of trial 9.',
        ),
      );
    });
  });

  const invalid: [object, string][] = [
    [{ minResource: 0 }, 'minResource must be an integer >= 1, but got minResource=0.'],
    [{ minResource: 'none' }, 'minResource must be an integer >= 1, but got minResource="none".'],
    [{ reductionFactor: 1 }, 'reductionFactor must be an integer >= 2, but got reductionFactor=1.'],
    [
      { minEarlyStoppingRate: -1 },
      'minEarlyStoppingRate must be an integer >= 0, but got ' + 'minEarlyStoppingRate=-1.',
    ],
    [
      { bootstrapCount: 0.5 },
      'bootstrapCount must be an integer >= 0, but got ' + 'bootstrapCount=0.5.',
    ],
  ];
  for (const [options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)} in the constructor`, () => {
      assert.throws(
        () => new SuccessiveHalvingPruner(options),
        new ValueError(`SuccessiveHalvingPruner: ${message}`),
      );
    });
  }
});
