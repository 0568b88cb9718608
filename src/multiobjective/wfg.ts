import { dominates, type Point } from './dominance.js';
import { hypervolume2d } from './hypervolume-2d.js';
import { hypervolume3d } from './hypervolume-3d.js';

/**
 * Exact hypervolume by the WFG algorithm (While, Bradstreet and Barone, 2012) for points that
 * all lie strictly below the reference point: the sum over points of their exclusive
 * hypervolume, each computed from the "limit set" of the points after it. Points are taken in
 * decreasing order of the last objective, which keeps limit sets small. Worst case exponential
 * in the number of objectives; fast for the fronts TPE and reports meet.
 */
export function hypervolumeWfg(points: readonly Point[], referencePoint: Point): number {
  return wfg(nonDominated(points.map((p) => Float64Array.from(p))), referencePoint);
}

/** The hypervolume of a mutually non-dominated set. */
function wfg(points: Float64Array[], reference: Point): number {
  const m = reference.length;
  if (points.length === 0) return 0;
  if (points.length === 1) return boxVolume(points[0]!, reference);
  if (m === 2) return hypervolume2d(points, reference);
  if (m === 3) return hypervolume3d(points, reference);
  points.sort((a, b) => b[m - 1]! - a[m - 1]!);
  let volume = 0;
  for (let i = 0; i < points.length; i++) volume += exclusive(points, i, reference);
  return volume;
}

/** The volume that point i adds to the points after it. */
export function exclusive(points: readonly Float64Array[], i: number, reference: Point): number {
  const point = points[i]!;
  const limited: Float64Array[] = [];
  for (let j = i + 1; j < points.length; j++) {
    const other = points[j]!;
    const limit = new Float64Array(point.length);
    for (let k = 0; k < point.length; k++) limit[k] = Math.max(point[k]!, other[k]!);
    limited.push(limit);
  }
  return boxVolume(point, reference) - wfg(nonDominated(limited), reference);
}

/** The volume of the box from a point up to the reference point. */
export function boxVolume(point: Point, reference: Point): number {
  let volume = 1;
  for (let k = 0; k < reference.length; k++) volume *= reference[k]! - point[k]!;
  return volume;
}

/** The points that no other dominates, one copy of each duplicate. O(n²·m). */
function nonDominated(points: Float64Array[]): Float64Array[] {
  const kept: Float64Array[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    let drop = false;
    for (let j = 0; j < points.length && !drop; j++) {
      if (j === i) continue;
      const q = points[j]!;
      drop = dominates(q, p) || (j < i && equal(p, q));
    }
    if (!drop) kept.push(p);
  }
  return kept;
}

function equal(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
