import { describe } from '../errors.js';
import type { FrozenTrial, StudyDirection } from '../trial/index.js';

/** The first trial with the smallest (or largest) value. */
export function bestOf(
  trials: readonly FrozenTrial[],
  direction: StudyDirection,
): FrozenTrial | undefined {
  let best: FrozenTrial | undefined;
  for (const trial of trials) {
    const value = trial.values?.[0];
    if (value === undefined) continue;
    const bestValue = best?.values?.[0];
    if (
      bestValue === undefined ||
      (direction === 'minimize' ? value < bestValue : value > bestValue)
    ) {
      best = trial;
    }
  }
  return best;
}

/** Why `values` cannot be a COMPLETE trial's values, or undefined when they can. */
export function checkValues(values: unknown, nObjectives: number): string | undefined {
  const list = typeof values === 'number' ? [values] : values;
  if (!Array.isArray(list) || list.some((value) => typeof value !== 'number')) {
    return (
      `the objective must return a number or an array of numbers, but returned ` +
      `${describe(values)}.`
    );
  }
  if (list.length !== nObjectives) {
    return (
      `the study has ${nObjectives} objective${nObjectives === 1 ? '' : 's'}, so the objective ` +
      `must return ${nObjectives} value${nObjectives === 1 ? '' : 's'}, but it returned ` +
      `${list.length}: ${describe(values)}.`
    );
  }
  const bad = list.find((value: number) => !Number.isFinite(value));
  if (bad !== undefined) {
    return (
      `objective values must be finite, but the objective returned ${describe(values)}` +
      ` (${String(bad)} is not finite).`
    );
  }
  return undefined;
}
