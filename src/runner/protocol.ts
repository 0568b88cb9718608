/** What the pool hands a worker for one trial. Plain data: it crosses a thread boundary. */
export interface TrialTask {
  /** `sqlite:ABSOLUTE_PATH?OPTIONS` of the study's store (see `workerStorageUrl`). */
  readonly storage: string;
  readonly studyName: string;
  /** A file URL or package specifier of the objective's module. */
  readonly module: string;
  readonly exportName: string;
  /**
   * One int32 the worker sets to the trial's id right after `ask`, so the pool can fail the
   * trial if the worker dies or is stopped. Shared memory, not a message: it is visible to the
   * pool even when the worker is terminated before any message would have been delivered.
   */
  readonly slot: Int32Array;
}

/** What a worker returns when its trial ended (COMPLETE, PRUNED or FAIL, all stored). */
export interface TrialOutcome {
  readonly trialId: number;
}

/** The value of a task slot before the worker has a trial. */
export const NO_TRIAL = -1;
