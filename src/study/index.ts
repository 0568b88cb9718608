export {
  createStudy,
  deleteStudy,
  listStudies,
  loadStudy,
  type CreateStudyOptions,
  type LoadStudyOptions,
  type StudySummary,
} from './api.js';
export type { Objective, ObjectiveResult, OptimizeOptions } from './optimize.js';
export { Study } from './study.js';
export { Trial } from './trial.js';
