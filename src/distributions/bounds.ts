import { ValueError } from '../errors.js';

/** Checks that both bounds are finite numbers with `low <= high`. */
export function checkFiniteBounds(where: string, low: number, high: number): void {
  if (typeof low !== 'number' || !Number.isFinite(low)) {
    throw new ValueError(`${where}: low must be a finite number, but got low=${String(low)}.`);
  }
  if (typeof high !== 'number' || !Number.isFinite(high)) {
    throw new ValueError(`${where}: high must be a finite number, but got high=${String(high)}.`);
  }
  if (low > high) {
    throw new ValueError(`${where}: low must be <= high, but got low=${low}, high=${high}.`);
  }
}

/** The largest `low + k * step` that is not above `high` (Optuna adjusts `high` the same way). */
export function fitHighToStep(low: number, high: number, step: number): number {
  const k = Math.floor((high - low) / step + 1e-9);
  const fitted = low + k * step;
  return fitted > high ? high : fitted;
}

/** Whether `value` is `low + k * step` for an integer k, up to floating-point noise. */
export function onStepGrid(value: number, low: number, step: number): boolean {
  const k = (value - low) / step;
  return Math.abs(k - Math.round(k)) < 1e-8;
}
