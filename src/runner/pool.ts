import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';

import { Piscina } from 'piscina';

import { describe, HpoError, UpdateFinishedTrialError, ValueError } from '../errors.js';
import { getLogger } from '../logging.js';
import { SqliteStorage } from '../storage/sqlite/index.js';
import type { OptimizeOptions } from '../study/optimize.js';
import { FAIL_REASON, type Study } from '../study/study.js';
import type { FrozenTrial } from '../trial/index.js';
import { NO_TRIAL, type TrialOutcome, type TrialTask } from './protocol.js';

const logger = getLogger('runner');

/** An objective given as a module: its export runs in worker threads. */
export interface ModuleObjective {
  /** Path (relative to the working directory), file URL or package name of the module. */
  module: string;
  /** The export holding the objective function. Default `'default'`. */
  exportName?: string;
}

interface PoolPlan {
  workers: number;
  trialTimeoutMs: number;
  nTrials: number;
  deadline: number;
}

/**
 * Runs a module objective. On a SQLite study, a Piscina pool of `workers` threads runs the
 * trials; each thread opens its own connection to the store and runs ask → objective → tell
 * itself, so threads, processes and machines share a study the same way. A trial whose worker
 * throws, exits or runs past `trialTimeout` fails alone with its reason stored, and the pool
 * replaces the worker. Aborting `signal` starts no more trials and ends the running ones, each
 * stored as FAIL with the reason. Every objective error fails only its trial (`catch` does not
 * apply: errors cannot cross threads as classes).
 *
 * An in-memory study lives in one thread: with `workers` 1 (the default) the module's export
 * runs in this thread as a plain function objective; `workers` > 1 or `trialTimeout` is refused.
 * @throws {ValueError} for bad `workers` or `trialTimeout`, or an in-memory study that needs
 *   threads.
 * @throws {HpoError} when a worker cannot start a trial at all (e.g. the export is missing).
 */
export async function runModuleObjective(
  study: Study,
  objective: ModuleObjective,
  options: OptimizeOptions,
): Promise<void> {
  const plan = resolvePlan(objective, options);
  const specifier = moduleSpecifier(objective.module);
  const exportName = objective.exportName ?? 'default';
  if (!(study.storage instanceof SqliteStorage)) {
    refuseThreads(plan, options);
    const loaded = (await import(specifier)) as Record<string, unknown>;
    const fn = loaded[exportName];
    if (typeof fn !== 'function') {
      throw new HpoError(
        `the objective module ${specifier} must export a function named "${exportName}".`,
      );
    }
    await study.optimize(fn as Parameters<Study['optimize']>[0], {
      ...options,
      workers: undefined,
    });
    return;
  }
  const storage = workerStorageUrl(study.storage);
  await runPool(
    study,
    { storage, studyName: study.studyName, module: specifier, exportName },
    plan,
    options,
  );
}

/**
 * The URL by which a worker opens the same SQLite store with the same options: absolute path,
 * busy timeout, and heartbeat interval and grace period when the store has heartbeats, so a
 * worker's trials beat and a dead worker's trial is failed as in the parent's store.
 */
export function workerStorageUrl(storage: SqliteStorage): string {
  const query = new URLSearchParams({ busyTimeout: String(storage.busyTimeout) });
  if (storage.heartbeat !== undefined) {
    query.set('heartbeatInterval', String(storage.heartbeat.intervalSeconds));
    query.set('gracePeriod', String(storage.heartbeat.gracePeriodSeconds));
  }
  return `sqlite:${resolvePath(storage.path)}?${query.toString()}`;
}

function resolvePlan(objective: ModuleObjective, options: OptimizeOptions): PoolPlan {
  const { workers = 1, trialTimeout } = options;
  if (typeof objective.module !== 'string' || objective.module.length === 0) {
    throw new ValueError(
      `optimize: module must be a non-empty string, but got ${describe(objective.module)}.`,
    );
  }
  if (!(Number.isSafeInteger(workers) && workers >= 1)) {
    throw new ValueError(
      `optimize: workers must be an integer >= 1, but got ${describe(workers)}.`,
    );
  }
  if (trialTimeout !== undefined && !(typeof trialTimeout === 'number' && trialTimeout > 0)) {
    throw new ValueError(
      `optimize: trialTimeout must be a number of seconds > 0, but got ${describe(trialTimeout)}.`,
    );
  }
  return {
    workers,
    trialTimeoutMs: trialTimeout === undefined ? Number.POSITIVE_INFINITY : trialTimeout * 1000,
    nTrials: options.nTrials ?? Number.POSITIVE_INFINITY,
    deadline:
      Date.now() +
      (options.timeout === undefined ? Number.POSITIVE_INFINITY : options.timeout * 1000),
  };
}

function refuseThreads(plan: PoolPlan, options: OptimizeOptions): void {
  if (plan.workers > 1 || options.trialTimeout !== undefined) {
    const asked =
      plan.workers > 1 ? `workers=${plan.workers}` : `trialTimeout=${options.trialTimeout}`;
    throw new ValueError(
      `optimize: ${asked} needs worker threads sharing the study's store, but this study is ` +
        'in memory, which only its own thread can see. Use a SQLite store, e.g. createStudy({ ' +
        "storage: 'sqlite:study.db' }).",
    );
  }
}

