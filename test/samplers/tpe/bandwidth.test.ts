import '../../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Random } from '../../../src/random.js';
import { argsortStable, bandwidths, jointBandwidth } from '../../../src/samplers/tpe/bandwidth.js';

const JOINT = {
  low: 0,
  high: 10,
  step: 0,
  prior: true,
  considerEndpoints: false,
  considerMagicClip: true,
  jointDims: 3,
};

describe('joint bandwidths (Scott’s rule)', () => {
  it('is the sample standard deviation times n^(-1/(d+4))', () => {
    const mus = Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9);
    // Mean 5, squared deviations sum to 32, so the sample sd is √(32/7).
    const expected = Math.sqrt(32 / 7) * 8 ** (-1 / 7);
    for (const sigma of bandwidths(mus, JOINT)) assert.ok(Math.abs(sigma - expected) < 1e-12);
    assert.ok(Math.abs(jointBandwidth(mus, 3, 10, 9, true) - expected) < 1e-12);
  });

  it('narrows as the observations close in, down to the magic clip', () => {
    const spread = Float64Array.from({ length: 20 }, (_, i) => i / 2);
    const close = Float64Array.from({ length: 20 }, (_, i) => 5 + i / 200);
    const wide = jointBandwidth(spread, 3, 10, 21, true);
    const narrow = jointBandwidth(close, 3, 10, 21, true);
    // The spread sample's sd is about 2.96; the close one's, a hundredth of that, is clipped.
    assert.ok(Math.abs(wide - 2.958 * 20 ** (-1 / 7)) < 1e-3, `${wide}`);
    assert.equal(narrow, 10 / 22);
  });

  it('takes a uniform spread over the range while fewer than two observations tell it', () => {
    const sigma = jointBandwidth(Float64Array.of(3), 2, 10, 2, false);
    assert.ok(Math.abs(sigma - 10 / Math.sqrt(12)) < 1e-12);
  });
});

describe('argsortStable', () => {
  it('orders indices by value, ties in order of appearance, on either side of the cutover', () => {
    const random = new Random(3);
    for (const n of [0, 1, 2, 10, 32, 33, 200]) {
      // Few distinct values, so that most have ties.
      const values = Float64Array.from({ length: n }, () => random.integer(7) - 3);
      const expected = Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => values[a]! - values[b]!,
      );
      assert.deepEqual([...argsortStable(values)], expected, `n = ${n}`);
    }
  });
});
