import { hypervolume } from '../../multiobjective/hypervolume.js';
import { hypervolumeContributions } from '../../multiobjective/hypervolume-contributions.js';
import { nonDominatedSort } from '../../multiobjective/non-dominated-sort.js';
import type { FrozenTrial, StudyDirection } from '../../trial/index.js';
import { argsortStable } from './bandwidth.js';

/** Smallest weight of a good trial, as in Optuna: every good trial keeps some say. */
const EPS = 1e-12;

/** The good ("below") and bad ("above") trials of a proposal, each in trial-number order. */
export interface Split {
  readonly below: readonly FrozenTrial[];
  readonly above: readonly FrozenTrial[];
  /**
   * A weight per below trial: its hypervolume contribution (several objectives, from
   * {@link splitTrials}), or its rank weight (one objective, added by the sampler).
   */
  readonly belowWeights: Float64Array | undefined;
  /**
   * Single objective only: each below trial's place in the split's order, 0 for the best (see
   * {@link splitTrials} for the order).
   */
  readonly belowRanks: Int32Array | undefined;
}

/** What {@link splitTrials} needs besides the trials. */
export interface SplitSettings {
  readonly directions: readonly StudyDirection[];
  /** How many trials are good: gamma(n) over the finished trials. */
  readonly nBelow: number;
  /** Total constraint violation of a finished trial (> 0: infeasible); absent: no constraints. */
  readonly violation: ((trial: FrozenTrial) => number) | undefined;
}

/**
 * Splits trials into good and bad as Optuna 4.1's TPE does: the best COMPLETE feasible
 * trials first (by value, or by non-dominated rank with the last rank cut by greedy
 * hypervolume subset selection), then PRUNED ones (further steps first, then better last
 * intermediate value), then infeasible ones (smaller violation first). RUNNING trials, present
 * only under the constant liar, are always bad.
 */
export function splitTrials(given: readonly FrozenTrial[], settings: SplitSettings): Split {
  const trials = inNumberOrder(given);
  const complete: FrozenTrial[] = [];
  const pruned: FrozenTrial[] = [];
  const infeasible: FrozenTrial[] = [];
  for (const trial of trials) {
    if (trial.state === 'RUNNING')
      continue; // always bad
    else if (settings.violation !== undefined && settings.violation(trial) > 0)
      infeasible.push(trial);
    else if (trial.state === 'COMPLETE') complete.push(trial);
    else pruned.push(trial);
  }

  let nBelow = settings.nBelow;
  // 1 + the place in the split's order of each chosen trial, 0 for the others.
  const chosen = new Int32Array(trials.length);
  let nChosen = 0;
  const mark = (trial: FrozenTrial): void => {
    // Trials are in number order, so a binary search by number finds each.
    let lo = 0;
    let hi = trials.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (trials[mid]!.number < trial.number) lo = mid + 1;
      else hi = mid;
    }
    chosen[lo] = ++nChosen;
  };
  const take = (ordered: readonly FrozenTrial[]): void => {
    const n = Math.min(nBelow, ordered.length);
    for (let i = 0; i < n; i++) mark(ordered[i]!);
    nBelow -= n;
  };
  if (settings.directions.length === 1) {
    take(bestByValue(complete, settings.directions[0]!, nBelow));
  } else {
    const [good] = splitMultiObjective(
      complete,
      settings.directions,
      Math.min(nBelow, complete.length),
    );
    for (const trial of good) mark(trial);
    nBelow -= good.length;
  }
  take(sortPruned(pruned, settings.directions));
  take(sortByKey(infeasible, (trial) => settings.violation!(trial)));

  // One pass in number order instead of sorting both halves.
  const below: FrozenTrial[] = [];
  const above: FrozenTrial[] = [];
  const ranks = new Int32Array(nChosen);
  for (let i = 0; i < trials.length; i++) {
    if (chosen[i]! > 0) {
      ranks[below.length] = chosen[i]! - 1;
      below.push(trials[i]!);
    } else {
      above.push(trials[i]!);
    }
  }
  if (settings.directions.length === 1) {
    return { below, above, belowWeights: undefined, belowRanks: ranks };
  }
  const belowWeights = weightsBelow(below, settings.directions, settings.violation);
  return { below, above, belowWeights, belowRanks: undefined };
}

/** The trials by number: the snapshot's own order, checked in O(n), sorted only if not. */
function inNumberOrder(trials: readonly FrozenTrial[]): readonly FrozenTrial[] {
  for (let i = 1; i < trials.length; i++) {
    if (trials[i]!.number < trials[i - 1]!.number) {
      return [...trials].sort((a, b) => a.number - b.number);
    }
  }
  return trials;
}

