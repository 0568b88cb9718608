import type { Point } from './dominance.js';

/**
 * The crowding distance of each point of a front (Deb et al., 2002): for each objective, the
 * gap between a point's two neighbours in that objective, divided by the objective's range,
 * summed over objectives. The extreme points of every objective get Infinity, so selection
 * keeps them. An objective with zero range adds nothing. O(m·n log n).
 *
 * @example crowdingDistance([[0, 2], [1, 1], [2, 0]]) // → Float64Array [Infinity, 2, Infinity]
 */
export function crowdingDistance(points: readonly Point[]): Float64Array {
  const n = points.length;
  const distances = new Float64Array(n);
  if (n === 0) return distances;
  const m = points[0]!.length;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < m; k++) {
    order.sort((a, b) => points[a]![k]! - points[b]![k]! || a - b);
    const low = points[order[0]!]![k]!;
    const high = points[order[n - 1]!]![k]!;
    distances[order[0]!] = Infinity;
    distances[order[n - 1]!] = Infinity;
    const range = high - low;
    if (!(range > 0) || !Number.isFinite(range)) continue;
    for (let t = 1; t < n - 1; t++) {
      const gap = points[order[t + 1]!]![k]! - points[order[t - 1]!]![k]!;
      distances[order[t]!]! += gap / range;
    }
  }
  return distances;
}
