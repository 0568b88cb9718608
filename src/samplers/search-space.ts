import type { Distribution } from '../distributions/index.js';
import { isFinished, type TrialState } from '../trial/index.js';
import type { StudyView } from './base.js';

/**
 * The parameters that every finished trial of interest has, with the same distribution:
 * the space that relative samplers can model jointly. Computed incrementally: each call
 * looks only at trials it has not seen finished before.
 */
export class IntersectionSearchSpace {
  private readonly states: readonly TrialState[];
  private space: Map<string, Distribution> | undefined;
  /** Every trial below this number is finished and already folded into `space`. */
  private settledBelow = 0;
  private readonly seenAbove = new Set<number>();

  /** @param includePruned count PRUNED trials too (default: only COMPLETE). */
  constructor(includePruned = false) {
    this.states = includePruned ? ['COMPLETE', 'PRUNED'] : ['COMPLETE'];
  }

  /** The intersection, sorted by parameter name. */
  calculate(study: StudyView): Record<string, Distribution> {
    const trials = study.getTrials();
    for (let i = this.settledBelow; i < trials.length; i++) {
      const trial = trials[i]!;
      if (!isFinished(trial.state) || this.seenAbove.has(trial.number)) continue;
      this.seenAbove.add(trial.number);
      if (this.states.includes(trial.state)) this.fold(trial.distributions);
    }
    while (this.seenAbove.delete(this.settledBelow)) this.settledBelow++;
    const names = [...(this.space?.keys() ?? [])].sort();
    return Object.fromEntries(names.map((name) => [name, this.space!.get(name)!]));
  }

  private fold(distributions: Readonly<Record<string, Distribution>>): void {
    if (this.space === undefined) {
      this.space = new Map(Object.entries(distributions));
      return;
    }
    for (const [name, distribution] of this.space) {
      if (!distribution.equals(distributions[name])) this.space.delete(name);
    }
  }
}
