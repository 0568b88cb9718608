import { describe, ValueError } from '../errors.js';
import { CategoricalDistribution } from './categorical.js';
import { FloatDistribution } from './float.js';
import { IntDistribution } from './int.js';
import { SimplexDistribution } from './simplex.js';
import type { CategoricalChoice } from './types.js';

/** Any parameter distribution. */
export type Distribution =
  FloatDistribution | IntDistribution | CategoricalDistribution | SimplexDistribution;

/** The distributions whose internal form is one number. */
export type ScalarDistribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** A distribution in Optuna's storage form: `{ name, attributes }`. */
export interface DistributionJson {
  name: string;
  attributes: Record<string, unknown>;
}

/** The JSON object that Optuna 4.x stores for a distribution (and hpo's simplex extension). */
export function distributionToJson(distribution: Distribution): DistributionJson {
  switch (distribution.kind) {
    case 'float': {
      const { low, high, log, step } = distribution;
      return { name: 'FloatDistribution', attributes: { step: step ?? null, low, high, log } };
    }
    case 'int': {
      const { low, high, log, step } = distribution;
      return { name: 'IntDistribution', attributes: { log, step, low, high } };
    }
    case 'categorical':
      return {
        name: 'CategoricalDistribution',
        attributes: { choices: [...distribution.choices] },
      };
    case 'simplex':
      return { name: 'SimplexDistribution', attributes: { labels: [...distribution.labels] } };
  }
}

/**
 * Reads a distribution from Optuna's JSON, including the pre-3.0 names that old stores hold
 * (UniformDistribution, LogUniformDistribution, DiscreteUniformDistribution,
 * IntUniformDistribution, IntLogUniformDistribution).
 *
 * @throws {ValueError} when the text is not one of those shapes.
 */
export function distributionFromJson(json: string | DistributionJson): Distribution {
  const parsed: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  const { name, attributes: a } = (parsed ?? {}) as { name?: unknown; attributes?: unknown };
  if (typeof name !== 'string' || typeof a !== 'object' || a === null) {
    throw new ValueError(
      `a distribution must be {"name": ..., "attributes": {...}}, but got ${describe(parsed)}.`,
    );
  }
  const attrs = a as Record<string, unknown>;
  const num = (key: string): number => Number(attrs[key]);
  const step = (key: string): number | undefined =>
    attrs[key] === null || attrs[key] === undefined ? undefined : num(key);
  switch (name) {
    case 'FloatDistribution': {
      const log = Boolean(attrs['log']);
      return new FloatDistribution(num('low'), num('high'), { log, step: step('step') });
    }
    case 'IntDistribution':
      return new IntDistribution(num('low'), num('high'), {
        log: Boolean(attrs['log']),
        step: step('step') ?? 1,
      });
    case 'CategoricalDistribution':
      return new CategoricalDistribution(attrs['choices'] as CategoricalChoice[]);
    case 'SimplexDistribution':
      return new SimplexDistribution(attrs['labels'] as string[]);
    case 'UniformDistribution':
      return new FloatDistribution(num('low'), num('high'));
    case 'LogUniformDistribution':
      return new FloatDistribution(num('low'), num('high'), { log: true });
    case 'DiscreteUniformDistribution':
      return new FloatDistribution(num('low'), num('high'), { step: num('q') });
    case 'IntUniformDistribution':
      return new IntDistribution(num('low'), num('high'), { step: step('step') ?? 1 });
    case 'IntLogUniformDistribution':
      return new IntDistribution(num('low'), num('high'), { log: true });
    default:
      throw new ValueError(`unknown distribution name ${describe(name)} in stored JSON.`);
  }
}