/**
 * Trials (given in number order) in increasing order of a numeric key, NaN last, ties by
 * number: a native stable argsort of the keys, no comparator calls.
 */
function sortByKey(
  trials: readonly FrozenTrial[],
  key: (trial: FrozenTrial) => number,
): FrozenTrial[] {
  const keys = new Float64Array(trials.length);
  const nan: FrozenTrial[] = [];
  const rest: FrozenTrial[] = [];
  for (const trial of trials) {
    const k = key(trial);
    if (Number.isNaN(k)) nan.push(trial);
    else {
      keys[rest.length] = k;
      rest.push(trial);
    }
  }
  const order = argsortStable(keys.subarray(0, rest.length));
  const out = Array.from(order, (i) => rest[i]!);
  for (const trial of nan) out.push(trial);
  return out;
}

/**
 * The k best trials (given in number order) by value, ties by number, best first. O(n · k)
 * at worst but about O(n) in practice: few trials beat the k-th best kept so far. A large k
 * takes the full sort.
 */
function bestByValue(
  trials: readonly FrozenTrial[],
  direction: StudyDirection,
  k: number,
): FrozenTrial[] {
  const sign = direction === 'minimize' ? 1 : -1;
  const byValue = (trial: FrozenTrial): number => sign * trial.values![0]!;
  if (4 * k >= trials.length) return sortByKey(trials, byValue).slice(0, k);
  // The best so far, ascending; a later trial with an equal value ranks after.
  const keys: number[] = [];
  const kept: FrozenTrial[] = [];
  for (const trial of trials) {
    const key = byValue(trial);
    if (Number.isNaN(key)) continue;
    if (kept.length === k) {
      if (!(key < keys[k - 1]!)) continue;
      keys.pop();
      kept.pop();
    }
    let at = keys.length;
    while (at > 0 && keys[at - 1]! > key) at--;
    keys.splice(at, 0, key);
    kept.splice(at, 0, trial);
  }
  // Values are never NaN in COMPLETE trials; should fewer than k be numbers, sort them all.
  return kept.length === k ? kept : sortByKey(trials, byValue).slice(0, k);
}

/**
 * PRUNED trials: those that ran more steps first, then (single objective) the better last
 * intermediate value. A trial that reported nothing comes last.
 */
function sortPruned(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
): FrozenTrial[] {
  const sign = directions[0] === 'minimize' ? 1 : -1;
  const keyed = trials.map((trial) => {
    const steps = [...trial.intermediateValues.keys()];
    if (steps.length === 0) return { trial, step: -1, value: 0 };
    const step = Math.max(...steps);
    const last = trial.intermediateValues.get(step)!;
    const value = directions.length === 1 && typeof last === 'number' ? sign * last : 0;
    return { trial, step, value: Number.isNaN(value) ? Infinity : value };
  });
  keyed.sort((a, b) => b.step - a.step || a.value - b.value || a.trial.number - b.trial.number);
  return keyed.map(({ trial }) => trial);
}

/** Minimization-form values of COMPLETE trials. */
function lossValues(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
): Float64Array[] {
  return trials.map((trial) => {
    const out = new Float64Array(directions.length);
    for (let k = 0; k < directions.length; k++) {
      out[k] = directions[k] === 'maximize' ? -trial.values![k]! : trial.values![k]!;
    }
    return out;
  });
}

/**
 * The nBelow best trials by non-dominated rank; the rank that does not fit whole is cut by
 * greedy hypervolume subset selection, against a reference point just beyond its worst values.
 */
function splitMultiObjective(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  nBelow: number,
): [FrozenTrial[], FrozenTrial[]] {
  if (nBelow === 0) return [[], [...trials]];
  const losses = lossValues(trials, directions);
  const minimize = directions.map(() => 'minimize' as const);
  const ranks = nonDominatedSort(losses, minimize, { nStop: nBelow });
  const chosen = new Uint8Array(trials.length);
  let count = 0;
  for (let rank = 0; count < nBelow; rank++) {
    const members = [];
    for (let i = 0; i < trials.length; i++) if (ranks[i] === rank) members.push(i);
    if (count + members.length <= nBelow) {
      for (const i of members) chosen[i] = 1;
      count += members.length;
      continue;
    }
    for (const i of greedySubset(
      members.map((i) => losses[i]!),
      nBelow - count,
    ))
      chosen[members[i]!] = 1;
    count = nBelow;
  }
  const below = trials.filter((_, i) => chosen[i] === 1);
  const above = trials.filter((_, i) => chosen[i] === 0);
  return [below, above];
}

