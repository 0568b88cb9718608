/**
 * `hpo run STUDY_FILE`: runs a study file's trials until its budget of COMPLETE and PRUNED
 * trials is reached, resuming what the store already holds. Several `hpo run` processes of one
 * file share the budget through the store; `workers: N` starts N - 1 of them as children.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import {
  createStudy,
  HEARTBEAT_FAIL_REASON,
  resolveStorage,
  SqliteStorage,
  UpdateFinishedTrialError,
  type FrozenTrial,
  type ParamValue,
  type Pruner,
  type Sampler,
  type Storage,
  type Study,
  type Trial,
} from '../index.js';
import { makePruner, makeSampler } from './components.js';
import { EXIT, UsageError } from './errors.js';
import { loadObjective, type CliObjective } from './objective.js';
import { countTrials, ProgressLine } from './progress.js';
import type { StudyFile } from './study-file.js';

/** Command-line flags of `hpo run`, each overriding the study file. */
export interface RunFlags {
  trials?: number;
  workers?: number;
  storage?: string;
  timeout?: number;
  /** Internal: this process was started by another `hpo run` as an extra worker. */
  worker?: boolean;
}

/** The streams a command writes to, so that tests and the CLI can differ. */
export interface CliStreams {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

const POLL_MS = 500;
/** Failures in one run before the failure fraction may stop it early. */
const MIN_FAILURES_TO_STOP = 3;
const RETRY_OF = 'retry_of';
const FAIL_REASON = 'fail_reason';
/** Why a trial ended unrun: processes raced for the last places of the budget. */
const SURPLUS = 'not run: other processes had already started the whole budget';

/** State shared by the run loop and the Ctrl-C handler. */
interface RunState {
  readonly study: Study;
  readonly storage: Storage;
  readonly studyId: number;
  readonly budget: number;
  readonly controller: AbortController;
  readonly runningHere: Set<number>;
  finishedHere: number;
  failedHere: number;
}

/**
 * Runs a study file and returns the exit code: 0 done, 1 when failed trials exceed the
 * file's `maxFailedFraction`, 130 when stopped by Ctrl-C.
 * @throws {UsageError} for a study file or flags that cannot run.
 */
export async function runCommand(
  file: StudyFile,
  flags: RunFlags,
  io: CliStreams,
): Promise<number> {
  // Everything that can be wrong with the file is checked before the store is touched.
  const parts = { sampler: makeSampler(file.sampler), pruner: makePruner(file.pruner) };
  const objective = await loadObjective(file);
  const url = flags.storage ?? file.storage;
  const storage = openStorage(url, file.heartbeat);
  const study = await openStudy(file, storage, parts);
  const state: RunState = {
    study,
    storage,
    studyId: await storage.getStudyId(file.name),
    budget: flags.trials ?? file.trials,
    controller: new AbortController(),
    runningHere: new Set(),
    finishedHere: 0,
    failedHere: 0,
  };
  const children = flags.worker ? [] : startWorkers(file, flags, url, state.budget);
  const progress = flags.worker ? undefined : new ProgressLine(io.stderr, state.budget);
  const signals = handleSignals(state, children, file.shutdownGrace, io);
  try {
    await loop(state, objective, file, flags, progress);
  } finally {
    signals.dispose();
  }
  const childCodes = await Promise.all(children.map(exitCode));
  return finish(state, file, flags, io, progress, childCodes);
}

async function finish(
  state: RunState,
  file: StudyFile,
  flags: RunFlags,
  io: CliStreams,
  progress: ProgressLine | undefined,
  childCodes: number[],
): Promise<number> {
  if (progress !== undefined) {
    progress.update(countTrials(await state.study.getTrials(), state.study.directions));
    progress.end();
  }
  if (!flags.worker) {
    const { writeReport } = await import('../report/write.js');
    const [path] = await writeReport(state.study, { outDir: file.reportDir, formats: ['html'] });
    io.stdout.write(`${path}\n`);
  }
  await state.storage.close();
  if (state.controller.signal.aborted) return EXIT.interrupted;
  const failedTooOften =
    state.finishedHere > 0 && state.failedHere / state.finishedHere > file.maxFailedFraction;
  if (failedTooOften) {
    io.stderr.write(
      `hpo run: ${state.failedHere} of ${state.finishedHere} trials failed, above ` +
        `maxFailedFraction=${file.maxFailedFraction}.\n`,
    );
    return EXIT.failed;
  }
  return Math.max(EXIT.ok, ...childCodes.filter((code) => code !== EXIT.interrupted));
}

/** Opens the store a URL names, creating the SQLite file's folder when it is missing. */
function openStorage(url: string, heartbeat: StudyFile['heartbeat']): Storage {
  if (!url.startsWith('sqlite:')) return resolveStorage(url);
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('///')) path = path.slice(3);
  mkdirSync(dirname(resolve(path)), { recursive: true });
  if (heartbeat === undefined) return resolveStorage(url);
  return new SqliteStorage(path, {
    heartbeatInterval: heartbeat.interval,
    gracePeriod: heartbeat.gracePeriod,
  });
}

