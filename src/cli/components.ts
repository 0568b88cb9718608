/**
 * Turns the sampler and pruner of a study file into objects, through the public `hpo` entry
 * like any user. Classes are looked up by name so that a build without one (say, without
 * `GPSampler`) rejects only the study files that ask for it, with a message that says so.
 */
import * as hpo from '../index.js';
import type { Pruner, Sampler } from '../index.js';
import { UsageError } from './errors.js';

const SAMPLER_CLASSES: Readonly<Record<string, string>> = Object.freeze({
  tpe: 'TPESampler',
  random: 'RandomSampler',
  gp: 'GPSampler',
  nsga2: 'NSGAIISampler',
  qmc: 'QMCSampler',
  grid: 'GridSampler',
});

const PRUNER_CLASSES: Readonly<Record<string, string>> = Object.freeze({
  nop: 'NopPruner',
  median: 'MedianPruner',
  percentile: 'PercentilePruner',
  'successive-halving': 'SuccessiveHalvingPruner',
  hyperband: 'HyperbandPruner',
  threshold: 'ThresholdPruner',
  patient: 'PatientPruner',
  pareto: 'ParetoPruner',
});

/** A sampler or pruner as a study file gives it: a type and its constructor's options. */
export interface ComponentSpec {
  type: string;
  [option: string]: unknown;
}

type Constructor<T> = new (options: Record<string, unknown>) => T;

/** The sampler a study file asks for, or undefined for the library's default. */
export function makeSampler(spec: ComponentSpec | undefined): Sampler | undefined {
  return spec === undefined ? undefined : make<Sampler>('sampler', SAMPLER_CLASSES, spec);
}

/**
 * The pruner a study file asks for, or undefined for the library's default. A `patient`
 * pruner wraps the pruner given under its `wrapped` option.
 */
export function makePruner(spec: ComponentSpec | undefined): Pruner | undefined {
  if (spec === undefined) return undefined;
  if (spec.type === 'patient' && isSpec(spec['wrapped'])) {
    const wrapped = make<Pruner>('pruner.wrapped', PRUNER_CLASSES, spec['wrapped']);
    const { wrapped: _, type, ...options } = spec;
    return make<Pruner>('pruner', PRUNER_CLASSES, { type, ...options, wrapped });
  }
  return make<Pruner>('pruner', PRUNER_CLASSES, spec);
}

function make<T>(where: string, classes: Readonly<Record<string, string>>, spec: ComponentSpec): T {
  const { type, ...options } = spec;
  const className = classes[type];
  const found = className === undefined ? undefined : (hpo as Record<string, unknown>)[className];
  if (typeof found !== 'function') {
    throw new UsageError(
      `${where}.type: "${type}" needs ${className ?? 'a class'} that this build of hpo does ` +
        `not include; expected one of ${available(classes).join(', ')}.`,
    );
  }
  try {
    return new (found as Constructor<T>)(options);
  } catch (error) {
    throw new UsageError(`${where}: ${(error as Error).message}`);
  }
}

/** The types whose classes this build exports. */
export function available(classes: Readonly<Record<string, string>> = SAMPLER_CLASSES): string[] {
  return Object.entries(classes)
    .filter(([, name]) => typeof (hpo as Record<string, unknown>)[name] === 'function')
    .map(([type]) => `"${type}"`);
}

function isSpec(value: unknown): value is ComponentSpec {
  return (
    typeof value === 'object' && value !== null && typeof (value as ComponentSpec).type === 'string'
  );
}
