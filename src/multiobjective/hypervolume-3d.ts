import type { Point } from './dominance.js';

/**
 * Exact 3-D hypervolume of points that all lie strictly below the reference point, in
 * O(n log n): a sweep in order of the third objective that keeps the 2-D front of the points
 * seen so far, and its area, up to date. The front is held by rank of the first objective in a
 * Fenwick tree, so finding a point's neighbours costs O(log n), and each point enters and
 * leaves the front at most once (Beume et al., 2009, with a Fenwick tree in place of a
 * balanced search tree).
 */
export function hypervolume3d(points: readonly Point[], referencePoint: Point): number {
  const n = points.length;
  const [rx, ry, rz] = [referencePoint[0]!, referencePoint[1]!, referencePoint[2]!];
  // Rank by (x, y): points of equal x come in order of y, so a front point of equal x and
  // lower y is found as a predecessor.
  const byX = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => points[a]![0]! - points[b]![0]! || points[a]![1]! - points[b]![1]! || a - b,
  );
  const rankOf = new Int32Array(n);
  byX.forEach((point, rank) => (rankOf[point] = rank));
  const byZ = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => points[a]![2]! - points[b]![2]! || a - b,
  );

  const front = new FenwickSet(n);
  let area = 0;
  let volume = 0;
  for (let t = 0; t < n; t++) {
    const i = byZ[t]!;
    area += insert(i);
    const zNext = t + 1 < n ? points[byZ[t + 1]!]![2]! : rz;
    volume += area * (zNext - points[i]![2]!);
  }
  return volume;

  /** Adds point i to the 2-D front; returns the area it adds. */
  function insert(i: number): number {
    const [x, y] = [points[i]![0]!, points[i]![1]!];
    const rank = rankOf[i]!;
    const before = front.predecessor(rank);
    let level = before < 0 ? ry : points[byX[before]!]![1]!;
    if (level <= y) return 0;
    let added = 0;
    let fromX = x;
    for (let next = front.successor(rank); ; next = front.successor(rank)) {
      if (next < 0) {
        added += (rx - fromX) * (level - y);
        break;
      }
      const point = points[byX[next]!]!;
      added += (point[0]! - fromX) * (level - y);
      if (point[1]! < y) break;
      front.remove(next);
      fromX = point[0]!;
      level = point[1]!;
    }
    front.add(rank);
    return added;
  }
}

/** A set of ranks in [0, n) with predecessor and successor queries, O(log n) each. */
class FenwickSet {
  private readonly tree: Int32Array;
  private readonly present: Uint8Array;
  private readonly topBit: number;

  constructor(private readonly n: number) {
    this.tree = new Int32Array(n + 1);
    this.present = new Uint8Array(n);
    this.topBit = n === 0 ? 0 : 1 << Math.floor(Math.log2(n));
  }

  add(rank: number): void {
    this.present[rank] = 1;
    for (let i = rank + 1; i <= this.n; i += i & -i) this.tree[i]!++;
  }

  remove(rank: number): void {
    this.present[rank] = 0;
    for (let i = rank + 1; i <= this.n; i += i & -i) this.tree[i]!--;
  }

  /** The largest member below `rank`, or −1. */
  predecessor(rank: number): number {
    const count = this.countBelow(rank);
    return count === 0 ? -1 : this.kth(count);
  }

  /** The smallest member above `rank`, or −1. */
  successor(rank: number): number {
    const count = this.countBelow(rank + 1);
    return count >= this.countBelow(this.n) ? -1 : this.kth(count + 1);
  }

  /** Members with rank < r. */
  private countBelow(r: number): number {
    let total = 0;
    for (let i = r; i > 0; i -= i & -i) total += this.tree[i]!;
    return total;
  }

  /** The k-th smallest member (1-based), by binary lifting. */
  private kth(k: number): number {
    let position = 0;
    let remaining = k;
    for (let bit = this.topBit; bit > 0; bit >>= 1) {
      const next = position + bit;
      if (next <= this.n && this.tree[next]! < remaining) {
        position = next;
        remaining -= this.tree[next]!;
      }
    }
    return position;
  }
}
