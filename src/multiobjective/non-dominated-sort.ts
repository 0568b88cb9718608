import { ValueError } from '../errors.js';
import type { StudyDirection } from '../trial/index.js';
import { dominates, toMinimization, type Point } from './dominance.js';

/** Options of {@link nonDominatedSort}. */
export interface NonDominatedSortOptions {
  /**
   * Stop once at least this many points are ranked; the rest get rank `ranks.length`
   * (`n`, worse than any real rank). Default: rank every point.
   */
  nStop?: number;
}

/**
 * The non-domination rank of each point (Deb et al., 2002): 0 for the Pareto front, 1 for the
 * front of what remains, and so on. Equal points share a rank. NaN compares as worse than any
 * number.
 *
 * Complexity: O(n log n) for two objectives (a sweep with a binary search over fronts);
 * O(n·f·m) per front otherwise (each point is compared with the members of the front being
 * built), at most O(n²·m).
 *
 * @throws {ValueError} when a point does not have one value per direction.
 * @example nonDominatedSort([[1, 2], [2, 1], [2, 2], [3, 3]], ['minimize', 'minimize'])
 *   // → Int32Array [0, 0, 1, 2]
 */
export function nonDominatedSort(
  points: readonly Point[],
  directions: readonly StudyDirection[],
  options: NonDominatedSortOptions = {},
): Int32Array {
  for (const point of points) {
    if (point.length !== directions.length) {
      throw new ValueError(
        `nonDominatedSort: each point must have ${directions.length} values (one per ` +
          `direction), but got a point of length ${point.length}.`,
      );
    }
  }
  const minimized = toMinimization(points, directions).map(nanToInfinity);
  const nStop = options.nStop ?? points.length;
  return directions.length === 2
    ? sortTwoObjectives(minimized, nStop)
    : sortByPeeling(minimized, nStop);
}

function nanToInfinity(point: Float64Array): Float64Array {
  for (let k = 0; k < point.length; k++) if (Number.isNaN(point[k]!)) point[k] = Infinity;
  return point;
}

/**
 * Points in lexicographic order; a point's rank is the number of fronts that already hold a
 * point with a second value no larger (all earlier points have a first value no larger).
 * Identical points are ranked together, as they do not dominate each other.
 */
function sortTwoObjectives(points: Float64Array[], nStop: number): Int32Array {
  const n = points.length;
  const ranks = new Int32Array(n).fill(n);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => compareLex(points[a]!, points[b]!) || a - b,
  );
  // frontMin[r] is the smallest second value in front r; it never decreases with r.
  const frontMin: number[] = [];
  for (let i = 0; i < n;) {
    const first = points[order[i]!]!;
    let end = i + 1;
    while (end < n && samePoint(points[order[end]!]!, first)) end++;
    const y = first[1]!;
    let lo = 0;
    let hi = frontMin.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (frontMin[mid]! <= y) lo = mid + 1;
      else hi = mid;
    }
    frontMin[lo] = y;
    for (; i < end; i++) ranks[order[i]!] = lo;
  }
  return nStop >= n ? ranks : keepFirstFronts(ranks, nStop);
}

function samePoint(a: Float64Array, b: Float64Array): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Ranks of fronts beyond those needed to hold `nStop` points become n. */
function keepFirstFronts(ranks: Int32Array, nStop: number): Int32Array {
  const n = ranks.length;
  const counts = new Int32Array(n + 1);
  for (const rank of ranks) counts[rank]!++;
  let total = 0;
  let last = 0;
  while (last < n && total < nStop) total += counts[last++]!;
  for (let i = 0; i < n; i++) if (ranks[i]! >= last) ranks[i] = n;
  return ranks;
}

/** Repeatedly takes the non-dominated points of what is left. */
function sortByPeeling(points: Float64Array[], nStop: number): Int32Array {
  const n = points.length;
  const ranks = new Int32Array(n).fill(n);
  let remaining = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => compareLex(points[a]!, points[b]!) || a - b,
  );
  let ranked = 0;
  for (let rank = 0; remaining.length > 0 && ranked < nStop; rank++) {
    const front: number[] = [];
    const rest: number[] = [];
    // In lexicographic order a point can only be dominated by an earlier one, and a
    // dominated earlier point's dominator also dominates it, so the front built so far suffices.
    for (const i of remaining) {
      if (front.some((j) => dominates(points[j]!, points[i]!))) rest.push(i);
      else front.push(i);
    }
    for (const i of front) ranks[i] = rank;
    ranked += front.length;
    remaining = rest;
  }
  return ranks;
}

function compareLex(a: Float64Array, b: Float64Array): number {
  for (let k = 0; k < a.length; k++) {
    if (a[k]! < b[k]!) return -1;
    if (a[k]! > b[k]!) return 1;
  }
  return 0;
}
