import { describe, ValueError } from '../errors.js';
import type { CategoricalChoice } from './types.js';

/**
 * A parameter that takes one of a list of choices (strings, numbers, booleans or null).
 * Its internal form is the index of the choice.
 *
 * @throws {ValueError} when the list is empty, holds another type, or repeats a choice.
 */
export class CategoricalDistribution {
  readonly kind = 'categorical';
  readonly choices: readonly CategoricalChoice[];

  constructor(choices: readonly CategoricalChoice[]) {
    if (!Array.isArray(choices) || choices.length === 0) {
      throw new ValueError(
        `suggestCategorical: choices must be a non-empty array, but got ${describe(choices)}.`,
      );
    }
    for (const choice of choices) {
      const type = typeof choice;
      if (choice !== null && type !== 'string' && type !== 'number' && type !== 'boolean') {
        throw new ValueError(
          'suggestCategorical: each choice must be a string, number, boolean or null, ' +
            `but got ${describe(choice)}.`,
        );
      }
    }
    if (new Set(choices).size !== choices.length) {
      throw new ValueError(
        `suggestCategorical: choices must be distinct, but got ${describe(choices)}.`,
      );
    }
    this.choices = Object.freeze([...choices]);
    Object.freeze(this);
  }

  single(): boolean {
    return this.choices.length === 1;
  }

  contains(internal: number): boolean {
    return Number.isInteger(internal) && internal >= 0 && internal < this.choices.length;
  }

  /** The index of a choice. @throws {ValueError} when it is not one of the choices. */
  toInternal(value: unknown): number {
    const index = this.choices.findIndex((choice) => Object.is(choice, value) || choice === value);
    if (index < 0) {
      throw new ValueError(
        `a categorical value must be one of ${describe(this.choices)}, but got ${describe(value)}.`,
      );
    }
    return index;
  }

  toExternal(internal: number): CategoricalChoice {
    const choice = this.choices[internal];
    if (choice === undefined) {
      throw new ValueError(
        `a categorical index must be in [0, ${this.choices.length - 1}], but got ${internal}.`,
      );
    }
    return choice;
  }

  equals(other: unknown): boolean {
    if (!(other instanceof CategoricalDistribution)) return false;
    if (other.choices.length !== this.choices.length) return false;
    return other.choices.every((choice, i) => Object.is(choice, this.choices[i]));
  }
}
