/**
 * What a report shows, computed once from a study's trials: the Pareto front, the progress
 * curve, parameter importance, counts and times. Every format (HTML, Markdown, JSON, CSV)
 * renders this one object, so they never disagree.
 */
import * as hpo from '../index.js';
import type { FrozenTrial, ParamValue, StudyDirection, TrialState } from '../index.js';
import { paretoFront } from '../index.js';
import { forestImportance } from './importance.js';

/** One trial as the report sees it. */
export interface ReportTrial {
  number: number;
  state: TrialState;
  values: number[] | null;
  params: Record<string, ParamValue>;
  /** Seconds from start to completion, when both are known. */
  seconds: number | null;
  onFront: boolean;
  /** Where the trial's checkpoint was saved, when the objective recorded one. */
  checkpoint: string | null;
  userAttrs: Record<string, unknown>;
}

/** The report's data; see {@link collectReport}. */
export interface ReportData {
  studyName: string;
  directions: StudyDirection[];
  metrics: string[];
  generatedAt: string;
  trials: ReportTrial[];
  counts: Record<TrialState, number>;
  /** Summed trial durations, seconds. */
  trialSeconds: number;
  /** From the first start to the last completion, seconds. */
  wallSeconds: number;
  /** Trial numbers on the Pareto front (the best trial, for one objective). */
  front: number[];
  /** Hypervolume (several objectives) or best value (one) after each finished trial. */
  progress: { number: number; value: number }[];
  /** What `progress` measures. */
  progressKind: 'hypervolume' | 'best value';
  importance: { metric: string; param: string; importance: number }[];
  /** How importance was computed, for the reader. */
  importanceMethod: string;
}

/** Reads the metric names the CLI stores with a study, or names them by position. */
export function metricNames(attrs: Readonly<Record<string, unknown>>, count: number): string[] {
  const stored = attrs['hpo.metrics'];
  if (
    Array.isArray(stored) &&
    stored.length === count &&
    stored.every((m) => typeof m === 'string')
  ) {
    return stored as string[];
  }
  return Array.from({ length: count }, (_, i) => (count === 1 ? 'value' : `objective${i}`));
}

/** Collects the report's data from a study's trials. Pure: no I/O, no clock but `now`. */
export function collectReport(
  studyName: string,
  directions: readonly StudyDirection[],
  metrics: readonly string[],
  trials: readonly FrozenTrial[],
  now: Date = new Date(),
): ReportData {
  const complete = trials.filter((trial) => trial.state === 'COMPLETE' && trial.values);
  const frontIndices =
    directions.length === 1
      ? bestIndex(complete, directions[0]!)
      : paretoFront(
          complete.map((trial) => trial.values!),
          directions,
        );
  const front = new Set(frontIndices.map((i) => complete[i]!.number));
  const rows = trials.map((trial) => toRow(trial, front.has(trial.number)));
  return {
    studyName,
    directions: [...directions],
    metrics: [...metrics],
    generatedAt: now.toISOString(),
    trials: rows,
    counts: countStates(trials),
    ...times(trials),
    front: [...front].sort((a, b) => a - b),
    ...progressCurve(complete, directions),
    importance: importance(complete, metrics),
    importanceMethod:
      'mean decrease in impurity of a seeded random forest (64 trees, depth 8) fitted to the ' +
      'COMPLETE trials, per objective; log-scale parameters on their log, categories by index',
  };
}

function toRow(trial: FrozenTrial, onFront: boolean): ReportTrial {
  const start = trial.datetimeStart?.getTime();
  const end = trial.datetimeComplete?.getTime();
  const checkpoint = trial.userAttrs['checkpoint'] ?? trial.userAttrs['checkpointPath'];
  return {
    number: trial.number,
    state: trial.state,
    values: trial.values ? [...trial.values] : null,
    params: { ...trial.params },
    seconds: start !== undefined && end !== undefined ? (end - start) / 1000 : null,
    onFront,
    checkpoint: typeof checkpoint === 'string' ? checkpoint : null,
    userAttrs: { ...trial.userAttrs },
  };
}

function bestIndex(trials: readonly FrozenTrial[], direction: StudyDirection): number[] {
  let best = -1;
  const sign = direction === 'minimize' ? 1 : -1;
  trials.forEach((trial, i) => {
    if (best < 0 || sign * trial.values![0]! < sign * trials[best]!.values![0]!) best = i;
  });
  return best < 0 ? [] : [best];
}

