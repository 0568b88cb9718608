/** The life cycle of a trial: WAITING (enqueued) → RUNNING → one of the finished states. */
export type TrialState = 'RUNNING' | 'WAITING' | 'COMPLETE' | 'PRUNED' | 'FAIL';

/** Every trial state, in Optuna's order. */
export const TRIAL_STATES: readonly TrialState[] = Object.freeze([
  'RUNNING',
  'COMPLETE',
  'PRUNED',
  'FAIL',
  'WAITING',
]);

/** Whether a trial in this state can no longer change. */
export function isFinished(state: TrialState): boolean {
  return state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL';
}

/** The optimization direction of one objective. */
export type StudyDirection = 'minimize' | 'maximize';
