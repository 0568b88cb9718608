import type { Distribution, InternalValue, JsonValue, ParamValue } from '../distributions/index.js';
import type { TrialState } from './state.js';

/** One intermediate value: a number, or one number per objective in multi-objective studies. */
export type IntermediateValue = number | readonly number[];

/**
 * An immutable snapshot of a trial as the store holds it.
 *
 * `params` is keyed as the store (and Optuna) sees parameters: a simplex parameter appears as
 * one float per label, `name.label`. `distributions` and `internalParams` are keyed by the
 * names passed to `suggest*`, so a simplex is one entry there: the form samplers model.
 */
export interface FrozenTrial {
  /** The store's key for this trial; users refer to trials by `number`. */
  readonly id: number;
  /** 0, 1, 2, … in the order trials were created in their study; unique and dense. */
  readonly number: number;
  readonly state: TrialState;
  /** One value per objective once COMPLETE; otherwise undefined. */
  readonly values: readonly number[] | undefined;
  /** The only value of a single-objective trial; undefined with several objectives. */
  readonly value: number | undefined;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly internalParams: ReadonlyMap<string, InternalValue>;
  /** step → value, in increasing step order. */
  readonly intermediateValues: ReadonlyMap<number, IntermediateValue>;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  readonly datetimeStart: Date | undefined;
  readonly datetimeComplete: Date | undefined;
}

/** The mutable fields a store keeps for a trial, from which snapshots are frozen. */
export interface TrialRecord {
  id: number;
  number: number;
  state: TrialState;
  values: number[] | undefined;
  distributions: Map<string, Distribution>;
  internalParams: Map<string, InternalValue>;
  intermediateValues: Map<number, IntermediateValue>;
  userAttrs: Map<string, JsonValue>;
  systemAttrs: Map<string, JsonValue>;
  datetimeStart: Date | undefined;
  datetimeComplete: Date | undefined;
}

const EMPTY_RECORD: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Builds the immutable snapshot of a record. The record can go on changing afterwards, unless
 * `final` is set: then the snapshot keeps the record's maps instead of copying them, and the
 * caller must never change the record again (stores do this when a trial finishes).
 */
export function freezeTrial(record: TrialRecord, options: { final?: boolean } = {}): FrozenTrial {
  const final = options.final ?? false;
  const values = record.values === undefined ? undefined : Object.freeze([...record.values]);
  return Object.freeze({
    id: record.id,
    number: record.number,
    state: record.state,
    values,
    value: values?.length === 1 ? values[0] : undefined,
    params: externalParams(record),
    distributions: frozenRecord(record.distributions),
    internalParams: final ? record.internalParams : new Map(record.internalParams),
    intermediateValues: sortedBySteps(record.intermediateValues, final),
    userAttrs: frozenRecord(record.userAttrs),
    systemAttrs: frozenRecord(record.systemAttrs),
    datetimeStart: record.datetimeStart,
    datetimeComplete: record.datetimeComplete,
  });
}

function externalParams(record: TrialRecord): Readonly<Record<string, ParamValue>> {
  if (record.distributions.size === 0) return EMPTY_RECORD;
  const params: Record<string, ParamValue> = {};
  for (const [name, distribution] of record.distributions) {
    const internal = record.internalParams.get(name)!;
    if (distribution.kind === 'simplex') {
      const weights = distribution.weightsOf(internal as Float64Array);
      distribution.labels.forEach((label, i) => (params[`${name}.${label}`] = weights[i]!));
    } else {
      params[name] = distribution.toExternal(internal as number);
    }
  }
  return Object.freeze(params);
}

function frozenRecord<T>(map: ReadonlyMap<string, T>): Readonly<Record<string, T>> {
  return map.size === 0 ? EMPTY_RECORD : Object.freeze(Object.fromEntries(map));
}

/** A copy of the step map in increasing step order (reports usually arrive in order). */
function sortedBySteps(
  steps: Map<number, IntermediateValue>,
  final: boolean,
): Map<number, IntermediateValue> {
  let previous = -1;
  for (const step of steps.keys()) {
    if (step < previous) return new Map([...steps].sort((a, b) => a[0] - b[0]));
    previous = step;
  }
  return final ? steps : new Map(steps);
}

/** A fresh record with nothing set. */
export function emptyTrialRecord(id: number, number: number, state: TrialState): TrialRecord {
  return {
    id,
    number,
    state,
    values: undefined,
    distributions: new Map(),
    internalParams: new Map(),
    intermediateValues: new Map(),
    userAttrs: new Map(),
    systemAttrs: new Map(),
    datetimeStart: state === 'RUNNING' ? new Date() : undefined,
    datetimeComplete: undefined,
  };
}
