import type { JsonValue, ParamValue } from '../distributions/index.js';
import {
  describe,
  HpoError,
  TrialNotFoundError,
  UpdateFinishedTrialError,
  ValueError,
} from '../errors.js';
import { getLogger } from '../logging.js';
import { paretoFront } from '../multiobjective/pareto.js';
import type { Pruner } from '../pruners/base.js';
import type { Sampler } from '../samplers/base.js';
import type { Storage } from '../storage/base.js';
import {
  isFinished,
  type FrozenTrial,
  type StudyDirection,
  type TrialState,
} from '../trial/index.js';
import type { TrialContext } from './context.js';
import { runOptimize, type Objective, type OptimizeOptions } from './optimize.js';
import { failStaleTrials, startHeartbeat } from './heartbeat.js';
import { StudySnapshot } from './snapshot.js';
import { bestOf, checkValues } from './values.js';
import { Trial } from './trial.js';

const logger = getLogger('study');

/** Optuna's system attribute for the values of an enqueued trial. */
const FIXED_PARAMS = 'fixed_params';
/** Optuna's system attribute for why a trial failed. */
export const FAIL_REASON = 'fail_reason';

/** What `tell` needs to know of a trial before finishing it. */
type TrialKey = Pick<FrozenTrial, 'id' | 'number' | 'state'> | FrozenTrial;

/** @internal The parts a study is made of; see `createStudy` and `loadStudy`. */
export interface StudyParts {
  storage: Storage;
  studyId: number;
  studyName: string;
  directions: readonly StudyDirection[];
  sampler: Sampler;
  pruner: Pruner;
}

/**
 * A study: one optimization, its trials, and the sampler and pruner that steer it. Made by
 * `createStudy` or `loadStudy`; several `Study` objects in several processes may share one
 * stored study.
 */
export class Study {
  readonly studyName: string;
  readonly directions: readonly StudyDirection[];
  /** @internal */
  readonly storage: Storage;
  /** @internal */
  readonly studyId: number;
  readonly sampler: Sampler;
  readonly pruner: Pruner;

  private readonly view: StudySnapshot;
  private readonly live = new Map<number, { trial: Trial; stopHeartbeat: () => void }>();

  /** @internal */
  constructor(parts: StudyParts) {
    this.storage = parts.storage;
    this.studyId = parts.studyId;
    this.studyName = parts.studyName;
    this.directions = Object.freeze([...parts.directions]);
    this.sampler = parts.sampler;
    this.pruner = parts.pruner;
    this.view = new StudySnapshot(this.studyName, this.directions);
  }

  /**
   * Runs trials of `objective` until `nTrials` have run, `timeout` seconds have passed, or
   * `signal` aborts. See {@link OptimizeOptions} for every option.
   * @throws the objective's error when it is not one of `catch` (after storing the trial as
   *   FAIL with that error's message).
   */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<void> {
    await runOptimize(this, objective, options);
  }

  /**
   * Starts a trial: an enqueued one if any waits, else a new one. Fails, first, every RUNNING
   * trial whose worker's heartbeat lapsed (stores with heartbeats only).
   */
  async ask(): Promise<Trial> {
    await failStaleTrials(this.storage, this.studyId);
    const claimed = await this.storage.claimWaitingTrial(this.studyId);
    const start = claimed ?? (await this.storage.createTrial(this.studyId));
    const stopHeartbeat = await startHeartbeat(this.storage, start.id);
    await this.refresh();

    this.sampler.beforeTrial?.(this.view, start);
    const relativeSpace = this.sampler.inferRelativeSearchSpace(this.view, start);
    const relativeParams = Object.keys(relativeSpace).length
      ? this.sampler.sampleRelative(this.view, start, relativeSpace)
      : new Map();
    const fixed = start.systemAttrs[FIXED_PARAMS];
    const context: TrialContext = {
      storage: this.storage,
      sampler: this.sampler,
      pruner: this.pruner,
      view: this.view,
      relativeSpace,
      relativeParams,
      fixedParams: isRecord(fixed) ? fixed : undefined,
      refresh: () => this.refresh(),
    };
    const trial = new Trial(context, start);
    this.live.set(start.id, { trial, stopHeartbeat });
    return trial;
  }

