import type { Distribution, InternalValue, JsonValue } from '../distributions/index.js';
import { describe, ValueError } from '../errors.js';
import type { FrozenTrial, IntermediateValue, StudyDirection, TrialState } from '../trial/index.js';

/**
 * How the `fail_reason` of a trial failed by a lapsed heartbeat begins, so that callers (such
 * as `hpo run`, which runs such trials again) can tell a dead worker from a failing objective.
 */
export const HEARTBEAT_FAIL_REASON = "the trial's heartbeat stopped";

/**
 * Refuses NaN among a trial's values. Optuna's layout has no NaN value type, so every store
 * refuses it alike (the study fails such trials before they reach a store).
 * @throws {ValueError}
 */
export function checkStoredValues(values: readonly number[] | undefined): void {
  if (values?.some(Number.isNaN)) {
    throw new ValueError(`trial values must not be NaN, but got ${describe(values)}.`);
  }
}

/** A study as a store lists it. */
export interface StoredStudy {
  readonly studyId: number;
  readonly studyName: string;
  readonly directions: readonly StudyDirection[];
}

/** What a new trial starts with: enqueued trials start WAITING with `fixed_params`. */
export interface TrialTemplate {
  state?: 'RUNNING' | 'WAITING';
  userAttrs?: Record<string, JsonValue>;
  systemAttrs?: Record<string, JsonValue>;
}

/**
 * The contract every study store meets: in memory, SQLite, and later PostgreSQL. All methods
 * are asynchronous so that a network store fits without a change to the user-facing API;
 * the embedded stores answer without waiting on I/O (the SQLite store may hold a trial's writes
 * until the next microtask, to commit them together, and saves them before any other call).
 *
 * Invariants every store keeps (the conformance suite checks them):
 * - trial numbers within a study are 0, 1, 2, … with no gap and no repeat, even with several
 *   processes creating trials at once;
 * - a WAITING trial is claimed by exactly one caller of {@link Storage.claimWaitingTrial};
 * - a finished trial never changes: updating one rejects with `UpdateFinishedTrialError`;
 * - every change of several rows is one transaction.
 */
export interface Storage {
  createStudy(studyName: string, directions: readonly StudyDirection[]): Promise<number>;
  deleteStudy(studyId: number): Promise<void>;
  /** @throws StudyNotFoundError */
  getStudyId(studyName: string): Promise<number>;
  getStudyDirections(studyId: number): Promise<readonly StudyDirection[]>;
  getAllStudies(): Promise<readonly StoredStudy[]>;
  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  getStudyUserAttrs(studyId: number): Promise<Readonly<Record<string, JsonValue>>>;
  getStudySystemAttrs(studyId: number): Promise<Readonly<Record<string, JsonValue>>>;

  /** Creates a trial with the next number; RUNNING unless the template says WAITING. */
  createTrial(studyId: number, template?: TrialTemplate): Promise<FrozenTrial>;
  /** Moves the oldest WAITING trial to RUNNING and returns it, or null when there is none. */
  claimWaitingTrial(studyId: number): Promise<FrozenTrial | null>;
  setTrialParam(
    trialId: number,
    name: string,
    internal: InternalValue,
    distribution: Distribution,
  ): Promise<void>;
  setTrialIntermediateValue(trialId: number, step: number, value: IntermediateValue): Promise<void>;
  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /**
   * Finishes a RUNNING trial (or starts a WAITING one) and returns its snapshot.
   * @throws UpdateFinishedTrialError when the trial had already finished.
   */
  setTrialState(
    trialId: number,
    state: TrialState,
    values?: readonly number[],
  ): Promise<FrozenTrial>;
  /** @throws TrialNotFoundError */
  getTrial(trialId: number): Promise<FrozenTrial>;
  /** Every trial of a study ordered by number, optionally only those in `states`. */
  getAllTrials(studyId: number, states?: readonly TrialState[]): Promise<readonly FrozenTrial[]>;

  /** Present on stores that detect dead workers by heartbeat. */
  readonly heartbeat?: HeartbeatStorage;

  /** Releases connections and timers. The store is unusable afterwards. */
  close(): Promise<void>;
}

/** Heartbeats: a RUNNING trial whose process stopped beating is failed by the next trial. */
export interface HeartbeatStorage {
  /** Seconds between beats of a running trial. */
  readonly intervalSeconds: number;
  /** Seconds after the last beat before a RUNNING trial counts as dead. */
  readonly gracePeriodSeconds: number;
  recordHeartbeat(trialId: number): Promise<void>;
  /** Marks FAIL every RUNNING trial of the study whose beat lapsed; returns their ids. */
  failStaleTrials(studyId: number): Promise<readonly number[]>;
}
