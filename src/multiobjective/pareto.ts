import type { StudyDirection } from '../trial/index.js';

/**
 * Indices of the non-dominated points, in increasing index order. A point dominates another
 * when it is no worse in every objective and better in at least one, under `directions`.
 * Duplicated points are all kept. O(n²·m) for n points of m objectives.
 */
export function paretoFront(
  points: readonly (readonly number[])[],
  directions: readonly StudyDirection[],
): number[] {
  const signs = directions.map((direction) => (direction === 'minimize' ? 1 : -1));
  const front: number[] = [];
  for (let i = 0; i < points.length; i++) {
    let dominated = false;
    for (let j = 0; j < points.length && !dominated; j++) {
      if (j !== i) dominated = dominates(points[j]!, points[i]!, signs);
    }
    if (!dominated) front.push(i);
  }
  return front;
}

/** Whether `a` dominates `b` in minimization form after multiplying by `signs`. */
function dominates(a: readonly number[], b: readonly number[], signs: readonly number[]): boolean {
  let better = false;
  for (let k = 0; k < signs.length; k++) {
    const ak = a[k]! * signs[k]!;
    const bk = b[k]! * signs[k]!;
    if (ak > bk) return false;
    if (ak < bk) better = true;
  }
  return better;
}
