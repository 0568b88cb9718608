import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import '../helpers.js';
import {
  CategoricalDistribution,
  distributionFromJson,
  distributionToJson,
  FloatDistribution,
  IntDistribution,
  SimplexDistribution,
  type Distribution,
} from '../../src/distributions/index.js';
import { ValueError } from '../../src/errors.js';

describe('FloatDistribution', () => {
  const rejected: [string, () => unknown, RegExp][] = [
    [
      'low above high',
      () => new FloatDistribution(2, 1),
      /low must be <= high, but got low=2, high=1/,
    ],
    [
      'a NaN bound',
      () => new FloatDistribution(Number.NaN, 1),
      /low must be a finite number, but got low=NaN/,
    ],
    ['an infinite bound', () => new FloatDistribution(0, Infinity), /high must be a finite number/],
    [
      'log with low 0',
      () => new FloatDistribution(0, 1, { log: true }),
      /low must be > 0 when log is true, but got low=0/,
    ],
    [
      'log with step',
      () => new FloatDistribution(1, 2, { log: true, step: 0.1 }),
      /log and step cannot be used together/,
    ],
    [
      'a zero step',
      () => new FloatDistribution(0, 1, { step: 0 }),
      /step must be a finite number > 0, but got step=0/,
    ],
  ];
  for (const [what, make, message] of rejected) {
    it(`rejects ${what} with a ValueError that names the value`, () => {
      assert.throws(
        make,
        (error: unknown) => error instanceof ValueError && message.test(error.message),
      );
    });
  }

  it('fits high down onto the step grid, as Optuna does', () => {
    assert.equal(new FloatDistribution(0, 1.05, { step: 0.1 }).high, 1);
  });

  it('snaps external values to the step grid without binary noise', () => {
    const distribution = new FloatDistribution(0, 1, { step: 0.1 });
    assert.equal(distribution.toExternal(0.29999), 0.3);
    assert.equal(distribution.contains(0.3), true);
    assert.equal(distribution.contains(0.35), false);
  });

  it('is single exactly when low equals high', () => {
    assert.equal(new FloatDistribution(3, 3).single(), true);
    assert.equal(new FloatDistribution(3, 4).single(), false);
  });
});

describe('IntDistribution', () => {
  const rejected: [string, () => unknown, RegExp][] = [
    [
      'a fractional bound',
      () => new IntDistribution(0.5, 3),
      /low and high must be integers, but got low=0.5, high=3/,
    ],
    [
      'a step of 0',
      () => new IntDistribution(0, 3, { step: 0 }),
      /step must be an integer >= 1, but got step=0/,
    ],
    [
      'log with low 0',
      () => new IntDistribution(0, 3, { log: true }),
      /low must be >= 1 when log is true, but got low=0/,
    ],
    [
      'log with step 2',
      () => new IntDistribution(1, 9, { log: true, step: 2 }),
      /log and step cannot be used together/,
    ],
  ];
  for (const [what, make, message] of rejected) {
    it(`rejects ${what}`, () => {
      assert.throws(
        make,
        (error: unknown) => error instanceof ValueError && message.test(error.message),
      );
    });
  }

  it('keeps only values on the grid low + k * step', () => {
    const distribution = new IntDistribution(1, 10, { step: 3 });
    assert.equal(distribution.high, 10);
    assert.deepEqual(
      [1, 4, 7, 10].map((v) => distribution.contains(v)),
      [true, true, true, true],
    );
    assert.equal(distribution.contains(5), false);
    assert.equal(distribution.toExternal(5.4), 4);
  });

  it('rejects a fractional value given as a parameter', () => {
    assert.throws(() => new IntDistribution(0, 3).toInternal(1.5), /needs an integer, but got 1.5/);
  });
});

describe('CategoricalDistribution', () => {
  it('maps choices to their index and back, null and booleans included', () => {
    const distribution = new CategoricalDistribution(['a', null, true, 1.5]);
    assert.deepEqual(
      ['a', null, true, 1.5].map((c) => distribution.toInternal(c)),
      [0, 1, 2, 3],
    );
    assert.equal(distribution.toExternal(1), null);
  });

  const rejected: [string, unknown, RegExp][] = [
    ['an empty list', [], /choices must be a non-empty array, but got \[\]/],
    ['an object choice', [{ a: 1 }], /each choice must be a string, number, boolean or null/],
    ['repeated choices', ['a', 'a'], /choices must be distinct/],
  ];
  for (const [what, choices, message] of rejected) {
    it(`rejects ${what}`, () => {
      assert.throws(() => new CategoricalDistribution(choices as never), message);
    });
  }

  it('rejects a value that is not a choice', () => {
    assert.throws(
      () => new CategoricalDistribution(['a']).toInternal('b'),
      /must be one of \["a"\], but got "b"/,
    );
  });
});

