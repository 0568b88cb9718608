import type { StudyDirection } from '../trial/index.js';

/** A point of objective values; any array-like of numbers. */
export type Point = ArrayLike<number>;

/**
 * The points in minimization form: each maximized objective negated. O(n·m). The callers'
 * arrays are not changed.
 */
export function toMinimization(
  points: readonly Point[],
  directions: readonly StudyDirection[],
): Float64Array[] {
  return points.map((point) => {
    const out = new Float64Array(directions.length);
    for (let k = 0; k < directions.length; k++) {
      out[k] = directions[k] === 'maximize' ? -point[k]! : point[k]!;
    }
    return out;
  });
}

/**
 * Whether `a` dominates `b` in minimization form: no worse in every objective and better in
 * at least one. Equal points do not dominate each other. O(m).
 */
export function dominates(a: Point, b: Point): boolean {
  let better = false;
  for (let k = 0; k < a.length; k++) {
    if (a[k]! > b[k]!) return false;
    if (a[k]! < b[k]!) better = true;
  }
  return better;
}