/** A reference point beyond every point: 1.1 × worst (0.9 × when negative), EPS for zero. */
function referenceBeyond(points: readonly Float64Array[]): Float64Array {
  const m = points[0]!.length;
  const reference = new Float64Array(m).fill(-Infinity);
  for (const point of points) {
    for (let k = 0; k < m; k++) reference[k] = Math.max(reference[k]!, point[k]!);
  }
  for (let k = 0; k < m; k++) {
    const worst = reference[k]!;
    reference[k] = Math.max(1.1 * worst, 0.9 * worst) || EPS;
  }
  return reference;
}

/**
 * Greedy hypervolume subset selection: k times, add the point that adds the most volume
 * (the lowest index on ties). O(k · n · HV(k)). Returns indices into `points`.
 */
function greedySubset(points: readonly Float64Array[], k: number): number[] {
  const reference = referenceBeyond(points);
  if (reference.length === 2) return greedySubset2d(points, k, reference);
  const selected: Float64Array[] = [];
  const picked: number[] = [];
  const used = new Uint8Array(points.length);
  for (let step = 0; step < k; step++) {
    let best = -1;
    let bestVolume = -Infinity;
    for (let i = 0; i < points.length; i++) {
      if (used[i] === 1) continue;
      selected.push(points[i]!);
      const volume = hypervolume(selected, reference);
      selected.pop();
      if (volume > bestVolume) [best, bestVolume] = [i, volume];
    }
    used[best] = 1;
    picked.push(best);
    selected.push(points[best]!);
  }
  return picked;
}

/**
 * {@link greedySubset} for two objectives, where the points (one non-dominated rank) form a
 * staircase: sorted by the first objective, the second decreases, so the volume a point adds
 * to a chosen subset is the rectangle between it and its chosen neighbours. O(k · n · log k).
 */
function greedySubset2d(
  points: readonly Float64Array[],
  k: number,
  reference: Float64Array,
): number[] {
  const used = new Uint8Array(points.length);
  // Chosen points' first objectives ascending, with their second objectives alongside.
  const firsts: number[] = [];
  const seconds: number[] = [];
  const picked: number[] = [];
  for (let step = 0; step < k; step++) {
    let best = -1;
    let bestGain = -Infinity;
    for (let i = 0; i < points.length; i++) {
      if (used[i] === 1) continue;
      const [f1, f2] = [points[i]![0]!, points[i]![1]!];
      let at = 0;
      while (at < firsts.length && firsts[at]! <= f1) at++;
      const right = at < firsts.length ? firsts[at]! : reference[0]!;
      const above = at > 0 ? seconds[at - 1]! : reference[1]!;
      const gain = Math.max(0, right - f1) * Math.max(0, above - f2);
      if (gain > bestGain) [best, bestGain] = [i, gain];
    }
    used[best] = 1;
    picked.push(best);
    const [f1, f2] = [points[best]![0]!, points[best]![1]!];
    let at = 0;
    while (at < firsts.length && firsts[at]! <= f1) at++;
    firsts.splice(at, 0, f1);
    seconds.splice(at, 0, f2);
  }
  return picked;
}

/**
 * MOTPE's weights of good trials (Ozaki et al., 2020): each feasible COMPLETE trial's
 * hypervolume contribution among them, divided by the largest, clipped to [EPS, 1]; EPS for
 * the rest.
 */
function weightsBelow(
  below: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
  violation: ((trial: FrozenTrial) => number) | undefined,
): Float64Array {
  const weights = new Float64Array(below.length).fill(EPS);
  const scored = below
    .map((trial, i) => ({ trial, i }))
    .filter(
      ({ trial }) =>
        trial.state === 'COMPLETE' && !(violation !== undefined && violation(trial) > 0),
    );
  if (scored.length === 1) weights[scored[0]!.i] = 1;
  if (scored.length <= 1) return weights;
  const losses = lossValues(
    scored.map(({ trial }) => trial),
    directions,
  );
  const contributions = hypervolumeContributions(losses, referenceBeyond(losses));
  let max = EPS;
  for (const c of contributions) max = Math.max(max, c);
  scored.forEach(({ i }, t) => (weights[i] = Math.min(1, Math.max(EPS, contributions[t]! / max))));
  return weights;
}
