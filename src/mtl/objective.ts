import { join } from 'node:path';

import { TrialPruned, ValueError, type Trial } from '../index.js';
import { initBackend, type BackendRequest } from './backend.js';
import { CHECKPOINT_ATTR, saveCheckpoint, saveParetoCheckpoint } from './checkpoint.js';
import type { MultiTaskDataset } from './data/dataset.js';
import type { BitWidth } from './compress.js';
import type { Activation } from './model.js';
import { trainMultiTask, type Metrics, type TrainConfig } from './train.js';

/** Which checkpoints a study keeps: every finished trial's, the Pareto front's, or none. */
export type KeepCheckpoints = 'all' | 'pareto' | 'none';

/**
 * The search space of {@link suggestTrainConfig}. Every key given in `fixed` is used as is
 * and not suggested.
 */
export interface SearchSpaceOptions {
  /** Values to use instead of suggesting them. */
  fixed?: Partial<TrainConfig>;
  /** Whether to tune pruning sparsity and bit width. Default false (32 bits, dense). */
  compression?: boolean;
}

/**
 * Draws a training configuration from a trial: `learningRate` (1e-4..1e-2, log), `width`
 * (16..256, log), `depth` (1..3), `dropout` (0..0.5), `activation`, `lossWeights` (a simplex
 * over the tasks, named `lambda`), and with `compression` also `sparsity` (0..0.9) and `bits`
 * (32, 16, 8). `epochs` defaults to 5, `batchSize` to 64, `seed` to the trial number.
 */
export function suggestTrainConfig(
  trial: Trial,
  tasks: readonly string[],
  options: SearchSpaceOptions = {},
): TrainConfig {
  const fixed = options.fixed ?? {};
  const pick = <K extends keyof TrainConfig>(key: K, draw: () => TrainConfig[K]): TrainConfig[K] =>
    fixed[key] !== undefined ? (fixed[key] as TrainConfig[K]) : draw();
  const compress = options.compression ?? false;
  return {
    learningRate: pick('learningRate', () =>
      trial.suggestFloat('learningRate', 1e-4, 1e-2, { log: true }),
    ),
    width: pick('width', () => trial.suggestInt('width', 16, 256, { log: true })),
    depth: pick('depth', () => trial.suggestInt('depth', 1, 3)),
    dropout: pick('dropout', () => trial.suggestFloat('dropout', 0, 0.5)),
    activation: pick('activation', () =>
      trial.suggestCategorical<Activation>('activation', ['relu', 'elu', 'tanh', 'selu']),
    ),
    lossWeights: pick('lossWeights', () => trial.suggestSimplex('lambda', tasks)),
    sparsity: pick('sparsity', () => (compress ? trial.suggestFloat('sparsity', 0, 0.9) : 0)),
    bits: pick('bits', () =>
      compress ? trial.suggestCategorical<BitWidth>('bits', [32, 16, 8]) : 32,
    ),
    epochs: fixed.epochs ?? 5,
    batchSize: fixed.batchSize ?? 64,
    seed: fixed.seed ?? trial.number,
  };
}

/** Options of {@link multiTaskObjective}. */
export interface MultiTaskObjectiveOptions extends SearchSpaceOptions {
  /** The data, or a function that loads it (called once per thread, on the first trial). */
  dataset: MultiTaskDataset | (() => MultiTaskDataset);
  /**
   * Metric names returned as the objective's values, one per study direction, e.g.
   * `['val.left', 'val.right', 'bytes']`. Each epoch reports the same names measured on the
   * validation split (a `test.T` name reports `val.T`; `bytes` reports the size of the weights
   * as they stand, shrinking as pruning proceeds); when a name has no per-epoch value
   * (`latencyMs`), the trial reports nothing and is never pruned.
   */
  objectives: readonly string[];
  /** Backend to run on; default `HPO_BACKEND`, else `'auto'`. */
  backend?: BackendRequest;
  /** Folder for checkpoints, one sub-folder per trial. Needed unless keepCheckpoints is 'none'. */
  artifactDir?: string;
  /**
   * Default `'none'`. `'pareto'` keeps the checkpoints of the trials on the Pareto front of the
   * objectives (each minimized: errors, bytes, latency) and deletes a trial's checkpoint when a
   * later trial dominates it, safely with many workers (see `saveParetoCheckpoint`); a trial's
   * `checkpoint` attribute then names a folder that may since have been deleted.
   */
  keepCheckpoints?: KeepCheckpoints;
}

