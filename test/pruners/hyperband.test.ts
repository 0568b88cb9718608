import '../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ValueError } from '../../src/errors.js';
import { bracketBudgets, bracketOf, crc32 } from '../../src/pruners/hyperband.js';
import { HyperbandPruner } from '../../src/pruners/index.js';
import { trialOf, viewOf } from './support.js';

const NAME = 'hyperband-test';
// Optuna 4.1's HyperbandPruner(min_resource=1, max_resource=27, reduction_factor=3) puts
// trials 0..23 of a study named "hyperband-test" in these brackets (from its
// _get_bracket_id, run through ../shared/tools/optuna-python).
const OPTUNA_BRACKETS = [1, 0, 0, 3, 0, 3, 3, 2, 2, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 3, 0, 2, 1, 1];

describe('HyperbandPruner', () => {
  it('hashes with the standard CRC-32', () => {
    assert.equal(crc32('123456789'), 0xcbf43926);
    assert.equal(crc32(''), 0);
  });

  it("gives brackets the paper's shares of trials", () => {
    assert.deepEqual(bracketBudgets(1, 27, 3), [27, 12, 6, 4]);
    assert.deepEqual(bracketBudgets(1, 50, 3), [27, 12, 6, 4]);
    assert.deepEqual(bracketBudgets(1, 26, 3), [9, 5, 3]);
    assert.deepEqual(bracketBudgets(4, 4, 2), [1]);
  });

  it('puts each trial in the bracket Optuna puts it in', () => {
    const budgets = bracketBudgets(1, 27, 3);
    const brackets = OPTUNA_BRACKETS.map((_, n) => bracketOf(NAME, n, budgets));
    assert.deepEqual(brackets, OPTUNA_BRACKETS);
  });

  const pruner = () => new HyperbandPruner({ minResource: 1, maxResource: 27 });
  const good = (n: number) => trialOf(n, 'COMPLETE', Array(28).fill(0.1));

  it("compares a trial only with its own bracket's trials", () => {
    // Trial 2 is in bracket 0 (rungs at 1, 3, 9, 27); 0, 9 and 13 are in bracket 1.
    const candidate = trialOf(2, 'RUNNING', [9, 5]);
    const otherBracket = viewOf([0, 9, 13].map(good), ['minimize'], NAME);
    assert.equal(pruner().prune(otherBracket, candidate), false);
    const sameBracket = viewOf([1, 4, 10].map(good), ['minimize'], NAME);
    assert.equal(pruner().prune(sameBracket, candidate), true);
  });

  it('starts bracket s at minResource * reductionFactor ** s', () => {
    // Trial 3 is in bracket 3, whose only rung is at step 27; 5 and 6 share it.
    const study = viewOf([5, 6].map(good), ['minimize'], NAME);
    const bad = (n: number) => trialOf(3, 'RUNNING', Array(n).fill(9));
    assert.equal(pruner().prune(study, bad(27)), false);
    assert.equal(pruner().prune(study, bad(28)), true);
  });

  it("waits for a completed trial when maxResource is 'auto'", () => {
    const auto = new HyperbandPruner();
    const running = [1, 4, 10].map((n) => trialOf(n, 'RUNNING', Array(5).fill(0.1)));
    const candidate = trialOf(2, 'RUNNING', [9, 5]);
    assert.equal(auto.prune(viewOf(running, ['minimize'], NAME), candidate), false);
    const study = viewOf([...running, good(20)], ['minimize'], NAME);
    assert.equal(auto.prune(study, candidate), true);
  });

  const invalid: [object, string][] = [
    [{ minResource: 0 }, 'minResource must be an integer >= 1, but got minResource=0.'],
    [
      { minResource: 4, maxResource: 3 },
      'maxResource must be an integer >= 4, but got ' + 'maxResource=3.',
    ],
    [{ reductionFactor: 1 }, 'reductionFactor must be an integer >= 2, but got reductionFactor=1.'],
    [
      { bootstrapCount: 2 },
      'maxResource must be a number when bootstrapCount > 0, but got maxResource="auto", ' +
        'bootstrapCount=2.',
    ],
  ];
  for (const [options, message] of invalid) {
    it(`rejects ${JSON.stringify(options)} in the constructor`, () => {
      const expected = new ValueError(`HyperbandPruner: ${message}`);
      assert.throws(() => new HyperbandPruner(options), expected);
    });
  }
});