async function openStudy(
  file: StudyFile,
  storage: Storage,
  parts: { sampler: Sampler | undefined; pruner: Pruner | undefined },
): Promise<Study> {
  const study = await createStudy({
    studyName: file.name,
    storage,
    directions: file.directions,
    ...parts,
    loadIfExists: true,
  });
  if (study.directions.join() !== file.directions.join()) {
    throw new UsageError(
      `directions: the stored study "${file.name}" has [${study.directions.join(', ')}], but ` +
        `the study file says [${file.directions.join(', ')}]; use another name or storage.`,
    );
  }
  await study.setUserAttr('hpo.metrics', file.metrics);
  return study;
}

/**
 * Starts trials one at a time while the budget has room, re-reading the store before each so
 * that trials of other processes count. When the budget is taken by RUNNING trials (of other
 * processes, or left by a dead one), it waits for them to end or for their heartbeat to lapse.
 */
async function loop(
  state: RunState,
  objective: CliObjective,
  file: StudyFile,
  flags: RunFlags,
  progress: ProgressLine | undefined,
): Promise<void> {
  const timeout = flags.timeout ?? file.timeout;
  const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout * 1000;
  const wrapped = track(state, objective, file.trialTimeout);
  const callbacks = [(_: Study, trial: FrozenTrial) => onFinished(state, trial)];
  while (
    !state.controller.signal.aborted &&
    Date.now() < deadline &&
    !failingTooOften(state, file)
  ) {
    const trials = await state.study.getTrials();
    const counts = countTrials(trials, state.study.directions);
    progress?.update(counts);
    if (counts.done >= state.budget) return;
    await retryDeadTrials(state.study, trials);
    if (counts.done + counts.running < state.budget) {
      const options = { nTrials: 1, signal: state.controller.signal, callbacks, catch: [Error] };
      await state.study.optimize(wrapped, options);
    } else {
      await sleep(POLL_MS);
      await state.storage.heartbeat?.failStaleTrials(state.studyId);
    }
  }
}

function onFinished(state: RunState, trial: FrozenTrial): void {
  if (String(trial.systemAttrs[FAIL_REASON]).endsWith(SURPLUS)) return;
  state.finishedHere++;
  if (trial.state === 'FAIL') state.failedHere++;
}

/**
 * Whether the budget was already taken when this trial was created: processes check the
 * budget and then create a trial, so two of them can both take its last place. Trials created
 * earlier (lower numbers) that are finished or alive win; a surplus trial ends unrun.
 */
async function isSurplus(state: RunState, number: number): Promise<boolean> {
  const earlier = (await state.study.getTrials()).slice(0, number);
  const taken = earlier.filter((trial) => trial.state !== 'FAIL' && trial.state !== 'WAITING');
  return taken.length >= state.budget;
}

function failingTooOften(state: RunState, file: StudyFile): boolean {
  return (
    state.failedHere >= MIN_FAILURES_TO_STOP &&
    state.failedHere / state.finishedHere > file.maxFailedFraction
  );
}

/** Wraps the objective to know which trials run here and to fail those past the timeout. */
function track(
  state: RunState,
  objective: CliObjective,
  trialTimeout: number | undefined,
): CliObjective {
  return async (trial: Trial) => {
    if (await isSurplus(state, trial.number)) throw new Error(SURPLUS);
    state.runningHere.add(trial.id);
    try {
      return await withTimeout(objective(trial), trialTimeout, trial.number);
    } finally {
      state.runningHere.delete(trial.id);
    }
  };
}

