/**
 * The objective a study file names, as a function of a trial: a user module's export, or the
 * built-in multi-task trainer. Parameters declared in the file's search space are suggested
 * before the objective runs and handed to it, so a module may read them instead of asking;
 * asking again returns the same values.
 */
import { pathToFileURL } from 'node:url';

import type { ParamValue, Trial } from '../index.js';
import { UsageError } from './errors.js';
import type { MtlObjectiveSpec, ParamSpec, StudyFile } from './study-file.js';

/** What the CLI runs for each trial. */
export type CliObjective = (trial: Trial) => Promise<number | readonly number[]>;

/** A user objective: it gets the trial and the parameters of the study file's search space. */
type UserObjective = (
  trial: Trial,
  params: Readonly<Record<string, ParamValue>>,
) => number | readonly number[] | Promise<number | readonly number[]>;

/** The part of `hpo/mtl` the CLI uses; see `src/mtl/index.ts` for the full API. */
interface MtlEntry {
  multiTaskObjective(options: {
    dataset: unknown;
    objectives: readonly string[];
    fixed: Record<string, unknown>;
    compression: boolean;
    artifactDir?: string;
    keepCheckpoints: 'all' | 'none';
  }): (trial: Trial) => Promise<number[]>;
  loadMultiDigits(options: { seed?: number }): unknown;
  loadCsvDataset(
    path: string,
    options: { tasks: { name: string; column: string; kind: string }[]; features?: string[] },
  ): unknown;
}

/** Study-file names of trainer settings, mapped to the trainer's own (`TrainConfig`). */
const TRAINER_KEYS: Readonly<Record<string, string>> = Object.freeze({
  lr: 'learningRate',
  learningRate: 'learningRate',
  lambda: 'lossWeights',
  width: 'width',
  depth: 'depth',
  dropout: 'dropout',
  activation: 'activation',
  sparsity: 'sparsity',
  bits: 'bits',
});

/** Readable metric names of study files, mapped to the trainer's (`val.TASK`, `bytes`). */
export function trainerMetric(name: string): string {
  const task = /^(.+)\.error$/.exec(name);
  if (task !== null) return `val.${task[1]}`;
  if (name === 'model.bytes') return 'bytes';
  if (name === 'model.latency') return 'latencyMs';
  return name;
}

/** Suggests every parameter of a search space on `trial`; a simplex comes back as weights. */
export function suggestAll(
  trial: Trial,
  space: Readonly<Record<string, ParamSpec>> | undefined,
): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(space ?? {})) {
    params[name] = suggestOne(trial, name, spec);
  }
  return params;
}

function suggestOne(trial: Trial, name: string, spec: ParamSpec): ParamValue {
  switch (spec.type) {
    case 'float':
      return trial.suggestFloat(name, spec.low, spec.high, { log: spec.log, step: spec.step });
    case 'int':
      return trial.suggestInt(name, spec.low, spec.high, { log: spec.log, step: spec.step });
    case 'categorical':
      return trial.suggestCategorical(name, spec.choices);
    case 'simplex':
      return trial.suggestSimplex(name, spec.labels) as ParamValue;
  }
}

/**
 * Loads the objective of a study file.
 * @throws {UsageError} when the module cannot be imported or lacks the export.
 */
export async function loadObjective(file: StudyFile): Promise<CliObjective> {
  if ('module' in file.objective) {
    const user = await importExport(file.objective.module, file.objective.exportName);
    return async (trial) => user(trial, suggestAll(trial, file.searchSpace));
  }
  return mtlObjective(file, file.objective as MtlObjectiveSpec);
}

async function importExport(path: string, exportName: string | undefined): Promise<UserObjective> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`objective.module: cannot import ${path}: ${(error as Error).message}`);
  }
  const name = exportName ?? ('objective' in namespace ? 'objective' : 'default');
  const found = namespace[name];
  if (typeof found !== 'function') {
    const names = Object.keys(namespace).filter((key) => typeof namespace[key] === 'function');
    throw new UsageError(
      `objective.exportName: ${path} must export a function named "${name}", but its ` +
        `function exports are [${names.join(', ')}].`,
    );
  }
  return found as UserObjective;
}

async function mtlObjective(file: StudyFile, spec: MtlObjectiveSpec): Promise<CliObjective> {
  const mtl = await loadTrainer();
  const unknown = Object.keys(file.searchSpace ?? {}).filter((name) => !(name in TRAINER_KEYS));
  if (unknown.length > 0) {
    throw new UsageError(
      `searchSpace: the trainer has no setting ${unknown.map((n) => `"${n}"`).join(', ')}; ` +
        `expected names among ${Object.keys(TRAINER_KEYS).join(', ')}.`,
    );
  }
  let dataset: unknown;
  const objectives = file.metrics.map(trainerMetric);
  const keep =
    spec.keepCheckpoints === undefined || spec.keepCheckpoints === 'none' ? 'none' : 'all';
  return async (trial) => {
    dataset ??= loadDataset(mtl, spec);
    const fixed: Record<string, unknown> = { epochs: spec.epochs, batchSize: spec.batchSize };
    if (spec.seed !== undefined) fixed['seed'] = spec.seed + trial.number;
    for (const [name, value] of Object.entries(suggestAll(trial, file.searchSpace))) {
      fixed[TRAINER_KEYS[name]!] = value;
    }
    const space = file.searchSpace ?? {};
    const train = mtl.multiTaskObjective({
      dataset,
      objectives,
      fixed,
      compression: 'sparsity' in space || 'bits' in space,
      artifactDir: `checkpoints/${file.name}`,
      keepCheckpoints: keep,
    });
    return train(trial);
  };
}

async function loadTrainer(): Promise<MtlEntry> {
  // A computed specifier: the trainer loads TensorFlow.js, which only this objective needs.
  const specifier = '../mtl/index.js';
  let entry: Partial<MtlEntry>;
  try {
    entry = (await import(specifier)) as Partial<MtlEntry>;
  } catch (error) {
    throw new UsageError(
      `objective.trainer: the built-in trainer (hpo/mtl) cannot be loaded: ` +
        `${(error as Error).message}`,
    );
  }
  if (typeof entry.multiTaskObjective !== 'function') {
    throw new UsageError('objective.trainer: this build of hpo/mtl has no multiTaskObjective.');
  }
  return entry as MtlEntry;
}

function loadDataset(mtl: MtlEntry, spec: MtlObjectiveSpec): unknown {
  const data = spec.dataset;
  if (data.name === 'multidigits') return mtl.loadMultiDigits({ seed: data.seed });
  const tasks = spec.tasks.map((task) => ({
    name: task.name,
    column: task.target ?? task.name,
    kind: task.kind ?? 'classification',
  }));
  return mtl.loadCsvDataset(data.path, { tasks, features: data.features });
}