  /**
   * Finishes a trial. With values it is COMPLETE (unless `state` says otherwise); a PRUNED
   * trial keeps its last intermediate value as its value when it has one. Values that are not
   * finite, or not one per objective, make the trial FAIL with the reason stored and logged.
   * @throws {UpdateFinishedTrialError} when the trial has already finished.
   * @throws {ValueError} for a state that is not a finished one, or COMPLETE without values.
   */
  async tell(
    trialOrNumber: Trial | number,
    values?: number | readonly number[],
    state?: 'COMPLETE' | 'PRUNED' | 'FAIL',
  ): Promise<FrozenTrial> {
    const current = await this.resolve(trialOrNumber);
    if (isFinished(current.state)) {
      throw new UpdateFinishedTrialError(
        `trial ${current.number} is already ${current.state}; a trial is told only once.`,
      );
    }
    const outcome = this.outcome(current, values, state);
    return this.finish(current, outcome.state, outcome.values, outcome.reason);
  }

  /**
   * Queues a trial whose parameters take these values (others are sampled as usual). Values
   * are given in the objective's form: a simplex as `{ label: weight }`.
   */
  async enqueueTrial(
    params: Record<string, ParamValue>,
    options: { userAttrs?: Record<string, JsonValue> } = {},
  ): Promise<void> {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new ValueError(`enqueueTrial: params must be an object, but got ${describe(params)}.`);
    }
    await this.storage.createTrial(this.studyId, {
      state: 'WAITING',
      systemAttrs: { [FIXED_PARAMS]: params as JsonValue },
      userAttrs: options.userAttrs ?? {},
    });
  }

  /** The study's trials ordered by number, optionally only those in `states`. */
  async getTrials(
    options: { states?: readonly TrialState[] } = {},
  ): Promise<readonly FrozenTrial[]> {
    return this.storage.getAllTrials(this.studyId, options.states);
  }

  /** The best COMPLETE trial of a single-objective study (the first one on ties). */
  get bestTrial(): Promise<FrozenTrial> {
    return this.findBestTrial();
  }

  /** The value of {@link Study.bestTrial}. */
  get bestValue(): Promise<number> {
    return this.findBestTrial().then((trial) => trial.value!);
  }

  /** The parameters of {@link Study.bestTrial}. */
  get bestParams(): Promise<Readonly<Record<string, ParamValue>>> {
    return this.findBestTrial().then((trial) => trial.params);
  }

  /** The COMPLETE trials on the Pareto front under the study's directions, by number. */
  get bestTrials(): Promise<readonly FrozenTrial[]> {
    return this.getTrials({ states: ['COMPLETE'] }).then((trials) => {
      const points = trials.map((trial) => trial.values!);
      return paretoFront(points, this.directions).map((index) => trials[index]!);
    });
  }

  /** The study's user attributes. */
  get userAttrs(): Promise<Readonly<Record<string, JsonValue>>> {
    return this.storage.getStudyUserAttrs(this.studyId);
  }

  /** Stores a JSON value under `key` with the study. */
  async setUserAttr(key: string, value: JsonValue): Promise<void> {
    if (typeof key !== 'string') {
      throw new ValueError(`setUserAttr: key must be a string, but got ${describe(key)}.`);
    }
    await this.storage.setStudyUserAttr(this.studyId, key, value);
  }

  /** @internal Stores a trial's end and logs it; used by `tell` and `optimize`. */
  async finish(
    current: { readonly id: number; readonly number: number },
    state: 'COMPLETE' | 'PRUNED' | 'FAIL',
    values: readonly number[] | undefined,
    reason?: string,
  ): Promise<FrozenTrial> {
    const live = this.live.get(current.id);
    this.live.delete(current.id);
    live?.stopHeartbeat();
    try {
      await live?.trial.flush();
    } catch (error) {
      [state, values, reason] = [
        'FAIL',
        undefined,
        `a write to the store failed: ${message(error)}`,
      ];
    }
    if (reason !== undefined)
      await this.storage.setTrialSystemAttr(current.id, FAIL_REASON, reason);
    if (this.sampler.afterTrial !== undefined) {
      const snapshot = live?.trial.frozen ?? (await this.storage.getTrial(current.id));
      this.sampler.afterTrial(this.view, snapshot, state, values);
    }
    const frozen = await this.storage.setTrialState(current.id, state, values);
    this.logFinished(frozen, reason);
    return frozen;
  }

  private outcome(
    current: TrialKey,
    values: number | readonly number[] | undefined,
    state: TrialState | undefined,
  ): { state: 'COMPLETE' | 'PRUNED' | 'FAIL'; values?: readonly number[]; reason?: string } {
    if (state !== undefined && state !== 'COMPLETE' && state !== 'PRUNED' && state !== 'FAIL') {
      throw new ValueError(
        `tell: state must be "COMPLETE", "PRUNED" or "FAIL", but got ${describe(state)}.`,
      );
    }
    if (state === 'FAIL') return { state: 'FAIL' };
    if (state === 'PRUNED') return { state: 'PRUNED', values: this.lastReported(current) };
    if (values === undefined) {
      throw new ValueError(
        `tell: a COMPLETE trial needs values, but got none for trial ${current.number}.`,
      );
    }
    const problem = checkValues(values, this.directions.length);
    if (problem !== undefined) return { state: 'FAIL', reason: problem };
    return { state: 'COMPLETE', values: typeof values === 'number' ? [values] : [...values] };
  }

  /** A pruned trial's value: its last finite intermediate value, as Optuna keeps it. */
  private lastReported(current: TrialKey): readonly number[] | undefined {
    const trial = this.live.get(current.id)?.trial.frozen ?? current;
    if (!('intermediateValues' in trial)) return undefined;
    const steps = [...trial.intermediateValues.values()];
    const last = steps[steps.length - 1];
    if (last === undefined) return undefined;
    const values = typeof last === 'number' ? [last] : [...last];
    if (values.length !== this.directions.length || !values.every(Number.isFinite))
      return undefined;
    return values;
  }

  private async resolve(trialOrNumber: Trial | number): Promise<TrialKey> {
    if (trialOrNumber instanceof Trial) {
      // A trial that this study handed out and has not finished is RUNNING; skip the read.
      const { id, number } = trialOrNumber;
      if (this.live.get(id)?.trial === trialOrNumber) return { id, number, state: 'RUNNING' };
      return this.storage.getTrial(id);
    }
    if (!Number.isSafeInteger(trialOrNumber) || trialOrNumber < 0) {
      throw new ValueError(
        `tell: expected a Trial or a trial number >= 0, but got ${describe(trialOrNumber)}.`,
      );
    }
    const trials = await this.getTrials();
    const found = trials[trialOrNumber];
    if (found === undefined) {
      throw new TrialNotFoundError(
        `tell: study "${this.studyName}" has no trial number ${trialOrNumber} ` +
          `(it has ${trials.length} trials).`,
      );
    }
    return found;
  }

  private async findBestTrial(): Promise<FrozenTrial> {
    if (this.directions.length > 1) {
      throw new HpoError(
        `bestTrial is defined for single-objective studies, but study "${this.studyName}" ` +
          `has ${this.directions.length} objectives; use bestTrials (the Pareto front).`,
      );
    }
    const trials = await this.getTrials({ states: ['COMPLETE'] });
    const best = bestOf(trials, this.directions[0]!);
    if (best === undefined) {
      throw new HpoError(`study "${this.studyName}" has no COMPLETE trial yet, so no best trial.`);
    }
    return best;
  }

  private async refresh(): Promise<void> {
    await this.view.refresh(() => this.storage.getAllTrials(this.studyId));
  }

  private logFinished(frozen: FrozenTrial, reason: string | undefined): void {
    if (frozen.state === 'FAIL') {
      if (!logger.enabled('warn')) return;
      const params = JSON.stringify(frozen.params);
      logger.warn(
        `Trial ${frozen.number} failed with parameters: ${params} because: ` +
          `${reason ?? 'told FAIL'}`,
      );
      return;
    }
    if (!logger.enabled('info')) return;
    const params = JSON.stringify(frozen.params);
    const shown = frozen.values === undefined ? 'none' : frozen.values.join(', ');
    let best = '';
    if (this.directions.length === 1 && frozen.state === 'COMPLETE') {
      const done = this.view.getTrials(['COMPLETE']).filter((trial) => trial.id !== frozen.id);
      const top = bestOf([...done, frozen], this.directions[0]!)!;
      best = ` Best is trial ${top.number} with value: ${top.value}.`;
    }
    logger.info(
      `Trial ${frozen.number} ${frozen.state === 'PRUNED' ? 'pruned' : 'finished'} ` +
        `with values: [${shown}] and parameters: ${params}.${best}`,
    );
  }
}

function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
