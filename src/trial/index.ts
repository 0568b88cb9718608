export {
  emptyTrialRecord,
  freezeTrial,
  type FrozenTrial,
  type IntermediateValue,
  type TrialRecord,
} from './frozen.js';
export { isFinished, TRIAL_STATES, type StudyDirection, type TrialState } from './state.js';
