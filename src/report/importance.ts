/**
 * Parameter importance by mean decrease in impurity (MDI) of a seeded random forest of
 * regression trees, the method of Optuna's `MeanDecreaseImpurityImportanceEvaluator` and of
 * Breiman (2001): each split credits its feature with the drop in weighted variance it buys,
 * credits are normalized per tree and averaged over trees. It is cheaper than fANOVA (no
 * marginalization over the tree's cells) and sound for ranking parameters; like every MDI it
 * favours parameters with many distinct values a little, which the bootstrap softens.
 */
import { Random } from '../random.js';

/** Options of {@link forestImportance}. */
export interface ForestOptions {
  /** Trees in the forest. Default 64. */
  nTrees?: number;
  /** Deepest split level. Default 8. */
  maxDepth?: number;
  /** Fewest samples in a leaf. Default 2. */
  minSamplesLeaf?: number;
  /** Seed of the bootstrap. Default 0. */
  seed?: number;
}

/** Defaults of {@link ForestOptions}. */
export const FOREST_DEFAULTS = Object.freeze({
  nTrees: 64,
  maxDepth: 8,
  minSamplesLeaf: 2,
  seed: 0,
});

/**
 * The importance of each feature column for `target`, non-negative and summing to 1 (all
 * zeros when the target is constant or there are fewer than 2 rows).
 * @param columns - one Float64Array per feature, each of the target's length; NaN is not
 *   allowed (impute first).
 * @param target - the values to explain.
 * @returns one importance per column, in column order.
 * Complexity: O(nTrees · depth · features · n log n) for n rows.
 */
export function forestImportance(
  columns: readonly Float64Array[],
  target: Float64Array,
  options: ForestOptions = {},
): Float64Array {
  const resolved = { ...FOREST_DEFAULTS, ...options };
  const total = new Float64Array(columns.length);
  const n = target.length;
  if (n < 2 || columns.length === 0) return total;
  const random = new Random(resolved.seed);
  let nUseful = 0;
  for (let t = 0; t < resolved.nTrees; t++) {
    const sample = new Int32Array(n);
    for (let i = 0; i < n; i++) sample[i] = random.integer(n);
    const credit = new Float64Array(columns.length);
    grow(columns, target, sample, 0, resolved, credit);
    const sum = credit.reduce((a, b) => a + b, 0);
    if (sum <= 0) continue;
    nUseful++;
    for (let f = 0; f < credit.length; f++) total[f]! += credit[f]! / sum;
  }
  if (nUseful > 0) for (let f = 0; f < total.length; f++) total[f]! /= nUseful;
  return total;
}

interface Split {
  feature: number;
  threshold: number;
  gain: number;
}

/** Splits `rows` recursively, adding each split's impurity decrease to `credit`. */
function grow(
  columns: readonly Float64Array[],
  target: Float64Array,
  rows: Int32Array,
  depth: number,
  options: Required<ForestOptions>,
  credit: Float64Array,
): void {
  if (depth >= options.maxDepth || rows.length < 2 * options.minSamplesLeaf) return;
  const split = bestSplit(columns, target, rows, options.minSamplesLeaf);
  if (split === undefined) return;
  credit[split.feature]! += split.gain;
  const column = columns[split.feature]!;
  const left = rows.filter((row) => column[row]! <= split.threshold);
  const right = rows.filter((row) => column[row]! > split.threshold);
  grow(columns, target, left, depth + 1, options, credit);
  grow(columns, target, right, depth + 1, options, credit);
}

/** The split with the largest drop in summed squared error, or undefined when none helps. */
function bestSplit(
  columns: readonly Float64Array[],
  target: Float64Array,
  rows: Int32Array,
  minLeaf: number,
): Split | undefined {
  let best: Split | undefined;
  for (let f = 0; f < columns.length; f++) {
    const candidate = bestSplitOn(columns[f]!, target, rows, minLeaf);
    if (candidate !== undefined && candidate.gain > (best?.gain ?? 1e-12)) {
      best = { ...candidate, feature: f };
    }
  }
  return best;
}

function bestSplitOn(
  column: Float64Array,
  target: Float64Array,
  rows: Int32Array,
  minLeaf: number,
): { threshold: number; gain: number } | undefined {
  const order = Array.from(rows).sort((a, b) => column[a]! - column[b]! || a - b);
  const n = order.length;
  let sum = 0;
  let sumSq = 0;
  for (const row of order) {
    sum += target[row]!;
    sumSq += target[row]! ** 2;
  }
  const parentSse = sumSq - (sum * sum) / n;
  let leftSum = 0;
  let leftSq = 0;
  let best: { threshold: number; gain: number } | undefined;
  for (let i = 0; i < n - 1; i++) {
    const y = target[order[i]!]!;
    leftSum += y;
    leftSq += y * y;
    const here = column[order[i]!]!;
    const next = column[order[i + 1]!]!;
    if (i + 1 < minLeaf || n - i - 1 < minLeaf || here === next) continue;
    const rightSum = sum - leftSum;
    const leftSse = leftSq - (leftSum * leftSum) / (i + 1);
    const rightSse = sumSq - leftSq - (rightSum * rightSum) / (n - i - 1);
    const gain = parentSse - leftSse - rightSse;
    if (gain > (best?.gain ?? 0)) best = { threshold: (here + next) / 2, gain };
  }
  return best;
}
