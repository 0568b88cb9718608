import '../helpers.js';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import {
  crowdingDistance,
  dominates,
  nonDominatedSort,
  paretoFront,
  toMinimization,
  ValueError,
  type StudyDirection,
} from '../../src/index.js';

const MIN2: StudyDirection[] = ['minimize', 'minimize'];

/** Ranks by repeated O(n²) peeling: the definition itself. */
function referenceRanks(points: number[][], directions: StudyDirection[]): number[] {
  const minimized = toMinimization(points, directions);
  const ranks = points.map(() => -1);
  for (let rank = 0; ranks.includes(-1); rank++) {
    const left = ranks.flatMap((r, i) => (r === -1 ? [i] : []));
    const front = left.filter((i) => !left.some((j) => dominates(minimized[j]!, minimized[i]!)));
    for (const i of front) ranks[i] = rank;
  }
  return ranks;
}

const directionsOf = (m: number) =>
  fc.array(fc.constantFrom<StudyDirection>('minimize', 'maximize'), { minLength: m, maxLength: m });
const pointsOf = (m: number) =>
  fc.array(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: m, maxLength: m }), {
    maxLength: 30,
  });

describe('nonDominatedSort', () => {
  it('ranks a hand-made 2-D set', () => {
    const points = [
      [1, 2],
      [2, 1],
      [2, 2],
      [3, 3],
      [1, 2],
      [0, 5],
    ];
    assert.deepEqual([...nonDominatedSort(points, MIN2)], [0, 0, 1, 2, 0, 0]);
  });

  it('ranks a hand-made 3-D set with a maximized objective', () => {
    const points = [
      [1, 1, 5],
      [1, 1, 4],
      [0, 2, 4],
      [2, 2, 0],
    ];
    const ranks = nonDominatedSort(points, ['minimize', 'minimize', 'maximize']);
    assert.deepEqual([...ranks], [0, 1, 0, 2]);
  });

  it('agrees with the definition for random sets of 1 to 4 objectives', () => {
    for (const m of [1, 2, 3, 4]) {
      fc.assert(
        fc.property(pointsOf(m), directionsOf(m), (points, directions) => {
          assert.deepEqual(
            [...nonDominatedSort(points, directions)],
            referenceRanks(points, directions),
          );
        }),
        { seed: m, numRuns: 100 },
      );
    }
  });

  it('gives the unranked points rank n after nStop points are ranked', () => {
    const points = [
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ];
    assert.deepEqual([...nonDominatedSort(points, MIN2, { nStop: 2 })], [0, 1, 4, 4]);
    assert.deepEqual(
      [
        ...nonDominatedSort(
          [
            [1, 1, 1],
            [2, 2, 2],
            [3, 3, 3],
          ],
          ['minimize', 'minimize', 'minimize'],
          { nStop: 1 },
        ),
      ],
      [0, 3, 3],
    );
  });

  it('rejects a point of the wrong length', () => {
    assert.throws(() => nonDominatedSort([[1]], MIN2), ValueError);
  });
});

describe('paretoFront', () => {
  it('keeps the non-dominated points and their duplicates', () => {
    assert.deepEqual(
      paretoFront(
        [
          [1, 2],
          [2, 1],
          [2, 2],
          [1, 2],
        ],
        MIN2,
      ),
      [0, 1, 3],
    );
    assert.deepEqual(
      paretoFront(
        [
          [1, 2],
          [2, 1],
        ],
        ['maximize', 'minimize'],
      ),
      [1],
    );
    assert.deepEqual(paretoFront([], MIN2), []);
  });

  it('returns a mutually non-dominated set that dominates every other point', () => {
    for (const m of [2, 3]) {
      fc.assert(
        fc.property(pointsOf(m), directionsOf(m), (points, directions) => {
          const minimized = toMinimization(points, directions);
          const front = paretoFront(points, directions);
          for (const i of front)
            for (const j of front) assert.ok(!dominates(minimized[i]!, minimized[j]!));
          points.forEach((_, i) => {
            if (front.includes(i)) return;
            assert.ok(front.some((f) => dominates(minimized[f]!, minimized[i]!)));
          });
        }),
        { seed: 7 + m, numRuns: 100 },
      );
    }
  });
});

describe('crowdingDistance', () => {
  it('gives the ends Infinity and inner points their normalized neighbour gaps', () => {
    assert.deepEqual(
      [
        ...crowdingDistance([
          [0, 2],
          [1, 1],
          [2, 0],
        ]),
      ],
      [Infinity, 2, Infinity],
    );
    assert.deepEqual(
      [
        ...crowdingDistance([
          [0, 4],
          [1, 3],
          [4, 0],
        ]),
      ],
      [Infinity, 2, Infinity],
    );
    const distances = crowdingDistance([
      [0, 4],
      [1, 3],
      [3, 1],
      [4, 0],
    ]);
    assert.deepEqual([...distances], [Infinity, 1.5, 1.5, Infinity]);
  });

  it('handles empty sets and objectives of zero range', () => {
    assert.deepEqual([...crowdingDistance([])], []);
    assert.deepEqual(
      [
        ...crowdingDistance([
          [1, 1],
          [1, 1],
          [1, 1],
        ]),
      ],
      [Infinity, 0, Infinity],
    );
  });
});
