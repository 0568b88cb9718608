import '../../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FloatDistribution, IntDistribution } from '../../../src/index.js';
import { CellMasses } from '../../../src/samplers/tpe/cell-masses.js';
import { logGaussMass } from '../../../src/samplers/tpe/normal.js';
import { EstimatorSpace } from '../../../src/samplers/tpe/space.js';

/** Asks `cells` for the mass of a kernel at every grid point, as the kernel sums do. */
function massesOnGrid(
  cells: CellMasses,
  grid: readonly number[],
  mu: number,
  sigma: number,
  half: number,
): { looked: number[]; computed: number[] } {
  const looked: number[] = [];
  const computed: number[] = [];
  for (const x of grid) {
    const lowEnd = x - half - mu;
    const highEnd = x + half - mu;
    const a = lowEnd * (1 / sigma);
    const b = highEnd * (1 / sigma);
    looked.push(cells.logMass(sigma, lowEnd, highEnd, a, b));
    computed.push(logGaussMass(a, b));
  }
  return { looked, computed };
}

describe('CellMasses', () => {
  for (const [name, distribution] of [
    ['an int', new IntDistribution(1, 100)],
    ['an int with step 5', new IntDistribution(0, 100, { step: 5 })],
    ['a float with step 0.1', new FloatDistribution(0, 3, { step: 0.1 })],
  ] as const) {
    it(`gives ${name} the masses that computing them gives, to the bit`, () => {
      const [dim] = new EstimatorSpace([['x', distribution]]).dims;
      const { low, high, step } = dim!;
      const grid = Array.from({ length: CellMasses.size(dim!) / 2 + 0.5 }, (_, i) =>
        distribution.kind === 'int' ? low + i * step : Number((low + i * step).toFixed(10)),
      );
      assert.equal(grid.at(-1), high);
      const table = new Float64Array(CellMasses.size(dim!)).fill(Number.NaN);
      const sigma = 1.7 * step;
      const cells = new CellMasses(dim!, sigma, table);
      // Twice over: the second pass reads what the first stored.
      for (let pass = 0; pass < 2; pass++) {
        for (const mu of [grid[0]!, grid[7]!, grid.at(-1)!]) {
          const { looked, computed } = massesOnGrid(cells, grid, mu, sigma, step / 2);
          assert.deepEqual(looked, computed);
          // Another width is computed, never read from this width's table.
          const other = massesOnGrid(cells, grid, mu, 2.5 * step, step / 2);
          assert.deepEqual(other.looked, other.computed);
        }
      }
      const stored = table.filter((v) => !Number.isNaN(v)).length;
      if (distribution.kind === 'int') {
        // Every offset from the three means, on an exact grid.
        assert.ok(stored > grid.length, `${stored} entries stored`);
      } else {
        // Ends such as 0.7 − 0.05 − 0.3 are not exact in binary: those are computed instead.
        assert.ok(stored < table.length, `${stored} of ${table.length} entries stored`);
      }
    });
  }
});
