import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import '../helpers.js';
import {
  gradualSparsity,
  magnitudeMask,
  modelBytes,
  quantizeSymmetric,
} from '../../src/mtl/compress.js';

describe('magnitude pruning', () => {
  it('zeroes the floor(s·n) smallest magnitudes, lower index first on ties', () => {
    const weights = Float32Array.from([0.5, -0.1, 0.1, 2, -3, 0]);
    assert.deepEqual([...magnitudeMask(weights, 0.5)], [1, 0, 0, 1, 1, 0]);
    assert.deepEqual([...magnitudeMask(weights, 0.34)], [1, 0, 1, 1, 1, 0]);
    assert.deepEqual([...magnitudeMask(weights, 0)], [1, 1, 1, 1, 1, 1]);
  });

  it('follows the cubic schedule from 0 to the target', () => {
    assert.equal(gradualSparsity(0.8, 0), 0);
    assert.equal(gradualSparsity(0.8, 1), 0.8);
    assert.ok(Math.abs(gradualSparsity(0.8, 0.5) - 0.8 * (1 - 0.125)) < 1e-12);
  });
});

describe('symmetric per-channel quantization', () => {
  it('maps each column onto its own grid of max|w| / 127 at 8 bits, keeping zeros', () => {
    // Kernel [2, 2], row-major: column 0 = [1.27, 0], column 1 = [-0.5, 0.26].
    const { values, scales } = quantizeSymmetric(Float32Array.from([1.27, -0.5, 0, 0.26]), 2, 2, 8);
    assert.ok(Math.abs(scales[0]! - 0.01) < 1e-7);
    assert.ok(Math.abs(scales[1]! - 0.5 / 127) < 1e-9);
    assert.equal(values[2], 0);
    assert.ok(Math.abs(values[3]! - Math.round(0.26 / (0.5 / 127)) * (0.5 / 127)) < 1e-7);
  });
});

describe('model size', () => {
  // A tiny model: kernel [4, 2] (8 weights) + bias [2].
  const kernel = (values: number[]) => ({
    role: 'kernel' as const,
    values: Float32Array.from(values),
    channels: 2,
  });
  const bias = { role: 'bias' as const, values: Float32Array.from([0.1, 0.2]), channels: 2 };
  const cases = [
    // dense float32: 8·4 bytes + bias 2·4 = 40
    { name: 'dense float32', values: [1, 2, 3, 4, 5, 6, 7, 8], bits: 32 as const, bytes: 40 },
    // 6 of 8 pruned at 32 bits: 2·32 + 8 bitmap bits = 72 bits = 9 bytes, + bias 8 = 17
    { name: '75% sparse float32', values: [0, 0, 3, 0, 0, 0, 0, 8], bits: 32 as const, bytes: 17 },
    // dense 8 bits: 8 bytes + 2 scales·4 + bias 8 = 24
    { name: 'dense 8-bit', values: [1, 2, 3, 4, 5, 6, 7, 8], bits: 8 as const, bytes: 24 },
    // 75% sparse at 8 bits: min(64, 2·8 + 8) = 24 bits = 3 bytes, + scales 8 + bias 8 = 19
    { name: '75% sparse 8-bit', values: [0, 0, 3, 0, 0, 0, 0, 8], bits: 8 as const, bytes: 19 },
    // 1 of 8 pruned at 8 bits: bitmap (7·8 + 8 = 64) is not smaller than dense (64): 8 bytes
    {
      name: 'barely sparse 8-bit keeps the dense layout',
      values: [0, 2, 3, 4, 5, 6, 7, 8],
      bits: 8 as const,
      bytes: 24,
    },
    // 16 bits dense: 16 bytes + scales 8 + bias 8 = 32
    { name: 'dense 16-bit', values: [1, 2, 3, 4, 5, 6, 7, 8], bits: 16 as const, bytes: 32 },
  ];
  for (const { name, values, bits, bytes } of cases) {
    it(`counts ${bytes} bytes for a ${name} 4×2 kernel with its bias`, () => {
      assert.equal(modelBytes([kernel(values), bias], bits), bytes);
    });
  }
});