describe('SimplexDistribution', () => {
  const simplex = new SimplexDistribution(['left', 'right', 'sum']);

  it('has one log-ratio coordinate fewer than labels', () => {
    assert.equal(simplex.dimension, 2);
    assert.equal(simplex.toInternal({ left: 0.2, right: 0.3, sum: 0.5 }).length, 2);
  });

  it('computes additive log-ratio coordinates against the last label', () => {
    const coords = simplex.toInternal({ left: 0.25, right: 0.25, sum: 0.5 });
    assert.ok(Math.abs(coords[0]! - Math.log(0.5)) < 1e-12);
    assert.ok(Math.abs(coords[1]! - Math.log(0.5)) < 1e-12);
  });

  const rejected: [string, unknown, RegExp][] = [
    [
      'weights that do not sum to one',
      { left: 0.5, right: 0.5, sum: 0.5 },
      /must sum to 1, but they sum to 1.5/,
    ],
    [
      'a negative weight',
      { left: -0.5, right: 1, sum: 0.5 },
      /weight "left" must be a finite number >= 0, but got -0.5/,
    ],
    [
      'a missing label',
      { left: 0.5, right: 0.5 },
      /weight "sum" must be a finite number >= 0, but got undefined/,
    ],
    ['an extra label', { left: 0.5, right: 0.5, sum: 0, other: 0 }, /extra \["other"\]/],
  ];
  for (const [what, value, message] of rejected) {
    it(`rejects ${what}`, () => assert.throws(() => simplex.toInternal(value), message));
  }

  it('rejects repeated labels', () => {
    assert.throws(() => new SimplexDistribution(['a', 'a']), /labels must be distinct/);
  });

  it('stores a zero weight as the smallest weight its box allows', () => {
    const weights = simplex.toExternal(simplex.toInternal({ left: 0, right: 0.5, sum: 0.5 }));
    assert.ok(weights['left']! > 0 && weights['left']! < 1e-3);
  });
});

describe('distribution JSON', () => {
  const all: Distribution[] = [
    new FloatDistribution(1e-3, 1, { log: true }),
    new FloatDistribution(0, 1, { step: 0.25 }),
    new IntDistribution(1, 9, { step: 2 }),
    new IntDistribution(1, 64, { log: true }),
    new CategoricalDistribution(['x', null, true, 1.5]),
    new SimplexDistribution(['a', 'b']),
  ];
  for (const distribution of all) {
    it(`round-trips ${JSON.stringify(distributionToJson(distribution))}`, () => {
      const text = JSON.stringify(distributionToJson(distribution));
      assert.ok(distributionFromJson(text).equals(distribution));
    });
  }

  it('writes the exact JSON shape that Optuna 4 stores', () => {
    assert.deepEqual(distributionToJson(new FloatDistribution(0.001, 1, { log: true })), {
      name: 'FloatDistribution',
      attributes: { step: null, low: 0.001, high: 1, log: true },
    });
    assert.deepEqual(distributionToJson(new IntDistribution(1, 9, { step: 2 })), {
      name: 'IntDistribution',
      attributes: { log: false, step: 2, low: 1, high: 9 },
    });
  });

  it("reads Optuna's pre-3.0 distribution names", () => {
    const legacy = { name: 'LogUniformDistribution', attributes: { low: 0.1, high: 1 } };
    assert.ok(distributionFromJson(legacy).equals(new FloatDistribution(0.1, 1, { log: true })));
    const discrete = {
      name: 'DiscreteUniformDistribution',
      attributes: { low: 0, high: 1, q: 0.5 },
    };
    assert.ok(distributionFromJson(discrete).equals(new FloatDistribution(0, 1, { step: 0.5 })));
  });

  it('rejects an unknown distribution name', () => {
    assert.throws(
      () => distributionFromJson({ name: 'Nope', attributes: {} }),
      /unknown distribution name "Nope"/,
    );
  });
});
