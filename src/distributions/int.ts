import { ValueError } from '../errors.js';
import { checkFiniteBounds, fitHighToStep, onStepGrid } from './bounds.js';

/** Options of {@link IntDistribution}. */
export interface IntOptions {
  /** Sample in log space; needs `low >= 1` and `step === 1`. Default false. */
  log?: boolean;
  /** Spacing of the allowed values, a positive integer. Default 1. */
  step?: number;
}

/**
 * An integer parameter in `[low, high]` on the grid `low + k * step`, optionally log-scaled.
 * Its internal form is the integer itself.
 *
 * @throws {ValueError} when a bound or the step is not an integer, `low > high`, `log` with
 *   `low < 1`, or `log` with a step other than 1.
 */
export class IntDistribution {
  readonly kind = 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;

  constructor(low: number, high: number, options: IntOptions = {}) {
    const { log = false, step = 1 } = options;
    checkFiniteBounds('suggestInt', low, high);
    if (!Number.isInteger(low) || !Number.isInteger(high)) {
      throw new ValueError(
        `suggestInt: low and high must be integers, but got low=${low}, high=${high}.`,
      );
    }
    if (!Number.isInteger(step) || step < 1) {
      throw new ValueError(`suggestInt: step must be an integer >= 1, but got step=${step}.`);
    }
    if (log && step !== 1) {
      throw new ValueError(
        `suggestInt: log and step cannot be used together, but got log=true, step=${step}.`,
      );
    }
    if (log && low < 1) {
      throw new ValueError(`suggestInt: low must be >= 1 when log is true, but got low=${low}.`);
    }
    this.low = low;
    this.high = fitHighToStep(low, high, step);
    this.log = log;
    this.step = step;
    Object.freeze(this);
  }

  single(): boolean {
    return this.low === this.high;
  }

  contains(internal: number): boolean {
    return (
      internal >= this.low && internal <= this.high && onStepGrid(internal, this.low, this.step)
    );
  }

  /** @throws {ValueError} when the value is not an integer. */
  toInternal(value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new ValueError(`an int parameter needs an integer, but got ${String(value)}.`);
    }
    return value;
  }

  /** The nearest allowed integer to an internal value. */
  toExternal(internal: number): number {
    const k = Math.round((internal - this.low) / this.step);
    return Math.min(this.high, Math.max(this.low, this.low + k * this.step));
  }

  equals(other: unknown): boolean {
    return (
      other instanceof IntDistribution &&
      other.low === this.low &&
      other.high === this.high &&
      other.log === this.log &&
      other.step === this.step
    );
  }
}
