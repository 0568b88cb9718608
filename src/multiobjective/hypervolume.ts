import { ValueError } from '../errors.js';
import type { Point } from './dominance.js';
import { hypervolume2d } from './hypervolume-2d.js';
import { hypervolume3d } from './hypervolume-3d.js';
import { hypervolumeWfg } from './wfg.js';

/**
 * The hypervolume dominated by `points` and bounded by `referencePoint`: the Lebesgue measure
 * of the union of the boxes [p, r]. Points are in minimization form (negate maximized
 * objectives first); a point that does not lie strictly below the reference point in every
 * objective (NaN included) adds nothing.
 *
 * Exact. Complexity for n points of m objectives: O(n log n) for m = 2 (a sweep) and m = 3
 * (a sweep over the third objective holding the 2-D front in a Fenwick tree); the WFG
 * algorithm (While, Bradstreet and Barone, 2012) beyond, exponential in m in the worst case.
 *
 * @throws {ValueError} when a point's length differs from the reference point's.
 * @example hypervolume([[1, 2], [2, 1]], [3, 3]) // → 3
 */
export function hypervolume(points: readonly Point[], referencePoint: Point): number {
  const m = referencePoint.length;
  for (const point of points) {
    if (point.length !== m) {
      throw new ValueError(
        `hypervolume: each point must have ${m} values (as the reference point), ` +
          `but got a point of length ${point.length}.`,
      );
    }
  }
  const inside = strictlyBelow(points, referencePoint);
  if (inside.length === 0) return 0;
  if (m === 1) return referencePoint[0]! - Math.min(...inside.map((p) => p[0]!));
  if (m === 2) return hypervolume2d(inside, referencePoint);
  if (m === 3) return hypervolume3d(inside, referencePoint);
  return hypervolumeWfg(inside, referencePoint);
}

/** Copies of the points that lie strictly below the reference point in every objective. */
export function strictlyBelow(points: readonly Point[], referencePoint: Point): Float64Array[] {
  const inside: Float64Array[] = [];
  for (const point of points) {
    let below = true;
    for (let k = 0; k < referencePoint.length && below; k++) below = point[k]! < referencePoint[k]!;
    if (below) inside.push(Float64Array.from(point));
  }
  return inside;
}
