/**
 * The errors hpo throws on purpose. Every one is an {@link HpoError}; the subclasses are only
 * the cases a caller must tell apart. Messages say what must hold, then what was received.
 */

/** Base class of every error that hpo throws on purpose. */
export class HpoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A value or option that breaks a documented rule (bounds, lengths, names, types). */
export class ValueError extends HpoError {}

/** Thrown inside an objective to end its trial as PRUNED. */
export class TrialPruned extends HpoError {
  constructor(message = 'trial was pruned') {
    super(message);
  }
}

/** A study with this name already exists in the store. */
export class DuplicatedStudyError extends HpoError {}

/** No study with this name (or id) exists in the store. */
export class StudyNotFoundError extends HpoError {}

/** No trial with this id or number exists. */
export class TrialNotFoundError extends HpoError {}

/** A finished trial (COMPLETE, PRUNED or FAIL) was asked to change. */
export class UpdateFinishedTrialError extends HpoError {}

/** The store failed or refused its file; the database error, if any, is the `cause`. */
export class StorageError extends HpoError {}

/** Describes a value for an error message: strings quoted, the rest as JSON where possible. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (Array.isArray(value) && value.length <= 20) return `[${value.map(describe).join(', ')}]`;
  try {
    const text = JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    return String(value);
  }
}
