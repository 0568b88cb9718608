import { describe, ValueError } from '../errors.js';
import type { SimplexWeights } from './types.js';

/**
 * Half-width of the box that log-ratio coordinates live in: ln(10⁴), so no weight is ever more
 * than 10⁴ times smaller than the last one. A weight of exactly 0 is stored as that floor.
 */
export const SIMPLEX_LOG_RATIO_BOUND = Math.log(1e4);

/** How far the weights given to {@link SimplexDistribution.toInternal} may sum from 1. */
const SUM_TOLERANCE = 1e-6;

/**
 * A point on the probability simplex over `labels`: one weight per label, non-negative and
 * summing to one. Made for loss weights λ.
 *
 * It is one parameter to samplers, which model it in k−1 additive log-ratio coordinates
 * `yᵢ = ln(wᵢ / w_k)` (Aitchison, 1982) inside the box `[−B, B]^(k−1)` with
 * `B = SIMPLEX_LOG_RATIO_BOUND`; the weights are the softmax of `(y, 0)`.
 *
 * @throws {ValueError} when labels are missing, not strings, or repeated.
 */
export class SimplexDistribution {
  readonly kind = 'simplex';
  readonly labels: readonly string[];

  constructor(labels: readonly string[]) {
    if (!Array.isArray(labels) || labels.length === 0) {
      throw new ValueError(
        `suggestSimplex: labels must be a non-empty array of strings, but got ${describe(labels)}.`,
      );
    }
    for (const label of labels) {
      if (typeof label !== 'string' || label.length === 0) {
        throw new ValueError(
          `suggestSimplex: each label must be a non-empty string, but got ${describe(label)}.`,
        );
      }
    }
    if (new Set(labels).size !== labels.length) {
      throw new ValueError(`suggestSimplex: labels must be distinct, but got ${describe(labels)}.`);
    }
    this.labels = Object.freeze([...labels]);
    Object.freeze(this);
  }

  /** Number of log-ratio coordinates: one less than the number of labels. */
  get dimension(): number {
    return this.labels.length - 1;
  }

  /** Bounds of every coordinate. */
  get low(): number {
    return -SIMPLEX_LOG_RATIO_BOUND;
  }

  get high(): number {
    return SIMPLEX_LOG_RATIO_BOUND;
  }

  single(): boolean {
    return this.labels.length === 1;
  }

  contains(internal: Float64Array): boolean {
    if (internal.length !== this.dimension) return false;
    return internal.every((y) => y >= this.low && y <= this.high);
  }

  /**
   * The log-ratio coordinates of a weight map, each clipped to the box.
   * @throws {ValueError} when a label is missing or extra, a weight is negative or not finite,
   *   or the weights do not sum to 1.
   */
  toInternal(value: unknown): Float64Array {
    const weights = this.checkWeights(value);
    const k = this.labels.length;
    const coords = new Float64Array(k - 1);
    const last = Math.log(weights[k - 1]!);
    for (let i = 0; i < k - 1; i++) coords[i] = this.clip(Math.log(weights[i]!) - last);
    return coords;
  }

  /** The weights at log-ratio coordinates (clipped to the box first). */
  toExternal(internal: Float64Array): SimplexWeights {
    const weights = this.weightsOf(internal);
    const result: Record<string, number> = {};
    this.labels.forEach((label, i) => (result[label] = weights[i]!));
    return Object.freeze(result);
  }

  /** The weights at log-ratio coordinates, in label order: a softmax of `(y, 0)`. */
  weightsOf(internal: Float64Array): Float64Array {
    const k = this.labels.length;
    const weights = new Float64Array(k);
    let max = 0;
    for (let i = 0; i < k - 1; i++) max = Math.max(max, this.clip(internal[i]!));
    let total = 0;
    for (let i = 0; i < k; i++) {
      const y = i < k - 1 ? this.clip(internal[i]!) : 0;
      weights[i] = Math.exp(y - max);
      total += weights[i]!;
    }
    for (let i = 0; i < k; i++) weights[i]! /= total;
    return weights;
  }

  equals(other: unknown): boolean {
    if (!(other instanceof SimplexDistribution)) return false;
    return (
      other.labels.length === this.labels.length &&
      other.labels.every((label, i) => label === this.labels[i])
    );
  }

  private clip(y: number): number {
    if (Number.isNaN(y)) return 0;
    return Math.min(SIMPLEX_LOG_RATIO_BOUND, Math.max(-SIMPLEX_LOG_RATIO_BOUND, y));
  }

  private checkWeights(value: unknown): Float64Array {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ValueError(
        `a simplex value must map each of ${describe(this.labels)} to a weight, ` +
          `but got ${describe(value)}.`,
      );
    }
    const record = value as Record<string, unknown>;
    const extra = Object.keys(record).filter((key) => !this.labels.includes(key));
    if (extra.length > 0) {
      throw new ValueError(
        `a simplex value may only have the labels ${describe(this.labels)}, ` +
          `but got extra ${describe(extra)}.`,
      );
    }
    const weights = new Float64Array(this.labels.length);
    let total = 0;
    this.labels.forEach((label, i) => {
      const weight = record[label];
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
        throw new ValueError(
          `simplex weight "${label}" must be a finite number >= 0, but got ${describe(weight)}.`,
        );
      }
      weights[i] = weight;
      total += weight;
    });
    if (Math.abs(total - 1) > SUM_TOLERANCE) {
      throw new ValueError(`simplex weights must sum to 1, but they sum to ${total}.`);
    }
    return weights;
  }
}
