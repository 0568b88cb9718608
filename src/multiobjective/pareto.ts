import type { StudyDirection } from '../trial/index.js';
import type { Point } from './dominance.js';
import { nonDominatedSort } from './non-dominated-sort.js';

/**
 * Indices of the non-dominated points, in increasing index order. A point dominates another
 * when it is no worse in every objective and better in at least one, under `directions`.
 * Duplicated points are all kept. O(n log n) for two objectives, O(n·f·m) otherwise, where f
 * is the size of the front.
 *
 * @example paretoFront([[1, 2], [2, 1], [2, 2]], ['minimize', 'minimize']) // → [0, 1]
 */
export function paretoFront(
  points: readonly Point[],
  directions: readonly StudyDirection[],
): number[] {
  const ranks = nonDominatedSort(points, directions, { nStop: 1 });
  const front: number[] = [];
  for (let i = 0; i < ranks.length; i++) if (ranks[i] === 0) front.push(i);
  return front;
}