function countStates(trials: readonly FrozenTrial[]): Record<TrialState, number> {
  const counts: Record<TrialState, number> = {
    COMPLETE: 0,
    PRUNED: 0,
    FAIL: 0,
    RUNNING: 0,
    WAITING: 0,
  };
  for (const trial of trials) counts[trial.state]++;
  return counts;
}

function times(trials: readonly FrozenTrial[]): { trialSeconds: number; wallSeconds: number } {
  let trialSeconds = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const trial of trials) {
    const start = trial.datetimeStart?.getTime();
    const end = trial.datetimeComplete?.getTime();
    if (start !== undefined) first = Math.min(first, start);
    if (end !== undefined) last = Math.max(last, end);
    if (start !== undefined && end !== undefined) trialSeconds += (end - start) / 1000;
  }
  return { trialSeconds, wallSeconds: last > first ? (last - first) / 1000 : 0 };
}

type Progress = Pick<ReportData, 'progress' | 'progressKind'>;

/**
 * Best value so far for one objective. For several, the hypervolume of the front so far in a
 * space normalized per objective to [0, 1] over all COMPLETE trials (so that bytes do not
 * swamp error rates), with the reference point at 1.1 in every coordinate.
 */
function progressCurve(
  complete: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
): Progress {
  const signs = directions.map((d) => (d === 'minimize' ? 1 : -1));
  const points = complete.map((trial) => trial.values!.map((v, k) => v * signs[k]!));
  if (directions.length === 1) {
    let best = Number.POSITIVE_INFINITY;
    const progress = complete.map((trial, i) => {
      best = Math.min(best, points[i]![0]!);
      return { number: trial.number, value: best * signs[0]! };
    });
    return { progress, progressKind: 'best value' };
  }
  const hypervolume = (hpo as Record<string, unknown>)['hypervolume'];
  if (typeof hypervolume !== 'function') return { progress: [], progressKind: 'hypervolume' };
  const scaled = normalize(points, directions.length);
  const reference = new Array<number>(directions.length).fill(1.1);
  const minimize = directions.map(() => 'minimize' as const);
  const progress = complete.map((trial, i) => {
    const prefix = scaled.slice(0, i + 1);
    const front = paretoFront(prefix, minimize).map((j) => prefix[j]!);
    return { number: trial.number, value: hypervolume(front, reference) as number };
  });
  return { progress, progressKind: 'hypervolume' };
}

function normalize(points: readonly number[][], m: number): number[][] {
  const low = new Array<number>(m).fill(Number.POSITIVE_INFINITY);
  const high = new Array<number>(m).fill(Number.NEGATIVE_INFINITY);
  for (const point of points) {
    point.forEach((v, k) => ((low[k] = Math.min(low[k]!, v)), (high[k] = Math.max(high[k]!, v))));
  }
  return points.map((point) =>
    point.map((v, k) => (high[k]! > low[k]! ? (v - low[k]!) / (high[k]! - low[k]!) : 0)),
  );
}

function importance(
  complete: readonly FrozenTrial[],
  metrics: readonly string[],
): ReportData['importance'] {
  if (complete.length < 4) return [];
  const names = [...new Set(complete.flatMap((trial) => Object.keys(trial.params)))].sort();
  const columns = names.map((name) => featureColumn(complete, name));
  return metrics.flatMap((metric, k) => {
    const target = Float64Array.from(complete, (trial) => trial.values![k]!);
    const scores = forestImportance(columns, target, { seed: k });
    return names.map((param, f) => ({ metric, param, importance: scores[f]! }));
  });
}

/** One parameter as numbers: log scale where its distribution is, categories by index. */
function featureColumn(trials: readonly FrozenTrial[], name: string): Float64Array {
  const raw = trials.map((trial) => encode(trial, name));
  const present = raw.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const fill = present.length > 0 ? present[Math.floor(present.length / 2)]! : 0;
  return Float64Array.from(raw, (v) => (Number.isNaN(v) ? fill : v));
}

function encode(trial: FrozenTrial, name: string): number {
  const value = trial.params[name];
  if (value === undefined) return Number.NaN;
  const distribution = trial.distributions[name];
  if (distribution?.kind === 'categorical') return distribution.choices.indexOf(value as never);
  if (typeof value === 'number') {
    const log = distribution !== undefined && 'log' in distribution && distribution.log === true;
    return log ? Math.log(value) : value;
  }
  return typeof value === 'boolean' ? Number(value) : Number.NaN;
}
