import {
  distributionFromJson,
  distributionToJson,
  FloatDistribution,
  SimplexDistribution,
  type Distribution,
  type JsonValue,
} from '../../distributions/index.js';
import {
  emptyTrialRecord,
  freezeTrial,
  type FrozenTrial,
  type TrialRecord,
  type TrialState,
} from '../../trial/index.js';
import { decodeFloat, decodeVector, fromJsonText, parseDatetime } from './codec.js';
import type { PartRow, TrialRow } from './statements.js';

/**
 * System attribute that rebuilds a simplex parameter NAME: `{labels, coords}`, the exact
 * log-ratio coordinates. Its weights are stored too, as float params `NAME.label` that
 * Optuna and its dashboard read.
 */
export const SIMPLEX_ATTR = 'hpo:simplex:';

/** System attribute holding the vector intermediate value reported at STEP. */
export const INTERMEDIATE_ATTR = 'hpo:intermediate:';

/** The distribution of each stored simplex weight: a float in [0, 1]. */
export const WEIGHT_DISTRIBUTION_JSON = JSON.stringify(
  distributionToJson(new FloatDistribution(0, 1)),
);

/** A trial read from the store, with the study it belongs to. */
export interface ReadTrial {
  readonly studyId: number;
  readonly frozen: FrozenTrial;
}

interface Pending {
  studyId: number;
  record: TrialRecord;
  /** [param_id, name, value, distribution JSON], folded once simplexes are known. */
  params: [number, string, number, string][];
  simplexes: Map<string, { labels: string[]; coords: number[] }>;
}

/**
 * Builds frozen trials from the rows of {@link Statements.pickedTrials} and
 * {@link Statements.partsByIds}. Parsed distributions are kept by their JSON text: a study
 * repeats a handful of distributions across thousands of rows.
 */
export class TrialAssembler {
  private readonly distributions = new Map<string, Distribution>();

  assemble(trialRows: readonly TrialRow[], partRows: readonly PartRow[]): ReadTrial[] {
    const pending = new Map<number, Pending>();
    for (const [id, number, state, start, complete, studyId] of trialRows) {
      const record = emptyTrialRecord(id, number, state as TrialState);
      record.datetimeStart = parseDatetime(start);
      record.datetimeComplete = parseDatetime(complete);
      pending.set(id, { studyId, record, params: [], simplexes: new Map() });
    }
    for (const part of partRows) {
      const target = pending.get(part[1]);
      if (target !== undefined) this.addPart(target, part);
    }
    return [...pending.values()].map((target) => ({
      studyId: target.studyId,
      frozen: freezeTrial(this.foldParams(target)),
    }));
  }

  private addPart(target: Pending, [kind, , order, key, num, text]: PartRow): void {
    const { record } = target;
    switch (kind) {
      case 0:
        target.params.push([order, key ?? '', num ?? NaN, text ?? '']);
        return;
      case 1:
        record.values ??= [];
        record.values[order] = decodeFloat(num, text ?? '');
        return;
      case 2:
        // A vector at this step (from a system attribute) wins over its first entry here.
        if (!record.intermediateValues.has(order)) {
          record.intermediateValues.set(order, decodeFloat(num, text ?? ''));
        }
        return;
      case 3:
        record.userAttrs.set(key ?? '', fromJsonText(text));
        return;
      case 4:
        this.addSystemAttr(target, key ?? '', fromJsonText(text));
    }
  }

  /** Keeps hpo's own attributes out of `systemAttrs`, applying what they encode. */
  private addSystemAttr(target: Pending, key: string, value: JsonValue): void {
    if (key.startsWith(SIMPLEX_ATTR)) {
      const simplex = asSimplex(value);
      if (simplex !== undefined) target.simplexes.set(key.slice(SIMPLEX_ATTR.length), simplex);
      return;
    }
    if (key.startsWith(INTERMEDIATE_ATTR)) {
      const vector = decodeVector(value);
      const step = Number(key.slice(INTERMEDIATE_ATTR.length));
      if (vector !== undefined && Number.isSafeInteger(step)) {
        target.record.intermediateValues.set(step, vector);
      }
      return;
    }
    target.record.systemAttrs.set(key, value);
  }

  /** Params in stored order; the `name.label` rows of a simplex become one simplex entry. */
  private foldParams(target: Pending): TrialRecord {
    const { record, simplexes } = target;
    const owner = new Map<string, string>();
    for (const [name, { labels }] of simplexes) {
      for (const label of labels) owner.set(`${name}.${label}`, name);
    }
    // Insertion order (param_id) is the order the objective asked for its parameters.
    target.params.sort((a, b) => a[0] - b[0]);
    for (const [, name, value, json] of target.params) {
      const simplexName = owner.get(name);
      if (simplexName === undefined) {
        record.distributions.set(name, this.distribution(json));
        record.internalParams.set(name, value);
      } else if (!record.distributions.has(simplexName)) {
        const { labels, coords } = simplexes.get(simplexName)!;
        record.distributions.set(simplexName, this.distribution(simplexJson(labels)));
        record.internalParams.set(simplexName, Float64Array.from(coords));
      }
    }
    return record;
  }

  private distribution(json: string): Distribution {
    let distribution = this.distributions.get(json);
    if (distribution === undefined) {
      distribution = distributionFromJson(json);
      this.distributions.set(json, distribution);
    }
    return distribution;
  }
}

function simplexJson(labels: readonly string[]): string {
  return JSON.stringify(distributionToJson(new SimplexDistribution(labels)));
}

/** The `{labels, coords}` of a simplex attribute, or undefined when it is malformed. */
function asSimplex(value: JsonValue): { labels: string[]; coords: number[] } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { labels, coords } = value as { labels?: unknown; coords?: unknown };
  if (!Array.isArray(labels) || !Array.isArray(coords)) return undefined;
  if (coords.length !== labels.length - 1) return undefined;
  if (!labels.every((l) => typeof l === 'string') || !coords.every((c) => typeof c === 'number')) {
    return undefined;
  }
  return { labels: labels as string[], coords: coords as number[] };
}
