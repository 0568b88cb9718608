/**
 * The shape every multi-task data set takes: one feature matrix per split and one target
 * column per task. Classification targets hold class indices; regression targets hold raw
 * values (the trainer standardizes them with the training split's mean and deviation).
 */

/** Whether a task predicts a class or a real number. */
export type TaskKind = 'classification' | 'regression';

/** One task of a data set. */
export interface TaskSpec {
  /** The task's name, used in metric names such as `val.left`. */
  readonly name: string;
  readonly kind: TaskKind;
  /** Number of classes (classification only). */
  readonly nClasses?: number;
  /** Class labels as they appeared in the source (classification only). */
  readonly labels?: readonly string[];
}

/** One split: `n` rows of `nFeatures` values, row-major, and one target column per task. */
export interface DataSplit {
  readonly n: number;
  readonly x: Float32Array;
  readonly targets: Readonly<Record<string, Float32Array>>;
}

/** A multi-task data set with disjoint train, validation and test splits. */
export interface MultiTaskDataset {
  readonly name: string;
  readonly nFeatures: number;
  readonly tasks: readonly TaskSpec[];
  readonly train: DataSplit;
  readonly validation: DataSplit;
  readonly test: DataSplit;
}

/** Fractions of the rows (or source images) kept for validation and test. */
export interface SplitFractions {
  /** Default 0.2. */
  validation?: number;
  /** Default 0.2. */
  test?: number;
}

/** A seeded Fisher–Yates permutation of 0..n-1; `uniform` returns numbers in [0, 1). */
export function permutation(n: number, uniform: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

/** Cuts `order` into train, validation and test index lists by the given fractions. */
export function cutSplits(
  order: Int32Array,
  fractions: Required<SplitFractions>,
): { train: Int32Array; validation: Int32Array; test: Int32Array } {
  const nTest = Math.round(order.length * fractions.test);
  const nValidation = Math.round(order.length * fractions.validation);
  return {
    test: order.slice(0, nTest),
    validation: order.slice(nTest, nTest + nValidation),
    train: order.slice(nTest + nValidation),
  };
}
