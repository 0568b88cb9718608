import '../../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FloatDistribution, IntDistribution } from '../../../src/index.js';
import { cellMassTable } from '../../../src/samplers/tpe/kernel-sums.js';
import { logGaussMass } from '../../../src/samplers/tpe/normal.js';
import { EstimatorSpace } from '../../../src/samplers/tpe/space.js';

describe('cellMassTable', () => {
  for (const [name, distribution] of [
    ['an int', new IntDistribution(1, 100)],
    ['an int with step 5', new IntDistribution(0, 100, { step: 5 })],
    ['a float with step 0.1', new FloatDistribution(0, 3, { step: 0.1 })],
  ] as const) {
    it(`holds the log mass of every cell offset of ${name}, to the bit`, () => {
      const [dim] = new EstimatorSpace([['x', distribution]]).dims;
      const { step } = dim!;
      const gridSize = Math.round((dim!.high - dim!.low) / step) + 1;
      for (const sigma of [0.3 * step, 2.7 * step, 0.4 * gridSize * step]) {
        const table = cellMassTable(dim!, sigma, 10, 11)!;
        assert.equal(table.gridSize, gridSize);
        assert.equal(table.logMass.length, 2 * gridSize - 1);
        const inv = 1 / sigma;
        for (let k = -(gridSize - 1); k < gridSize; k++) {
          const center = k * step;
          const direct = logGaussMass((center - step / 2) * inv, (center + step / 2) * inv);
          assert.ok(
            Object.is(table.logMass[k + gridSize - 1], direct),
            `offset ${k}, sigma ${sigma}: ${table.logMass[k + gridSize - 1]} against ${direct}`,
          );
        }
      }
    });
  }
});
