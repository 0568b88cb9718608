import '../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { hypervolume, hypervolumeContributions, ValueError } from '../../src/index.js';

const close = (actual: number, expected: number, tolerance = 1e-9): void =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} is not close to ${expected}`,
  );

/** Hypervolume by inclusion–exclusion over all subsets: slow, obviously right. */
function bruteForce(points: number[][], reference: number[]): number {
  const inside = points.filter((p) => p.every((v, k) => v < reference[k]!));
  let total = 0;
  for (let mask = 1; mask < 1 << inside.length; mask++) {
    const corner = reference.map(() => -Infinity);
    let size = 0;
    inside.forEach((p, i) => {
      if (mask & (1 << i)) {
        size++;
        p.forEach((v, k) => (corner[k] = Math.max(corner[k]!, v)));
      }
    });
    const box = corner.reduce((product, v, k) => product * (reference[k]! - v), 1);
    total += (size % 2 === 1 ? 1 : -1) * box;
  }
  return total;
}

const pointSets = (m: number, maxLength: number) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: m, maxLength: m }), {
    maxLength,
  });

describe('hypervolume', () => {
  const cases: [string, number[][], number[], number][] = [
    ['one 2-D point is its box', [[1, 2]], [3, 3], 2],
    [
      'a 2-D staircase',
      [
        [1, 2],
        [2, 1],
      ],
      [3, 3],
      3,
    ],
    [
      'a dominated point adds nothing',
      [
        [1, 1],
        [2, 2],
      ],
      [3, 3],
      4,
    ],
    [
      'points on or beyond the reference add nothing',
      [
        [3, 0],
        [0, 4],
      ],
      [3, 3],
      0,
    ],
    ['the empty set has none', [], [1, 1], 0],
    ['one 3-D point is its box', [[0, 0, 0]], [1, 2, 3], 6],
    [
      'three 3-D corners: 3 boxes of 2, overlaps of 1',
      [
        [0, 1, 1],
        [1, 0, 1],
        [1, 1, 0],
      ],
      [2, 2, 2],
      4,
    ],
    ['one 4-D point is its box', [[0, 0, 0, 0]], [1, 2, 3, 4], 24],
    [
      'two 4-D points',
      [
        [0, 1, 1, 1],
        [1, 0, 1, 1],
      ],
      [2, 2, 2, 2],
      3,
    ],
    ['one objective is the best gap', [[3], [1]], [4], 3],
  ];
  for (const [name, points, reference, expected] of cases) {
    it(`gives the known volume: ${name}`, () => close(hypervolume(points, reference), expected));
  }

  it('equals inclusion–exclusion for random sets in 2, 3, 4 and 5 objectives', () => {
    for (const m of [2, 3, 4, 5]) {
      fc.assert(
        fc.property(pointSets(m, 8), (points) => {
          const reference = Array(m).fill(11);
          close(hypervolume(points, reference), bruteForce(points, reference));
        }),
        { seed: m, numRuns: 60 },
      );
    }
  });

  it('never shrinks when a point is added', () => {
    for (const m of [2, 3, 4]) {
      fc.assert(
        fc.property(pointSets(m, 12), pointSets(m, 1), (points, extra) => {
          const reference = Array(m).fill(11);
          const before = hypervolume(points, reference);
          assert.ok(hypervolume([...points, ...extra], reference) >= before - 1e-9);
        }),
        { seed: 10 + m, numRuns: 60 },
      );
    }
  });

  it('does not change when a dominated point is added', () => {
    fc.assert(
      fc.property(pointSets(3, 12), fc.nat(), (points, pick) => {
        fc.pre(points.length > 0);
        const base = points[pick % points.length]!;
        const dominated = base.map((v) => v + 1);
        const reference = [11, 11, 11];
        close(hypervolume([...points, dominated], reference), hypervolume(points, reference));
      }),
      { seed: 3, numRuns: 80 },
    );
  });

  it('rejects a point whose length differs from the reference point', () => {
    assert.throws(() => hypervolume([[1, 2, 3]], [4, 4]), ValueError);
    assert.throws(() => hypervolume([[1, 2, 3]], [4, 4]), /each point must have 2 values/);
  });
});

describe('hypervolumeContributions', () => {
  it('gives each point of a 2-D staircase the rectangle between its neighbours', () => {
    assert.deepEqual(
      [
        ...hypervolumeContributions(
          [
            [1, 2],
            [2, 1],
          ],
          [3, 3],
        ),
      ],
      [1, 1],
    );
    assert.deepEqual(
      [
        ...hypervolumeContributions(
          [
            [0, 3],
            [1, 1],
            [3, 0],
          ],
          [4, 4],
        ),
      ],
      [1, 4, 1],
    );
  });

  it('gives dominated and duplicated points nothing', () => {
    assert.deepEqual(
      [
        ...hypervolumeContributions(
          [
            [1, 1],
            [2, 2],
            [1, 1],
          ],
          [3, 3],
        ),
      ],
      [0, 0, 0],
    );
    assert.deepEqual(
      [
        ...hypervolumeContributions(
          [
            [1, 1, 1],
            [2, 2, 2],
          ],
          [3, 3, 3],
        ),
      ],
      [7, 0],
    );
    assert.deepEqual(
      [
        ...hypervolumeContributions(
          [
            [0, 0],
            [1, 0],
          ],
          [11, 11],
        ),
      ],
      [11, 0],
    );
  });

  it('equals the drop in hypervolume when each point alone is removed', () => {
    for (const m of [2, 3, 4]) {
      fc.assert(
        fc.property(pointSets(m, 8), (points) => {
          const reference = Array(m).fill(11);
          const total = hypervolume(points, reference);
          const contributions = hypervolumeContributions(points, reference);
          points.forEach((_, i) => {
            const without = points.filter((__, j) => j !== i);
            close(contributions[i]!, total - hypervolume(without, reference));
          });
        }),
        { seed: 20 + m, numRuns: 40 },
      );
    }
  });
});
