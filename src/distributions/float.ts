import { ValueError } from '../errors.js';
import { checkFiniteBounds, fitHighToStep, onStepGrid } from './bounds.js';

/** Options of {@link FloatDistribution}. */
export interface FloatOptions {
  /** Sample in log space; needs `low > 0`. Default false. */
  log?: boolean;
  /** Discretization step; values are `low + k * step`. Not combinable with `log`. */
  step?: number;
}

/**
 * A real parameter in `[low, high]`, optionally log-scaled or on a step grid. Its internal
 * form is the value itself; samplers apply the log themselves, as Optuna's do.
 *
 * @throws {ValueError} when a bound is not finite, `low > high`, `log` with `low <= 0`,
 *   `log` together with `step`, or a step that is not positive.
 */
export class FloatDistribution {
  readonly kind = 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number | undefined;

  constructor(low: number, high: number, options: FloatOptions = {}) {
    const { log = false, step } = options;
    checkFiniteBounds('suggestFloat', low, high);
    if (log && step !== undefined) {
      throw new ValueError(
        `suggestFloat: log and step cannot be used together, but got log=true, step=${step}.`,
      );
    }
    if (log && low <= 0) {
      throw new ValueError(`suggestFloat: low must be > 0 when log is true, but got low=${low}.`);
    }
    if (step !== undefined && !(Number.isFinite(step) && step > 0)) {
      throw new ValueError(`suggestFloat: step must be a finite number > 0, but got step=${step}.`);
    }
    this.low = low;
    this.high = step === undefined ? high : fitHighToStep(low, high, step);
    this.log = log;
    this.step = step;
    Object.freeze(this);
  }

  /** Whether the distribution has exactly one possible value. */
  single(): boolean {
    return this.low === this.high;
  }

  /** Whether an internal value lies in the bounds (and on the step grid when there is one). */
  contains(internal: number): boolean {
    if (!(internal >= this.low && internal <= this.high)) return false;
    return this.step === undefined || onStepGrid(internal, this.low, this.step);
  }

  /** The value to store for an external value. @throws {ValueError} when not a number. */
  toInternal(value: unknown): number {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new ValueError(`a float parameter needs a number, but got ${String(value)}.`);
    }
    return value;
  }

  /** The external value of an internal one, snapped to the step grid and clipped to bounds. */
  toExternal(internal: number): number {
    if (this.step === undefined) return Math.min(this.high, Math.max(this.low, internal));
    const k = Math.round((internal - this.low) / this.step);
    return Math.min(this.high, Math.max(this.low, roundLike(this.low + k * this.step, this.step)));
  }

  equals(other: unknown): boolean {
    return (
      other instanceof FloatDistribution &&
      other.low === this.low &&
      other.high === this.high &&
      other.log === this.log &&
      other.step === this.step
    );
  }
}

/** Removes the binary noise that `low + k * step` adds (0.30000000000000004 → 0.3). */
function roundLike(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 12);
  return decimals > 15 ? value : Number(value.toFixed(decimals));
}
