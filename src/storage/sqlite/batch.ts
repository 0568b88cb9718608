/** One write of a RUNNING or WAITING trial, waiting for its batch. */
export interface PendingWrite {
  readonly trialId: number;
  /** Does the write inside the batch's transaction; throws an HpoError to refuse it alone. */
  readonly write: () => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs a batch in one transaction: returns, per write, the error that refused it (or
 * undefined); throws when the whole transaction failed.
 */
export type CommitBatch = (writes: readonly PendingWrite[]) => readonly unknown[];

/**
 * Gathers the writes of running trials issued in one synchronous run of code (an objective's
 * suggest and report calls) and commits them in one transaction at the next microtask, or
 * earlier when the store does anything else. A commit costs far more than a row, so ten
 * parameters cost one commit instead of ten.
 *
 * Order is kept: every other store operation flushes the batch first, so this process always
 * reads its own writes; other processes see them one microtask later. Each write's promise
 * settles with its own outcome, as if it had been committed alone.
 */
export class WriteBatch {
  private pending: PendingWrite[] = [];
  private scheduled = false;

  constructor(private readonly commit: CommitBatch) {}

  /** Queues a write; the promise settles when its batch is committed. */
  add(trialId: number, write: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ trialId, write, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  /** Commits every queued write now. Failures go to the writes' promises, never thrown. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const writes = this.pending;
    this.pending = [];
    let outcomes: readonly unknown[];
    try {
      outcomes = this.commit(writes);
    } catch (error) {
      for (const write of writes) write.reject(error);
      return;
    }
    writes.forEach((write, i) => {
      const refusal = outcomes[i];
      if (refusal === undefined) write.resolve();
      else write.reject(refusal);
    });
  }
}
