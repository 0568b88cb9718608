import { describe, ValueError } from '../errors.js';

/**
 * Option checks shared by the pruners' constructors. Each throws a {@link ValueError} that
 * names the pruner, the rule and the value received, in the shape every hpo message uses.
 */

/** Throws unless `value` is a safe integer `>= min`. */
export function checkInteger(owner: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ValueError(
      `${owner}: ${name} must be an integer >= ${min}, but got ${name}=${describe(value)}.`,
    );
  }
  return value;
}

/** Throws unless `value` is a finite number in `[low, high]`. */
export function checkInRange(
  owner: string,
  name: string,
  value: unknown,
  low: number,
  high: number,
): number {
  if (typeof value !== 'number' || !(value >= low && value <= high)) {
    throw new ValueError(
      `${owner}: ${name} must be a number in [${low}, ${high}], ` +
        `but got ${name}=${describe(value)}.`,
    );
  }
  return value;
}

/** Throws unless `value` is a number that is not NaN (±Infinity allowed). */
export function checkNumber(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ValueError(
      `${owner}: ${name} must be a number (not NaN), but got ${name}=${describe(value)}.`,
    );
  }
  return value;
}

/** Throws unless `value` is a non-negative finite number. */
export function checkNonNegative(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(
      `${owner}: ${name} must be a finite number >= 0, but got ${name}=${describe(value)}.`,
    );
  }
  return value;
}

/** Rejects option keys the pruner does not know, so a misspelled option is not ignored. */
export function checkKnownKeys(owner: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') {
    throw new ValueError(
      `${owner}: options must be an object, but got options=${describe(options)}.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValueError(
        `${owner}: options must be among ${known.join(', ')}, but got ${key}=` +
          `${describe((options as Record<string, unknown>)[key])}.`,
      );
    }
  }
}