/**
 * An objective that trains a multi-task network per trial and returns the named metrics of
 * its compressed weights. Each epoch reports the validation figures of the objectives (one
 * number, or one per objective in a multi-objective study) and stops with `TrialPruned` when
 * the study's pruner says so. Every metric is stored in the trial's user attribute `metrics`,
 * and the checkpoint's folder in `checkpoint`.
 * @throws {ValueError} (at once) for an empty objective list or a missing artifactDir.
 */
export function multiTaskObjective(
  options: MultiTaskObjectiveOptions,
): (trial: Trial) => Promise<number[]> {
  const keep = options.keepCheckpoints ?? 'none';
  if (!Array.isArray(options.objectives) || options.objectives.length === 0) {
    throw new ValueError(
      `multiTaskObjective: objectives must name at least one metric, but got ` +
        `${String(options.objectives)}.`,
    );
  }
  if (keep !== 'none' && options.artifactDir === undefined) {
    throw new ValueError(`multiTaskObjective: keepCheckpoints="${keep}" needs artifactDir.`);
  }
  if (keep === 'pareto') refuseMaximized(options.objectives);
  let dataset: MultiTaskDataset | undefined;
  return async (trial) => {
    await initBackend(options.backend);
    dataset ??= typeof options.dataset === 'function' ? options.dataset() : options.dataset;
    const config = suggestTrainConfig(
      trial,
      dataset.tasks.map((task) => task.name),
      options,
    );
    const result = await trainMultiTask(dataset, config, {
      onEpoch: (epoch, metrics) => reportEpoch(trial, epoch, metrics, options.objectives),
      onFinished: async (network, metrics) => {
        if (keep === 'none') return;
        const metadata = { trial: trial.number, config, metrics };
        let dir: string | undefined = join(options.artifactDir!, `trial-${trial.number}`);
        if (keep === 'all') await saveCheckpoint(network, dir, metadata);
        else {
          const values = options.objectives.map((name) => pickMetric(metrics, name));
          dir = await saveParetoCheckpoint(
            network,
            options.artifactDir!,
            trial.number,
            values,
            metadata,
          );
        }
        if (dir !== undefined) trial.setUserAttr(CHECKPOINT_ATTR, dir);
      },
    });
    trial.setUserAttr('metrics', { ...result.metrics });
    return options.objectives.map((name) => pickMetric(result.metrics, name));
  };
}

/** Metrics that grow better as they grow (the rest are errors, sizes and times). */
const MAXIMIZED_METRICS: readonly string[] = ['sparsity'];

/** 'pareto' compares objectives as minimized; an objective that is better larger is refused. */
function refuseMaximized(objectives: readonly string[]): void {
  const maximized = objectives.filter((name) => MAXIMIZED_METRICS.includes(name));
  if (maximized.length > 0) {
    throw new ValueError(
      `multiTaskObjective: keepCheckpoints="pareto" compares objectives as minimized, but ` +
        `${maximized.join(', ')} is better larger; use keepCheckpoints="all" and ` +
        'keepParetoCheckpoints(study) after optimize.',
    );
  }
}

function reportEpoch(
  trial: Trial,
  epoch: number,
  metrics: Metrics,
  names: readonly string[],
): void {
  const validation = names.map((name) => metrics[name] ?? metrics[name.replace(/^test\./, 'val.')]);
  if (validation.some((value) => value === undefined)) return;
  trial.report(validation.length === 1 ? validation[0]! : (validation as number[]), epoch);
  if (trial.shouldPrune()) throw new TrialPruned(`pruned after epoch ${epoch}`);
}

function pickMetric(metrics: Metrics, name: string): number {
  const value = metrics[name];
  if (value === undefined) {
    throw new ValueError(
      `objective "${name}" is not a metric; the metrics are: ${Object.keys(metrics).join(', ')}.`,
    );
  }
  return value;
}