async function withTimeout<T>(
  work: Promise<T>,
  seconds: number | undefined,
  number: number,
): Promise<T> {
  if (seconds === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`trial ${number} ran past trialTimeout=${seconds} s`)),
      seconds * 1000,
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Queues again, once, each trial that failed because its process died (its heartbeat lapsed,
 * or it has no stored reason at all) or was stopped by a second Ctrl-C, with the same
 * parameters.
 */
async function retryDeadTrials(study: Study, trials: readonly FrozenTrial[]): Promise<void> {
  const retried = new Set(trials.map((trial) => trial.userAttrs[RETRY_OF]));
  for (const trial of trials) {
    if (trial.state !== 'FAIL' || retried.has(trial.number)) continue;
    const reason = trial.systemAttrs[FAIL_REASON];
    const died = reason === undefined || String(reason).startsWith(HEARTBEAT_FAIL_REASON);
    if (!died && !String(reason).startsWith('interrupted')) continue;
    await study.enqueueTrial(objectiveParams(trial), { userAttrs: { [RETRY_OF]: trial.number } });
  }
}

/** A trial's parameters in the form `enqueueTrial` takes: a simplex as `{ label: weight }`. */
function objectiveParams(trial: FrozenTrial): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const [name, distribution] of Object.entries(trial.distributions)) {
    if (distribution.kind === 'simplex') {
      const weights: Record<string, number> = {};
      for (const label of distribution.labels)
        weights[label] = trial.params[`${name}.${label}`] as number;
      params[name] = weights as ParamValue;
    } else if (trial.params[name] !== undefined) {
      params[name] = trial.params[name]!;
    }
  }
  return params;
}

/** Starts `workers - 1` more `hpo run` processes of this file, each with its own group. */
function startWorkers(
  file: StudyFile,
  flags: RunFlags,
  url: string,
  budget: number,
): ChildProcess[] {
  const workers = flags.workers ?? file.workers;
  const script = process.argv[1]!;
  const args = ['run', file.path, '--worker', '--trials', String(budget), '--storage', url];
  if (flags.timeout !== undefined) args.push('--timeout', String(flags.timeout));
  return Array.from({ length: workers - 1 }, () =>
    spawn(process.execPath, [...process.execArgv, script, ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      // Its own process group: a terminal's Ctrl-C reaches it once, forwarded by this process.
      detached: true,
      env: { ...process.env, HPO_LOG_LEVEL: process.env['HPO_LOG_LEVEL'] ?? 'warn' },
    }),
  );
}

function exitCode(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.on('exit', (code) => done(code ?? EXIT.failed)));
}

/**
 * Ctrl-C once: stop starting trials and let running ones end within `graceSeconds`. Ctrl-C
 * twice, or the grace period over: fail this process's running trials and exit.
 */
function handleSignals(
  state: RunState,
  children: readonly ChildProcess[],
  graceSeconds: number,
  io: CliStreams,
): { dispose: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const child of children) if (child.exitCode === null) child.kill(signal);
    if (!state.controller.signal.aborted) {
      state.controller.abort();
      io.stderr.write(
        `\nhpo run: stopping; waiting up to ${graceSeconds} s for ${state.runningHere.size} ` +
          'running trial(s). Press Ctrl-C again to fail them now.\n',
      );
      timer = setTimeout(
        () => void forceStop(state, 'the grace period ended'),
        graceSeconds * 1000,
      );
      return;
    }
    void forceStop(state, `a second ${signal}`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    dispose: () => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Fails the trials still running here, closes the store and exits with 130. */
async function forceStop(state: RunState, why: string): Promise<void> {
  for (const id of state.runningHere) {
    try {
      await state.storage.setTrialSystemAttr(id, FAIL_REASON, `interrupted: ${why}`);
      await state.storage.setTrialState(id, 'FAIL');
    } catch (error) {
      if (!(error instanceof UpdateFinishedTrialError)) throw error;
    }
  }
  await state.storage.close();
  process.exit(EXIT.interrupted);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