/** A file URL for paths (relative to the working directory); package names stay as they are. */
function moduleSpecifier(module: string): string {
  if (/^(file|data|node):/.test(module)) return module;
  if (/^[./]/.test(module) || /^[A-Za-z]:[\\/]/.test(module) || existsSync(module)) {
    return pathToFileURL(resolvePath(module)).href;
  }
  return module;
}

async function runPool(
  study: Study,
  base: Omit<TrialTask, 'slot'>,
  plan: PoolPlan,
  options: OptimizeOptions,
): Promise<void> {
  const pool = new Piscina({
    filename: workerFilename(),
    minThreads: plan.workers,
    maxThreads: plan.workers,
    concurrentTasksPerWorker: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    execArgv: workerExecArgv(base.module),
  });
  logger.debug(`started a pool of ${plan.workers} worker thread(s) for ${base.module}.`);
  let started = 0;
  let fatal: { error: unknown } | undefined;
  const mayStart = (): boolean =>
    fatal === undefined &&
    started < plan.nTrials &&
    Date.now() < plan.deadline &&
    !(options.signal?.aborted ?? false);
  const lane = async (): Promise<void> => {
    while (mayStart()) {
      started++;
      const result = await runOne(study, pool, base, plan, options);
      if ('error' in result) fatal ??= { error: result.error };
      else if (result.trial !== undefined) {
        for (const callback of options.callbacks ?? []) callback(study, result.trial);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: plan.workers }, lane));
  } finally {
    await pool.destroy();
  }
  if (fatal !== undefined) throw fatal.error;
}

/** Runs one trial in the pool; a trial-less failure is returned as `error` (it stops the run). */
async function runOne(
  study: Study,
  pool: Piscina,
  base: Omit<TrialTask, 'slot'>,
  plan: PoolPlan,
  options: OptimizeOptions,
): Promise<{ trial?: FrozenTrial } | { error: unknown }> {
  const task: TrialTask = {
    ...base,
    slot: new Int32Array(new SharedArrayBuffer(4)).fill(NO_TRIAL),
  };
  const controller = new AbortController();
  let stopReason: string | undefined;
  const stop = (reason: string): void => {
    stopReason ??= reason;
    controller.abort();
  };
  const timer = armTimeout(task.slot, plan.trialTimeoutMs, stop);
  const onAbort = (): void => stop('optimize was aborted while it ran');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const outcome = (await pool.run(task, { signal: controller.signal })) as TrialOutcome;
    return { trial: await study.storage.getTrial(outcome.trialId) };
  } catch (error) {
    const trialId = Atomics.load(task.slot, 0);
    if (trialId === NO_TRIAL) return stopReason === undefined ? { error } : {};
    const reason =
      stopReason ?? `its worker ended: ${error instanceof Error ? error.message : String(error)}`;
    return { trial: await failTrial(study, trialId, reason) };
  } finally {
    timer.cancel();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Starts the trial's clock when the worker has its trial (the slot changes), not when the task
 * is queued: starting a thread and loading the objective's module do not count.
 */
function armTimeout(
  slot: Int32Array,
  timeoutMs: number,
  stop: (reason: string) => void,
): { cancel: () => void } {
  if (!Number.isFinite(timeoutMs)) return { cancel: () => undefined };
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const start = (): void => {
    if (cancelled || Atomics.load(slot, 0) === NO_TRIAL) return;
    timer = setTimeout(() => stop(`it ran past trialTimeout=${timeoutMs / 1000} s`), timeoutMs);
  };
  const waiting = waitAsync(slot, 0, NO_TRIAL);
  if (waiting.async) void waiting.value.then(start);
  else start();
  return {
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
      // Wakes the waiter of a task that ended without a trial, so no promise is left pending.
      Atomics.notify(slot, 0);
    },
  };
}

/** `Atomics.waitAsync` (Node 16+), which the ES2023 library typings do not declare yet. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync: (
      array: Int32Array,
      index: number,
      value: number,
    ) => { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/** Stores FAIL with `reason` for a trial whose worker died; a trial that finished stays as is. */
async function failTrial(study: Study, trialId: number, reason: string): Promise<FrozenTrial> {
  try {
    await study.storage.setTrialSystemAttr(trialId, FAIL_REASON, reason);
    const frozen = await study.storage.setTrialState(trialId, 'FAIL');
    logger.warn(
      `Trial ${frozen.number} failed with parameters: ${JSON.stringify(frozen.params)} ` +
        `because: ${reason}.`,
    );
    return frozen;
  } catch (error) {
    if (error instanceof UpdateFinishedTrialError) return study.storage.getTrial(trialId);
    throw error;
  }
}

/** The worker entry beside this file: `.ts` when running from source (tsx), `.js` when built. */
function workerFilename(): string {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./worker.${extension}`, import.meta.url).href;
}

/**
 * Node options for the workers. They inherit this process's options, which carry a TypeScript
 * loader when one is in use; when TypeScript must load (our source or the user's module) and
 * no loader is registered, `tsx` is added if it can be found.
 */
function workerExecArgv(module: string): string[] {
  const inherited = [...process.execArgv];
  const needsTypeScript = [import.meta.url, module].some((url) => /\.[cm]?ts$/.test(url));
  if (!needsTypeScript || inherited.some((arg) => arg.includes('tsx'))) return inherited;
  try {
    return [...inherited, '--import', import.meta.resolve('tsx')];
  } catch {
    logger.warn(`no TypeScript loader found for ${module}; workers may fail to import it.`);
    return inherited;
  }
}
