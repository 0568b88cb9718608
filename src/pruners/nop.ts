import type { Pruner } from './base.js';

/** A pruner that never prunes. */
export class NopPruner implements Pruner {
  prune(): boolean {
    return false;
  }
}
