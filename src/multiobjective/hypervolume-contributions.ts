import { ValueError } from '../errors.js';
import { dominates, type Point } from './dominance.js';
import { hypervolume } from './hypervolume.js';
import { boxVolume } from './wfg.js';

/**
 * The hypervolume contribution of each point: how much the hypervolume of the set (bounded by
 * `referencePoint`, minimization form) shrinks when that point alone is removed. Dominated
 * points and all copies of a duplicated point contribute 0; so does a point not strictly
 * below the reference point.
 *
 * Each contribution is the point's box less the hypervolume of the other points clipped to
 * that box (the WFG "limit set"), so the cost is n hypervolumes of n − 1 points: O(n² log n)
 * for two and three objectives (see {@link hypervolume}).
 *
 * @throws {ValueError} when a point's length differs from the reference point's.
 * @example hypervolumeContributions([[1, 2], [2, 1]], [3, 3]) // → Float64Array [1, 1]
 */
export function hypervolumeContributions(
  points: readonly Point[],
  referencePoint: Point,
): Float64Array {
  const m = referencePoint.length;
  for (const point of points) {
    if (point.length !== m) {
      throw new ValueError(
        `hypervolumeContributions: each point must have ${m} values (as the reference ` +
          `point), but got a point of length ${point.length}.`,
      );
    }
  }
  return contributionsByLimit(points, referencePoint);
}

function contributionsByLimit(points: readonly Point[], reference: Point): Float64Array {
  const n = points.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const point = points[i]!;
    if (!isBelow(point, reference)) continue;
    let redundant = false;
    const limited: Float64Array[] = [];
    for (let j = 0; j < n && !redundant; j++) {
      if (j === i) continue;
      const other = points[j]!;
      redundant = dominates(other, point) || sameValues(other, point);
      const limit = new Float64Array(point.length);
      for (let k = 0; k < point.length; k++) limit[k] = Math.max(point[k]!, other[k]!);
      limited.push(limit);
    }
    if (!redundant) out[i] = boxVolume(point, reference) - hypervolume(limited, reference);
  }
  return out;
}

function isBelow(point: Point, reference: Point): boolean {
  for (let k = 0; k < reference.length; k++) if (!(point[k]! < reference[k]!)) return false;
  return true;
}

function sameValues(a: Point, b: Point): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
