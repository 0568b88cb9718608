/**
 * The code that runs inside each pool thread. A worker is one more client of the study's
 * store: it opens its own connection, asks for a trial, runs the objective and tells the
 * result itself, exactly as a separate process would.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';

import { HpoError } from '../errors.js';
import type { Pruner } from '../pruners/base.js';
import type { Sampler } from '../samplers/base.js';
import { loadStudy } from '../study/api.js';
import type { Study } from '../study/study.js';
import type { Trial } from '../study/trial.js';
import type { ObjectiveResult } from '../study/optimize.js';
import type { TrialOutcome, TrialTask } from './protocol.js';

type ObjectiveFunction = (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>;

/** Optional exports of an objective module that shape the worker's study. */
interface ObjectiveModule {
  /** Called once per worker thread; seed it per thread so workers do not propose alike. */
  createSampler?: (context: { threadId: number }) => Sampler;
  createPruner?: () => Pruner;
  [name: string]: unknown;
}

const studies = new Map<string, Promise<{ study: Study; objective: ObjectiveFunction }>>();

/** Runs one trial of `task`; the pool calls this once per trial. */
export default async function runTrialTask(task: TrialTask): Promise<TrialOutcome> {
  const key = `${task.storage}\n${task.studyName}\n${task.module}\n${task.exportName}`;
  let prepared = studies.get(key);
  if (prepared === undefined) {
    prepared = prepare(task);
    studies.set(key, prepared);
  }
  const { study, objective } = await prepared;
  let trialId = -1;
  await study.optimize(
    (trial) => {
      trialId = trial.id;
      Atomics.store(task.slot, 0, trial.id);
      Atomics.notify(task.slot, 0);
      return objective(trial);
    },
    // Every Error becomes a FAIL trial with its message stored; the study goes on.
    { nTrials: 1, catch: [Error] },
  );
  return { trialId };
}

async function prepare(task: TrialTask): Promise<{ study: Study; objective: ObjectiveFunction }> {
  const loaded = await importObjective(task.module);
  const objective = loaded[task.exportName];
  if (typeof objective !== 'function') {
    throw new HpoError(
      `the objective module ${task.module} must export a function named "${task.exportName}", ` +
        `but that export is ${objective === undefined ? 'missing' : typeof objective}.`,
    );
  }
  const study = await loadStudy({
    studyName: task.studyName,
    storage: task.storage,
    ...(loaded.createSampler ? { sampler: loaded.createSampler({ threadId }) } : {}),
    ...(loaded.createPruner ? { pruner: loaded.createPruner() } : {}),
  });
  return { study, objective: objective as ObjectiveFunction };
}

/**
 * Imports the objective's module. Under a TypeScript loader such as tsx on Node 20, the loader's
 * ESM hooks do not reach worker threads, while its CommonJS hook does (Piscina requires this
 * file through it); a `.ts` module is then required through the same hook, which also keeps
 * one copy of hpo in the thread, so `instanceof TrialPruned` holds.
 */
async function importObjective(specifier: string): Promise<ObjectiveModule> {
  try {
    return (await import(specifier)) as ObjectiveModule;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !specifier.startsWith('file:')) throw error;
    return createRequire(import.meta.url)(fileURLToPath(specifier)) as ObjectiveModule;
  }
}
