import { describe, TrialPruned, UpdateFinishedTrialError, ValueError } from '../errors.js';
import { getLogger } from '../logging.js';
import type { FrozenTrial } from '../trial/index.js';
import type { Study } from './study.js';
import { checkValues } from './values.js';
import type { Trial } from './trial.js';

const logger = getLogger('optimize');

/** What an objective returns: one value per objective, or a promise of it. */
export type ObjectiveResult = number | readonly number[];

/** A function objective, or a module whose export runs in worker threads. */
export type Objective =
  | ((trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>)
  | { module: string; exportName?: string };

/** Options of `Study.optimize`. Every option is optional. */
export interface OptimizeOptions {
  /** Trials to run in this call; absent, run until `timeout` or `signal`. */
  nTrials?: number;
  /** Seconds after which no new trial starts; running ones finish. */
  timeout?: number;
  /** Trials in flight at once in this process (async objectives). Default 1. */
  concurrency?: number;
  /** Worker threads for a module objective on a shared store. */
  workers?: number;
  /** Seconds a worker trial may run before it fails. */
  trialTimeout?: number;
  /** Called after each trial finishes, in this process. */
  callbacks?: readonly ((study: Study, trial: FrozenTrial) => void)[];
  /** Aborting stops starting trials; running ones finish and are stored. */
  signal?: AbortSignal;
  /** Error classes that mark a trial FAIL and let the study go on. */
  catch?: readonly (abstract new (...args: never[]) => unknown)[];
}

interface Resolved {
  nTrials: number;
  timeoutMs: number;
  concurrency: number;
  callbacks: readonly ((study: Study, trial: FrozenTrial) => void)[];
  signal: AbortSignal | undefined;
  catch: readonly (abstract new (...args: never[]) => unknown)[];
}

/** Runs the optimize loop; see `Study.optimize`. */
export async function runOptimize(
  study: Study,
  objective: Objective,
  options: OptimizeOptions,
): Promise<void> {
  const resolved = resolveOptions(options);
  if (typeof objective !== 'function') {
    // Loaded on demand, so that importing hpo does not start loading the worker pool.
    const { runModuleObjective } = await import('../runner/index.js');
    await runModuleObjective(study, objective, options);
    return;
  }
  const deadline = Date.now() + resolved.timeoutMs;
  let started = 0;
  let fatal: { error: unknown } | undefined;
  const mayStart = (): boolean =>
    fatal === undefined &&
    started < resolved.nTrials &&
    Date.now() < deadline &&
    !(resolved.signal?.aborted ?? false);

  const lane = async (): Promise<void> => {
    while (mayStart()) {
      started++;
      const outcome = await runTrial(study, objective, resolved);
      if (outcome.error !== undefined && fatal === undefined) fatal = { error: outcome.error };
    }
  };
  await Promise.all(Array.from({ length: resolved.concurrency }, lane));
  if (fatal !== undefined) throw fatal.error;
}

/** Runs one trial; returns the error to re-throw when the objective failed uncaught. */
async function runTrial(
  study: Study,
  objective: Exclude<Objective, { module: string }>,
  options: Resolved,
): Promise<{ error?: unknown }> {
  const trial = await study.ask();
  let frozen: FrozenTrial;
  let rethrow: unknown;
  try {
    const result = await objective(trial);
    const problem = checkValues(result, study.directions.length);
    frozen =
      problem === undefined
        ? await study.finish(
            trial,
            'COMPLETE',
            typeof result === 'number' ? [result] : [...(result as number[])],
          )
        : await study.finish(trial, 'FAIL', undefined, problem);
  } catch (error) {
    if (error instanceof UpdateFinishedTrialError) {
      logger.warn(`Trial ${trial.number} was finished elsewhere: ${error.message}`);
      return {};
    }
    if (error instanceof TrialPruned) {
      frozen = await study.tell(trial, undefined, 'PRUNED');
    } else {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      frozen = await study.finish(trial, 'FAIL', undefined, reason);
      if (!options.catch.some((kind) => error instanceof kind)) rethrow = error;
    }
  }
  for (const callback of options.callbacks) callback(study, frozen);
  return rethrow === undefined ? {} : { error: rethrow };
}

function resolveOptions(options: OptimizeOptions): Resolved {
  const { nTrials, timeout, concurrency = 1, callbacks = [], signal } = options;
  if (nTrials !== undefined && !(Number.isSafeInteger(nTrials) && nTrials >= 0)) {
    throw new ValueError(
      `optimize: nTrials must be an integer >= 0, but got ${describe(nTrials)}.`,
    );
  }
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) {
    throw new ValueError(
      `optimize: timeout must be a number of seconds > 0, but got ${describe(timeout)}.`,
    );
  }
  if (!(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
    throw new ValueError(
      `optimize: concurrency must be an integer >= 1, but got ${describe(concurrency)}.`,
    );
  }
  if (!Array.isArray(callbacks) || callbacks.some((callback) => typeof callback !== 'function')) {
    throw new ValueError(
      `optimize: callbacks must be an array of functions, but got ${describe(callbacks)}.`,
    );
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ValueError(`optimize: signal must be an AbortSignal, but got ${describe(signal)}.`);
  }
  const caught = options.catch ?? [];
  if (!Array.isArray(caught) || caught.some((kind) => typeof kind !== 'function')) {
    throw new ValueError(
      `optimize: catch must be an array of error classes, but got ${describe(caught)}.`,
    );
  }
  return {
    nTrials: nTrials ?? Number.POSITIVE_INFINITY,
    timeoutMs: timeout === undefined ? Number.POSITIVE_INFINITY : timeout * 1000,
    concurrency,
    callbacks,
    signal,
    catch: caught,
  };
}
