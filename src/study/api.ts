import { describe, DuplicatedStudyError, ValueError } from '../errors.js';
import { DEFAULT_PRUNER, DEFAULT_SAMPLER } from '../defaults.js';
import type { Pruner } from '../pruners/base.js';
import type { Sampler } from '../samplers/base.js';
import type { Storage } from '../storage/base.js';
import { resolveStorage } from '../storage/resolve.js';
import type { StudyDirection } from '../trial/index.js';
import { Study } from './study.js';

/** Options of {@link createStudy}. */
export interface CreateStudyOptions {
  /** The study's name; absent, a unique one is generated. */
  studyName?: string;
  /** `':memory:'` (default), `'sqlite:PATH'`, or a `Storage` object. */
  storage?: string | Storage;
  /** The direction of a single-objective study. Default `'minimize'`. */
  direction?: StudyDirection;
  /** One direction per objective, for multi-objective studies. */
  directions?: readonly StudyDirection[];
  /** Default: `TPESampler`. */
  sampler?: Sampler;
  /** Default: `MedianPruner` (one objective) or `ParetoPruner` (several). */
  pruner?: Pruner;
  /** Resume the stored study of this name instead of failing when it exists. */
  loadIfExists?: boolean;
}

/** Options of {@link loadStudy}. */
export interface LoadStudyOptions {
  studyName: string;
  storage: string | Storage;
  sampler?: Sampler;
  pruner?: Pruner;
}

/** A study as {@link listStudies} describes it. */
export interface StudySummary {
  studyName: string;
  directions: readonly StudyDirection[];
  nTrials: number;
  /** The best values (single objective), when a trial has completed. */
  bestValues?: readonly number[];
  /** When the study's first trial started. */
  datetimeStart?: Date;
}

/**
 * Creates a study, or with `loadIfExists` resumes the stored one of the same name.
 * @throws {DuplicatedStudyError} when the name is taken and `loadIfExists` is not set.
 * @throws {ValueError} for bad directions or a storage string that cannot be parsed.
 */
export async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
  const directions = resolveDirections(options);
  const studyName = options.studyName ?? `no-name-${crypto.randomUUID()}`;
  checkStudyName(studyName);
  const storage = resolveStorage(options.storage);
  let studyId: number;
  try {
    studyId = await storage.createStudy(studyName, directions);
  } catch (error) {
    if (!(options.loadIfExists && error instanceof DuplicatedStudyError)) {
      throw error;
    }
    return loadStudy({ ...options, studyName, storage });
  }
  return new Study({
    storage,
    studyId,
    studyName,
    directions,
    sampler: options.sampler ?? DEFAULT_SAMPLER(),
    pruner: options.pruner ?? DEFAULT_PRUNER(directions),
  });
}

/**
 * Opens a stored study.
 * @throws {StudyNotFoundError} when the store has no study of that name.
 */
export async function loadStudy(options: LoadStudyOptions): Promise<Study> {
  checkStudyName(options?.studyName);
  const storage = resolveStorage(options.storage);
  const studyId = await storage.getStudyId(options.studyName);
  const directions = await storage.getStudyDirections(studyId);
  return new Study({
    storage,
    studyId,
    studyName: options.studyName,
    directions,
    sampler: options.sampler ?? DEFAULT_SAMPLER(),
    pruner: options.pruner ?? DEFAULT_PRUNER(directions),
  });
}

/** Deletes a study and all its trials. @throws {StudyNotFoundError} */
export async function deleteStudy(options: {
  studyName: string;
  storage: string | Storage;
}): Promise<void> {
  checkStudyName(options?.studyName);
  const storage = resolveStorage(options.storage);
  await storage.deleteStudy(await storage.getStudyId(options.studyName));
}

/** Every study in a store, with its trial count and best values. */
export async function listStudies(storage: string | Storage): Promise<StudySummary[]> {
  const store = resolveStorage(storage);
  const studies = await store.getAllStudies();
  return Promise.all(
    studies.map(async ({ studyId, studyName, directions }) => {
      const trials = await store.getAllTrials(studyId);
      const summary: StudySummary = { studyName, directions, nTrials: trials.length };
      const starts = trials.map((trial) => trial.datetimeStart).filter((d) => d !== undefined);
      if (starts.length > 0) summary.datetimeStart = new Date(Math.min(...starts.map(Number)));
      if (directions.length === 1) {
        const sign = directions[0] === 'minimize' ? 1 : -1;
        const values = trials.filter((t) => t.state === 'COMPLETE').map((t) => t.values![0]!);
        if (values.length > 0)
          summary.bestValues = [sign * Math.min(...values.map((v) => sign * v))];
      }
      return summary;
    }),
  );
}

function resolveDirections(options: CreateStudyOptions): readonly StudyDirection[] {
  if (options.direction !== undefined && options.directions !== undefined) {
    throw new ValueError(
      'createStudy: give direction or directions, not both, but got ' +
        `direction=${describe(options.direction)}, directions=${describe(options.directions)}.`,
    );
  }
  const directions = options.directions ?? [options.direction ?? 'minimize'];
  if (!Array.isArray(directions) || directions.length === 0) {
    throw new ValueError(
      `createStudy: directions must be a non-empty array, but got ${describe(directions)}.`,
    );
  }
  for (const direction of directions) {
    if (direction !== 'minimize' && direction !== 'maximize') {
      throw new ValueError(
        `createStudy: each direction must be "minimize" or "maximize", but got ` +
          `${describe(direction)}.`,
      );
    }
  }
  return directions;
}

function checkStudyName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 512) {
    throw new ValueError(
      `studyName must be a non-empty string of at most 512 characters, but got ${describe(name)}.`,
    );
  }
}
