import '../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValueError } from '../../src/errors.js';
import { ThresholdPruner, type ThresholdPrunerOptions } from '../../src/pruners/index.js';
import type { IntermediateValue } from '../../src/trial/index.js';
import { trialOf, viewOf } from './support.js';

const study = viewOf([]);

describe('ThresholdPruner', () => {
  const cases: [ThresholdPrunerOptions, IntermediateValue[], boolean][] = [
    [{ upper: 1 }, [0.5, 1], false],
    [{ upper: 1 }, [0.5, 1.01], true],
    [{ lower: 0 }, [1, -0.01], true],
    [{ lower: 0 }, [-5, 0], false],
    [{ lower: 0, upper: 1 }, [0.5, NaN], true],
    [{ upper: 1 }, [9, 0.5], false],
    [{ upper: 1, nWarmupSteps: 2 }, [9, 9], false],
    [{ upper: 1, nWarmupSteps: 2 }, [9, 9, 9], true],
    [{ upper: 1, intervalSteps: 2 }, [9, 9], false],
    [{ upper: 1, intervalSteps: 2 }, [9, 9, 9], true],
    [
      { upper: 1 },
      [
        [0.5, 0.5],
        [0.5, 2],
      ],
      true,
    ],
    [
      { upper: 1 },
      [
        [0.5, 0.5],
        [0.5, 1],
      ],
      false,
    ],
  ];
  for (const [options, curve, prune] of cases) {
    const verb = prune ? 'prunes' : 'keeps';
    it(`with ${JSON.stringify(options)} ${verb} ${JSON.stringify(curve)}`, () => {
      assert.equal(new ThresholdPruner(options).prune(study, trialOf(0, 'RUNNING', curve)), prune);
    });
  }

  const invalid: [object, string][] = [
    [{}, 'lower or upper must be given, but got neither.'],
    [{ lower: 2, upper: 1 }, 'lower must be <= upper, but got lower=2, upper=1.'],
    [{ upper: NaN }, 'upper must be a number (not NaN), but got upper=NaN.'],
    [
      { upper: 1, nWarmupSteps: -1 },
      'nWarmupSteps must be an integer >= 0, but got ' + 'nWarmupSteps=-1.',
    ],
  ];
  for (const [options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)} in the constructor`, () => {
      const expected = new ValueError(`ThresholdPruner: ${message}`);
      assert.throws(() => new ThresholdPruner(options), expected);
    });
  }
});
