import type { HeartbeatStorage } from '../base.js';

/** What the heartbeat needs from its store: two guarded operations on the database. */
export interface HeartbeatBackend {
  /** Upserts the trial's `trial_heartbeats` row with the database's current UTC time. */
  beat(trialId: number): void;
  /**
   * In one transaction, marks FAIL the study's RUNNING trials whose beat is older than
   * `graceSeconds`, except `spared`, and returns their ids.
   */
  failStale(studyId: number, graceSeconds: number, spared: ReadonlySet<number>): number[];
}

/**
 * Heartbeats of a {@link SqliteStorage}, stored in Optuna's `trial_heartbeats` table so that
 * Optuna processes sharing the file see them too.
 *
 * Trials that this store beats for are never failed by it: this process knows they are
 * alive even when a long synchronous objective delayed their timer.
 */
export class SqliteHeartbeat implements HeartbeatStorage {
  private readonly beating = new Set<number>();

  constructor(
    readonly intervalSeconds: number,
    readonly gracePeriodSeconds: number,
    private readonly backend: HeartbeatBackend,
  ) {}

  async recordHeartbeat(trialId: number): Promise<void> {
    this.backend.beat(trialId);
    this.beating.add(trialId);
  }

  async failStaleTrials(studyId: number): Promise<readonly number[]> {
    return this.backend.failStale(studyId, this.gracePeriodSeconds, this.beating);
  }

  /** @internal Called by the store when a trial it beats for has finished. */
  forget(trialId: number): void {
    this.beating.delete(trialId);
  }
}
