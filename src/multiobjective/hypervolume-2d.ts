import type { Point } from './dominance.js';

/** The 2-D sweep: in order of the first objective, each point adds a strip. O(n log n). */
export function hypervolume2d(points: readonly Point[], referencePoint: Point): number {
  const order = Array.from({ length: points.length }, (_, i) => i).sort(
    (a, b) => points[a]![0]! - points[b]![0]! || points[a]![1]! - points[b]![1]!,
  );
  let volume = 0;
  let lowestY = referencePoint[1]!;
  for (const i of order) {
    const point = points[i]!;
    if (point[1]! < lowestY) {
      volume += (referencePoint[0]! - point[0]!) * (lowestY - point[1]!);
      lowestY = point[1]!;
    }
  }
  return volume;
}
