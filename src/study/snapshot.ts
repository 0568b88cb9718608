import type { StudyView } from '../samplers/base.js';
import type { FrozenTrial, StudyDirection, TrialState } from '../trial/index.js';

/** A study view over the trials last read from the store; replaced whole on each read. */
export class StudySnapshot implements StudyView {
  private trials: readonly FrozenTrial[] = [];

  constructor(
    readonly studyName: string,
    readonly directions: readonly StudyDirection[],
  ) {}

  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[] {
    if (states === undefined) return this.trials;
    return this.trials.filter((trial) => states.includes(trial.state));
  }

  private applied = 0;
  private issued = 0;

  /** Reads the trials with `read` and keeps them, unless a read begun later landed first. */
  async refresh(read: () => Promise<readonly FrozenTrial[]>): Promise<void> {
    const ticket = ++this.issued;
    const trials = await read();
    if (ticket > this.applied) {
      this.applied = ticket;
      this.trials = trials;
    }
  }
}
