import type { Distribution } from '../../distributions/index.js';
import type { StudyView } from '../base.js';

/**
 * Splits the parameters of finished trials into groups that always appear together: two
 * parameters share a group when every COMPLETE or PRUNED trial has both or neither. Each group
 * is a space that multivariate TPE can model jointly even when the study's search space is
 * conditional. Incremental: each call folds in only trials it has not seen.
 */
export class GroupDecomposedSearchSpace {
  private groups: Map<string, Distribution>[] = [];
  private readonly seen = new Set<number>();

  /** The groups, each sorted by parameter name, in order of first appearance. */
  calculate(study: StudyView): Record<string, Distribution>[] {
    for (const trial of study.getTrials()) {
      if ((trial.state !== 'COMPLETE' && trial.state !== 'PRUNED') || this.seen.has(trial.id)) {
        continue;
      }
      this.seen.add(trial.id);
      this.fold(trial.distributions);
    }
    return this.groups.map((group) => {
      const names = [...group.keys()].sort();
      return Object.fromEntries(names.map((name) => [name, group.get(name)!]));
    });
  }

  /** Refines every group by this trial's parameters, then adds its new ones as a group. */
  private fold(distributions: Readonly<Record<string, Distribution>>): void {
    const fresh = new Map(Object.entries(distributions));
    const next: Map<string, Distribution>[] = [];
    for (const group of this.groups) {
      const inside = new Map<string, Distribution>();
      const outside = new Map<string, Distribution>();
      for (const [name, distribution] of group) {
        const current = fresh.get(name);
        if (current === undefined) outside.set(name, distribution);
        else inside.set(name, current);
        fresh.delete(name);
      }
      if (inside.size > 0) next.push(inside);
      if (outside.size > 0) next.push(outside);
    }
    if (fresh.size > 0) next.push(fresh);
    this.groups = next;
  }
}
