/**
 * hpo: hyperparameter optimization for TypeScript and Node.js. Define-by-run trials, samplers,
 * pruners, multi-objective studies, and study stores that Optuna can open.
 */
export * from './distributions/index.js';
export {
  DuplicatedStudyError,
  HpoError,
  StorageError,
  StudyNotFoundError,
  TrialNotFoundError,
  TrialPruned,
  UpdateFinishedTrialError,
  ValueError,
} from './errors.js';
export {
  getLogger,
  getLogLevel,
  setLogger,
  setLogLevel,
  type Logger,
  type LogLevel,
  type LogSink,
} from './logging.js';
export * from './multiobjective/index.js';
export * from './pruners/index.js';
export { Random } from './random.js';
export * from './samplers/index.js';
export * from './storage/index.js';
export * from './study/index.js';
export type { FrozenTrial, IntermediateValue, StudyDirection, TrialState } from './trial/index.js';
