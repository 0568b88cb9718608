/**
 * Non-dominated sorting and crowding distance for the MO-ASHA promotion rule, on points in
 * minimization form.
 *
 * TODO(issue 4): src/multiobjective/ is to export `nonDominatedSort` and `crowdingDistance`;
 * these private copies exist because those were not there when the pruners were written.
 * Switch to the shared ones once they land, keeping the NaN and tie rules stated here.
 */

/** Whether `a` dominates `b`: no worse in every objective, better in at least one. */
export function dominates(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let better = false;
  for (let k = 0; k < a.length; k++) {
    if (a[k]! > b[k]!) return false;
    if (a[k]! < b[k]!) better = true;
  }
  return better;
}

/**
 * The non-domination rank of every point: 0 for the Pareto front, 1 for the front of the
 * rest, and so on. Equal points share a rank. Callers map NaN to +Infinity first.
 * O(n²·m) for n points of m objectives.
 */
export function nonDominatedRanks(points: readonly ArrayLike<number>[]): Int32Array {
  const n = points.length;
  const dominatedBy = new Int32Array(n);
  const dominating: number[][] = points.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i]!, points[j]!)) {
        dominating[i]!.push(j);
        dominatedBy[j]!++;
      } else if (dominates(points[j]!, points[i]!)) {
        dominating[j]!.push(i);
        dominatedBy[i]!++;
      }
    }
  }
  const ranks = new Int32Array(n);
  let front = [...Array(n).keys()].filter((i) => dominatedBy[i] === 0);
  for (let rank = 0; front.length > 0; rank++) {
    const next: number[] = [];
    for (const i of front) {
      ranks[i] = rank;
      for (const j of dominating[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    }
    front = next;
  }
  return ranks;
}

/**
 * The crowding distance (NSGA-II, Deb et al. 2002) of each point of `members` within that
 * set: the sum over objectives of the gap between its two neighbours, over the set's range.
 * Extremes get +Infinity. Points are ordered by value, then by position in `members`, so
 * equal points get the same distances every time. An objective whose range is zero or not
 * finite adds nothing. Returns distances aligned with `members`.
 */
export function crowdingDistances(
  points: readonly ArrayLike<number>[],
  members: readonly number[],
): Float64Array {
  const distances = new Float64Array(members.length);
  if (members.length === 0) return distances;
  const nObjectives = points[members[0]!]!.length;
  for (let k = 0; k < nObjectives; k++) {
    const order = [...members.keys()].sort(
      (a, b) => points[members[a]!]![k]! - points[members[b]!]![k]! || a - b,
    );
    const value = (position: number) => points[members[order[position]!]!]![k]!;
    const range = value(order.length - 1) - value(0);
    distances[order[0]!] = Infinity;
    distances[order[order.length - 1]!] = Infinity;
    if (!(range > 0 && Number.isFinite(range))) continue;
    for (let p = 1; p < order.length - 1; p++) {
      distances[order[p]!]! += (value(p + 1) - value(p - 1)) / range;
    }
  }
  return distances;
}
